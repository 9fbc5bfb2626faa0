//! `witness new-guest --contract` on a contract it has no template for: a
//! project outside the checkout with a copy of the all-types contract gets a
//! guest scaffolded in each language of `templates/any/`, each built once by
//! new-guest; the matrix must then run every cell of every row in every host
//! (nothing skipped) and fail them all, since every export of a scaffold
//! traps (exit 1).

mod common;

use std::fs;

use common::{checkout, copy_dir, text, witness};

/// The languages whose scaffolds work for any contract (`templates/any/`).
const LANGUAGES: [&str; 5] = ["c", "go", "js", "python", "rust"];
/// The matrix's hosts, in its column order.
const HOSTS: [&str; 4] = ["wasmtime", "node", "browser", "python"];

#[test]
fn a_scaffold_for_any_contract_builds_and_its_row_is_red_in_every_cell() {
    let temp = tempfile::tempdir().expect("tempdir");
    let root = temp.path();
    let contract = checkout().join("contracts/all-types");
    fs::create_dir_all(root.join("contracts/all-types")).expect("mkdir");
    fs::copy(
        contract.join("contract.toml"),
        root.join("contracts/all-types/contract.toml"),
    )
    .expect("copy");
    copy_dir(&contract.join("wit"), &root.join("contracts/all-types/wit"));
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
        String::from_utf8_lossy(&unknown.stderr).contains(
            "no template for `cobol` for the contract `all-types` (known: c, go, js, python, rust)"
        ),
        "{}",
        text(&unknown)
    );

    // The five scaffolds at once: each builds its own guest directory, and
    // their first builds are mostly installs and downloads (wit-bindgen-cli
    // twice, componentize-py, componentize-js, the wit-bindgen crate for
    // wasm32) that overlap well on two cores.
    let outputs: Vec<_> = std::thread::scope(|scope| {
        let runs: Vec<_> = LANGUAGES
            .map(|lang| {
                scope.spawn(move || {
                    let name = format!("scaffold-{lang}");
                    witness(
                        root,
                        &[
                            "new-guest",
                            &name,
                            "--lang",
                            lang,
                            "--contract",
                            "all-types",
                        ],
                    )
                })
            })
            .into_iter()
            .collect();
        runs.into_iter()
            .map(|run| run.join().expect("new-guest ran"))
            .collect()
    });
    for output in outputs {
        let all = text(&output);
        assert_eq!(output.status.code(), Some(0), "{all}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("built "),
            "{all}"
        );
    }

    let output = witness(
        root,
        &[
            "test-matrix",
            "--require-all",
            "--cases",
            "5",
            "--seed",
            "7",
        ],
    );
    let all = text(&output);
    assert_eq!(output.status.code(), Some(1), "{all}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for lang in LANGUAGES {
        let row = stdout
            .lines()
            .find(|line| line.starts_with(&format!("scaffold-{lang} ")))
            .unwrap_or_else(|| panic!("no row for scaffold-{lang}:\n{all}"));
        assert!(!row.contains("skipped"), "every cell must run:\n{all}");
        assert!(
            stdout.contains(&format!("scaffold-{lang} (")),
            "no build line for scaffold-{lang}:\n{all}"
        );
        assert_eq!(
            row.matches("FAILED").count(),
            HOSTS.len(),
            "every cell must be red:\n{all}"
        );
    }
}
