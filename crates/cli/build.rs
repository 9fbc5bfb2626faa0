//! Ships the tool's own files inside the `witness` binary: the external
//! hosts' programs with their lock files (`hosts/node`, `hosts/browser`,
//! `hosts/python`), the hosts' known divergences, and the guest templates.
//! Writes `$OUT_DIR/shipped.rs`, a table of each file's path and bytes, which
//! `src/shipped.rs` unpacks into witness's cache directory on first use.
//! The hosts' own tests and installed packages stay behind.

use std::{
    env, fs,
    path::{Path, PathBuf},
};

fn main() {
    let checkout = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"))
        .join("..")
        .join("..");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for dir in ["hosts/node", "hosts/browser", "hosts/python", "templates"] {
        println!("cargo::rerun-if-changed={}", checkout.join(dir).display());
        walk(&checkout, Path::new(dir), &mut files);
    }
    let divergences = "hosts/divergences.toml";
    println!(
        "cargo::rerun-if-changed={}",
        checkout.join(divergences).display()
    );
    files.push((divergences.to_owned(), checkout.join(divergences)));
    files.sort();
    let mut code = String::from(
        "/// Every shipped file: its path under the unpacked directory, and its bytes.\n\
         pub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &files {
        let path = path.canonicalize().expect("a shipped file exists");
        code.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets it")).join("shipped.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

/// The files under `checkout/dir` that ship, as (`dir/...`, full path).
fn walk(checkout: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = fs::read_dir(checkout.join(dir))
        .expect("a shipped directory exists")
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let relative = dir.join(&name);
        let hosts = dir.starts_with("hosts");
        let left_behind = name == "node_modules"
            || name == "__pycache__"
            || (hosts
                && (name == "test"
                    || name.starts_with("test_")
                    || name.starts_with('.')
                    || name.ends_with(".wat")));
        if left_behind {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(checkout, &relative, files);
        } else {
            files.push((relative.to_string_lossy().replace('\\', "/"), path));
        }
    }
}
