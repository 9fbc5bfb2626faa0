//! What the tests that run the `witness` binary share: the command, its
//! cache directory, its output for a failure message, and copying a project
//! out of the checkout.

use std::{
    fs,
    path::{Path, PathBuf},
    process::{Command, Output},
};

use walkdir::WalkDir;

/// The checkout this test was built in.
pub fn checkout() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the checkout")
        .to_path_buf()
}

/// `witness ARGS` in `dir`, with its cache under `target/`, and the
/// checkout's `target/tools` for the generators that builds install (the
/// same install as the checkout's own guests use).
pub fn witness(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_witness"))
        .env("WITNESS_CACHE_DIR", cache_dir())
        .env("WITNESS_TOOLS_DIR", checkout().join("target").join("tools"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("witness runs")
}

/// witness's cache (the host programs it unpacks, their npm packages and
/// venv), kept under `target/` so that test runs share it.
fn cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("witness-cache")
}

/// A run's exit code and output, for a failed assertion's message.
pub fn text(output: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Copies the directory `from` to `to`, leaving out a `target/` at its top.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in WalkDir::new(from) {
        let entry = entry.expect("walk");
        let relative = entry.path().strip_prefix(from).expect("inside");
        if relative.starts_with("target") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
}
