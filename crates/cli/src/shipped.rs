//! The tool's own files, shipped inside the `witness` binary (`build.rs`):
//! the external hosts' programs and lock files, the hosts' known
//! divergences, and the guest templates.  On first use they are unpacked
//! into witness's cache directory, one directory per content hash, where the
//! hosts then set themselves up (`npm ci`, the Python venv) as they do in a
//! checkout; so an installed `witness` needs nothing from the checkout it
//! was built from.

use std::{
    fs,
    path::{Path, PathBuf},
};

use anyhow::Context as _;

include!(concat!(env!("OUT_DIR"), "/shipped.rs"));

/// The cache directory: `WITNESS_CACHE_DIR`, else `$XDG_CACHE_HOME/witness`,
/// else `$HOME/.cache/witness`.
///
/// # Errors
/// When none of those variables is set.
pub fn cache_dir() -> anyhow::Result<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(dir) = var("WITNESS_CACHE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Ok(PathBuf::from(dir).join("witness"));
    }
    var("HOME")
        .map(|home| PathBuf::from(home).join(".cache").join("witness"))
        .context("no cache directory: set WITNESS_CACHE_DIR (or HOME, or XDG_CACHE_HOME)")
}

/// The shipped files, unpacked into `cache/tool/<hash>/` unless they are
/// there already; returns that directory.  Unpacking writes a sibling
/// directory and renames it into place, so a half-unpacked copy is never
/// used, and two processes that unpack at once agree.
///
/// # Errors
/// When the cache directory cannot be written, naming it.
pub fn unpack(cache: &Path) -> anyhow::Result<PathBuf> {
    let mut hasher = blake3::Hasher::new();
    for (name, bytes) in FILES {
        hasher.update(name.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    let hash = hasher.finalize().to_hex();
    let tools = cache.join("tool");
    let dir = tools.join(&hash.as_str()[..16]);
    if dir.join(".complete").is_file() {
        return Ok(dir);
    }
    let unwritable = |err: &dyn std::fmt::Display| {
        anyhow::anyhow!(
            "witness's cache directory {} cannot be written: {err}; set WITNESS_CACHE_DIR to a writable directory",
            cache.display()
        )
    };
    fs::create_dir_all(&tools).map_err(|err| unwritable(&err))?;
    let staging = tempfile::Builder::new()
        .prefix(".unpacking-")
        .tempdir_in(&tools)
        .map_err(|err| unwritable(&err))?;
    for (name, bytes) in FILES {
        let path = staging.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|err| unwritable(&err))?;
        }
        fs::write(&path, bytes).map_err(|err| unwritable(&err))?;
    }
    fs::write(staging.path().join(".complete"), hash.as_str()).map_err(|err| unwritable(&err))?;
    let staged = staging.keep();
    if let Err(err) = fs::rename(&staged, &dir) {
        // Another process unpacked the same files first.
        let _ = fs::remove_dir_all(&staged);
        if !dir.join(".complete").is_file() {
            return Err(unwritable(&err));
        }
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_programs_and_templates_ship_and_unpack_once() {
        let names: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        for name in [
            "hosts/node/runner.mjs",
            "hosts/node/package-lock.json",
            "hosts/browser/driver.mjs",
            "hosts/python/runner.py",
            "hosts/python/requirements.txt",
            "hosts/divergences.toml",
            "templates/rust/guest.toml.tmpl",
            "templates/any/python/src/app.py.tmpl",
        ] {
            assert!(names.contains(&name), "{name} is not shipped: {names:?}");
        }
        // The hosts' own tests and installed packages stay behind.
        assert!(!names.iter().any(|name| name.contains("node_modules")
            || (name.starts_with("hosts/") && name.contains("/test"))));
        let temp = tempfile::tempdir().expect("tempdir");
        let dir = unpack(temp.path()).expect("unpacks");
        assert!(dir.join("hosts/node/runner.mjs").is_file());
        assert_eq!(unpack(temp.path()).expect("again"), dir);
        // A cache "directory" that is a file cannot be written, even by root.
        let file = temp.path().join("a-file");
        fs::write(&file, "").expect("write");
        let err = unpack(&file).expect_err("a file is no directory");
        assert!(
            err.to_string().contains(&format!(
                "witness's cache directory {} cannot be written",
                file.display()
            )),
            "{err}"
        );
    }
}
