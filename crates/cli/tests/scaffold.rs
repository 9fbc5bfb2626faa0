//! `witness new-guest --contract` on a contract it has no template for: a
//! project outside the checkout with a copy of the all-types contract gets a
//! Rust and a Python guest scaffolded, built once by new-guest; the matrix
//! must then run every cell of both rows (nothing skipped) and fail them
//! all, since every export of a scaffold traps (exit 1).

use std::{
    fs,
    path::Path,
    process::{Command, Output},
};

use walkdir::WalkDir;

/// The languages whose scaffolds work for any contract (`templates/any/`).
const LANGUAGES: [&str; 2] = ["rust", "python"];
const HOSTS: [&str; 2] = ["wasmtime", "python"];

fn witness(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_witness"))
        .env("WITNESS_CACHE_DIR", cache_dir())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("witness runs")
}

/// witness's cache (the host programs it unpacks, their npm packages and
/// venv), kept under `target/` so that test runs share it.
fn cache_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("witness-cache")
}

fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn a_scaffold_for_any_contract_builds_and_its_row_is_red_in_every_cell() {
    let checkout = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the checkout");
    let temp = tempfile::tempdir().expect("tempdir");
    let root = temp.path();
    let contract = checkout.join("contracts/all-types");
    fs::create_dir_all(root.join("contracts/all-types")).expect("mkdir");
    fs::copy(
        contract.join("contract.toml"),
        root.join("contracts/all-types/contract.toml"),
    )
    .expect("copy");
    for entry in WalkDir::new(contract.join("wit")) {
        let entry = entry.expect("walk");
        let target = root.join("contracts/all-types/wit").join(
            entry
                .path()
                .strip_prefix(contract.join("wit"))
                .expect("inside"),
        );
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
    fs::write(root.join("witness.toml"), "contracts = [\"all-types\"]\n").expect("write");

    let unknown = witness(
        root,
        &[
            "new-guest",
            "x",
            "--lang",
            "cobol",
            "--contract",
            "all-types",
        ],
    );
    assert_eq!(unknown.status.code(), Some(3), "{}", text(&unknown));
    assert!(
        String::from_utf8_lossy(&unknown.stderr)
            .contains("no template for `cobol` for the contract `all-types` (known: python, rust)"),
        "{}",
        text(&unknown)
    );

    for lang in LANGUAGES {
        let name = format!("scaffold-{lang}");
        let output = witness(
            root,
            &[
                "new-guest",
                &name,
                "--lang",
                lang,
                "--contract",
                "all-types",
            ],
        );
        let all = text(&output);
        assert_eq!(output.status.code(), Some(0), "{all}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("built "),
            "{all}"
        );
    }

    let mut args = vec![
        "test-matrix",
        "--require-all",
        "--cases",
        "20",
        "--seed",
        "7",
    ];
    for host in HOSTS {
        args.extend(["--host", host]);
    }
    let output = witness(root, &args);
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for lang in LANGUAGES {
        let row = stdout
            .lines()
            .find(|line| line.starts_with(&format!("scaffold-{lang} ")))
            .unwrap_or_else(|| panic!("no row for scaffold-{lang}:\n{all}"));
        assert!(!row.contains("skipped"), "every cell must run:\n{all}");
        assert_eq!(
            row.matches("FAILED").count(),
            HOSTS.len(),
            "every cell must be red:\n{all}"
        );
    }
}
