//! Preparing a guest component for a host: transpiling it to ESM with jco
//! for node and browser, and naming the compiled-component cache for python.
//!
//! Prepared artefacts are cached by content hash under `target/witness/`.
//! An entry is written to a temporary directory and renamed into place, so
//! an interrupted run leaves no half-written entry, and two processes that
//! prepare the same component at once both end up with a complete one.

use std::{
    fs,
    io::{self, ErrorKind},
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

/// The flags of every `jco transpile`; they are part of the cache key.
/// `--instantiation async` makes a module whose `instantiate` can be called
/// again after a trap, and whose imports (WASI) the runner passes in.
pub(crate) const JCO_FLAGS: &[&str] = &[
    "--instantiation",
    "async",
    "--no-typescript",
    "--name",
    "guest",
    "--quiet",
];

/// The file of a transpiled guest that the runners import.
pub(crate) const TRANSPILED_ENTRY: &str = "guest.js";

/// Transpiles `component` with the jco installed in `node_package_dir`,
/// unless `cache_dir` already holds the result, and returns its directory.
///
/// # Errors
/// What failed: reading the component, running jco (with its stderr), or
/// writing the cache.
pub(crate) fn transpile(
    node: &Path,
    node_package_dir: &Path,
    component: &Path,
    cache_dir: &Path,
) -> Result<PathBuf, String> {
    let bytes = fs::read(component)
        .map_err(|error| format!("cannot read {}: {error}", component.display()))?;
    let lock_file = node_package_dir.join("package-lock.json");
    let lock = fs::read(&lock_file)
        .map_err(|error| format!("cannot read {}: {error}", lock_file.display()))?;
    // The key covers what decides the output: the component, the pinned jco
    // (through the lock file) and the flags.
    let mut hasher = blake3::Hasher::new();
    hasher.update(&bytes);
    hasher.update(&lock);
    hasher.update(JCO_FLAGS.join(" ").as_bytes());
    let key = hasher.finalize().to_hex();
    let entry = cache_dir.join(key.as_str());
    if entry.join(TRANSPILED_ENTRY).is_file() {
        return Ok(entry);
    }

    fs::create_dir_all(cache_dir)
        .map_err(|error| format!("cannot create {}: {error}", cache_dir.display()))?;
    let scratch = tempfile::Builder::new()
        .prefix(".tmp-")
        .tempdir_in(cache_dir)
        .map_err(|error| {
            format!(
                "cannot make a temporary directory in {}: {error}",
                cache_dir.display()
            )
        })?;
    let jco = node_package_dir.join("node_modules/@bytecodealliance/jco/dist/jco.js");
    let output = Command::new(node)
        .arg(&jco)
        .arg("transpile")
        .arg(component)
        .arg("-o")
        .arg(scratch.path())
        .args(JCO_FLAGS)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("could not run {}: {error}", jco.display()))?;
    if !output.status.success() || !scratch.path().join(TRANSPILED_ENTRY).is_file() {
        return Err(format!(
            "jco transpile {} failed ({}):\n{}{}",
            component.display(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    publish(scratch, &entry)?;
    Ok(entry)
}

/// Renames a finished scratch directory to `entry`; if another process was
/// first, its entry is as good as ours.
fn publish(scratch: tempfile::TempDir, entry: &Path) -> Result<(), String> {
    let scratch_path = scratch.keep();
    match fs::rename(&scratch_path, entry) {
        Ok(()) => Ok(()),
        Err(error) if entry.join(TRANSPILED_ENTRY).is_file() || is_exists(&error) => {
            let _ = fs::remove_dir_all(&scratch_path);
            if entry.join(TRANSPILED_ENTRY).is_file() {
                Ok(())
            } else {
                Err(format!("cannot publish {}: {error}", entry.display()))
            }
        }
        Err(error) => {
            let _ = fs::remove_dir_all(&scratch_path);
            Err(format!(
                "cannot rename {} to {}: {error}",
                scratch_path.display(),
                entry.display()
            ))
        }
    }
}

fn is_exists(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        ErrorKind::AlreadyExists | ErrorKind::DirectoryNotEmpty
    )
}

/// The file where the python host keeps `component` compiled by the
/// wasmtime-py that `requirements` pins.
///
/// # Errors
/// What could not be read or created.
pub(crate) fn python_compiled_cache(
    component: &Path,
    requirements: &Path,
    cache_dir: &Path,
) -> Result<PathBuf, String> {
    let bytes = fs::read(component)
        .map_err(|error| format!("cannot read {}: {error}", component.display()))?;
    let pins = fs::read(requirements)
        .map_err(|error| format!("cannot read {}: {error}", requirements.display()))?;
    let mut hasher = blake3::Hasher::new();
    hasher.update(&bytes);
    hasher.update(&pins);
    fs::create_dir_all(cache_dir)
        .map_err(|error| format!("cannot create {}: {error}", cache_dir.display()))?;
    Ok(cache_dir.join(format!("{}.cwasm", hasher.finalize().to_hex())))
}
