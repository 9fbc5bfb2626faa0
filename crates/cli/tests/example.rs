//! The installed command on a user's project outside this checkout: copies
//! `examples/wordcount/` (its own contract, a Rust and a Python guest, a
//! `witness.toml`) to a temporary directory and runs the `witness` binary in
//! it, from a subdirectory, as a user would.  Every cell must pass (exit 0); then a
//! second guest with a planted difference (words split at ASCII spaces only)
//! must fail its cells (exit 1) with a shrunk call and a repro command that
//! names the project; a WIT that does not parse, a directory that is no
//! project and a cache directory that cannot be written must exit 3.

mod common;

use std::{fs, path::Path, process::Output};

use common::{checkout, copy_dir, text, witness};

/// The in-process host and one external one keep the test short; the
/// matrix trials of `cargo test` cover every host.
const HOSTS: [&str; 2] = ["wasmtime", "python"];

/// Runs `witness test-matrix` in `dir` with a fixed seed.
fn test_matrix(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "test-matrix",
        "--require-all",
        "--cases",
        "200",
        "--seed",
        "20261204",
    ];
    for host in HOSTS {
        args.extend(["--host", host]);
    }
    args.extend(extra);
    witness(dir, &args)
}

#[test]
fn witness_runs_a_project_outside_the_checkout() {
    let temp = tempfile::tempdir().expect("tempdir");
    let root = temp.path().join("wordcount");
    copy_dir(&checkout().join("examples/wordcount"), &root);
    assert!(
        !root.starts_with(checkout()),
        "{} is inside the checkout",
        root.display()
    );
    let junit = temp.path().join("junit.xml");
    let summary = temp.path().join("summary.md");

    // From a subdirectory: the project is found by its witness.toml.
    let output = test_matrix(
        &root.join("guests/rust"),
        &["--junit", path(&junit), "--summary", path(&summary)],
    );
    let all = text(&output);
    assert_eq!(output.status.code(), Some(0), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("every cell ran and passed"), "{all}");
    // Both guests, in two languages, pass in every host.
    for guest in ["python", "rust"] {
        let row = stdout
            .lines()
            .find(|line| line.starts_with(&format!("{guest} ")))
            .unwrap_or_else(|| panic!("no row for {guest}:\n{all}"));
        assert_eq!(row.matches(" passed").count(), HOSTS.len(), "{all}");
        assert!(
            row.contains("wordcount") && !row.contains("FAILED"),
            "{all}"
        );
    }
    let junit_text = fs::read_to_string(&junit).expect("the JUnit file");
    assert!(junit_text.contains("<testsuites") && junit_text.contains("wasmtime::differential"));
    assert!(
        fs::read_to_string(&summary)
            .expect("the summary")
            .starts_with("## witness: every cell ran and passed")
    );

    // --budget: a pilot, then every cell sized to the budget, and said so.
    let budget = |budget: &str| {
        witness(
            &root,
            &[
                "test-matrix",
                "--require-all",
                "--budget",
                budget,
                "--seed",
                "20261204",
                "--host",
                "wasmtime",
                "--host",
                "python",
            ],
        )
    };
    let output = budget("10m");
    let all = text(&output);
    assert_eq!(output.status.code(), Some(0), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let chosen = stdout
        .lines()
        .find_map(|line| line.strip_prefix("budget 10m: the pilot took "))
        .unwrap_or_else(|| panic!("no budget line:\n{all}"));
    for guest in ["python", "rust"] {
        for host in HOSTS {
            let count = chosen
                .split(&format!("{guest}::{host} "))
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|count| count.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("no count for {guest}::{host}:\n{all}"));
            // Ten minutes are far more than the pilot's 20 cases need.
            assert!(count > 20, "{guest}::{host} got {count} cases:\n{all}");
        }
    }
    assert!(stdout.contains("seed 20261204"), "{all}");
    // A budget the pilot alone overruns: the pilot is the run.
    let output = budget("1ms");
    let all = text(&output);
    assert_eq!(output.status.code(), Some(0), "{all}");
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("of the 1ms budget, so it is the run"),
        "{all}"
    );

    // A second guest: the same crate, but words split at ASCII spaces only.
    let ascii = root.join("guests/ascii");
    copy_dir(&root.join("guests/rust"), &ascii);
    edit(&ascii.join("src/lib.rs"), |text| {
        text.replace(
            "split_whitespace()",
            "split(' ').filter(|word| !word.is_empty())",
        )
    });
    for file in ["Cargo.toml", "Cargo.lock"] {
        edit(&ascii.join(file), |text| {
            text.replace("name = \"wordcount-rust\"", "name = \"wordcount-ascii\"")
        });
    }
    edit(&ascii.join("guest.toml"), |text| {
        text.replace("wordcount_rust.wasm", "wordcount_ascii.wasm")
    });
    let output = test_matrix(&root, &[]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let root = root.canonicalize().expect("canonical");
    for host in HOSTS {
        assert!(
            stdout.contains(&format!("ascii::{host}::differential: ")),
            "{all}"
        );
        let repro = format!(
            "reproduce: witness --project {} repro --guest ascii --host {host} --call '",
            root.display()
        );
        assert!(stdout.contains(&repro), "no `{repro}`:\n{all}");
    }
    assert!(
        stdout.contains("the reference guest `rust` decides"),
        "{all}"
    );
    let shrunk = stdout
        .lines()
        .find_map(|line| line.strip_prefix("call: "))
        .unwrap_or_else(|| panic!("no shrunk call:\n{all}"));
    assert!(
        (shrunk.starts_with("count(") || shrunk.starts_with("split(")) && shrunk.len() <= 40,
        "{shrunk}"
    );
    for guest in ["python", "rust"] {
        let row = stdout
            .lines()
            .find(|line| line.starts_with(&format!("{guest} ")))
            .unwrap_or_default();
        assert!(
            !row.contains("FAILED"),
            "only the planted guest fails:\n{all}"
        );
    }

    // A WIT that does not parse: bad configuration, naming the file.
    let wit = root.join("contracts/wordcount/wit/wordcount.wit");
    edit(&wit, |text| text.replacen("package ", "pakage ", 1));
    let output = test_matrix(&root, &[]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(3), "{all}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the WIT does not parse") && stderr.contains("contracts/wordcount/wit"),
        "{all}"
    );

    // No witness.toml here or above: bad configuration.
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let output = test_matrix(elsewhere.path(), &[]);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(3), "{all}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no witness.toml in"),
        "{all}"
    );

    // A cache directory that cannot be written (its parent is a file):
    // bad configuration, naming the directory and what to do.
    edit(&wit, |text| text.replacen("pakage ", "package ", 1));
    let file = temp.path().join("a-file");
    fs::write(&file, "").expect("write");
    let cache = file.join("cache");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_witness"))
        .env("WITNESS_CACHE_DIR", &cache)
        .current_dir(&root)
        .args(["test-matrix", "--cases", "5", "--host", "wasmtime"])
        .output()
        .expect("witness runs");
    let all = text(&output);
    assert_eq!(output.status.code(), Some(3), "{all}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!(
            "cache directory {} cannot be written",
            cache.display()
        )) && stderr.contains("set WITNESS_CACHE_DIR to a writable directory"),
        "{all}"
    );
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

fn edit(path: &Path, change: impl Fn(&str) -> String) {
    let text = fs::read_to_string(path).expect("read");
    let changed = change(&text);
    assert_ne!(
        changed,
        text,
        "{}: the edit changed nothing",
        path.display()
    );
    fs::write(path, changed).expect("write");
}
