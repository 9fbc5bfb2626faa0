//! Probing for the tools each host needs, and the project-local one-time
//! setup (`npm ci`, the Python venv), done idempotently behind a stamp.
//!
//! Setup runs under a file lock in `target/witness/locks/`, because test
//! processes run in parallel and two `npm ci` in one directory break each
//! other.  A stamp holds the hash of the inputs it was made from, so changing
//! a lock file or the requirements redoes the setup and nothing else does.

use std::{
    env,
    ffi::OsStr,
    fs::{self, File},
    io,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use witness_host_api::Unavailable;

/// The oldest Node.js the node and browser hosts support.
const NODE_MAJOR_MIN: u32 = 20;

/// The oldest Python the python host supports (wasmtime-py's own minimum).
const PYTHON_MIN: (u32, u32) = (3, 9);

/// Finds `program` on `PATH`, or takes it as a path when it has a slash.
pub(crate) fn find_program(program: &str) -> Option<PathBuf> {
    if program.contains('/') {
        let path = PathBuf::from(program);
        return is_executable(&path).then_some(path);
    }
    let path_var = env::var_os("PATH")?;
    env::split_paths(&path_var)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

/// Runs a probe command and returns its trimmed stdout, once per process:
/// every host of a kind probes the same programs, and a test binary makes
/// many hosts.
fn probe_output(program: &Path, args: &[&str]) -> Result<String, String> {
    type Probes =
        std::sync::Mutex<std::collections::HashMap<(PathBuf, Vec<String>), Result<String, String>>>;
    static PROBES: std::sync::OnceLock<Probes> = std::sync::OnceLock::new();
    let probes = PROBES.get_or_init(Probes::default);
    let key = (
        program.to_path_buf(),
        args.iter().map(|arg| (*arg).to_owned()).collect(),
    );
    if let Some(known) = probes.lock().expect("probes lock").get(&key) {
        return known.clone();
    }
    let result = run_probe(program, args);
    probes
        .lock()
        .expect("probes lock")
        .insert(key, result.clone());
    result
}

fn run_probe(program: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("could not run {}: {error}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`{} {}` failed ({}): {}",
            program.display(),
            args.join(" "),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// The first dotted run of digits in `text`, as numbers: `v20.20.2` gives
/// `[20, 20, 2]`.
fn version_numbers(text: &str) -> Vec<u32> {
    let start = text
        .find(|c: char| c.is_ascii_digit())
        .unwrap_or(text.len());
    text[start..]
        .split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .next()
        .unwrap_or("")
        .split('.')
        .map_while(|part| part.parse().ok())
        .collect()
}

/// Node.js and npm, checked.
#[derive(Clone, Debug)]
pub(crate) struct NodeTools {
    pub(crate) node: PathBuf,
    pub(crate) npm: PathBuf,
    /// `node --version`'s numbers: major, minor, patch.
    pub(crate) version: Vec<u32>,
}

impl NodeTools {
    /// The flags that give this node a WebSocket client, which the browser
    /// host's driver speaks DevTools with (`hosts/browser/cdp.mjs`): Node 22
    /// has one by default, Node 20.10 and later behind a flag.
    pub(crate) fn websocket_flags(&self) -> &'static [&'static str] {
        if self.version.first().copied().unwrap_or(0) >= 22 {
            &[]
        } else {
            &[
                "--experimental-websocket",
                "--disable-warning=ExperimentalWarning",
            ]
        }
    }

    /// Checks that this node can run the browser host's driver, which needs
    /// a WebSocket client: by default since Node 22, behind
    /// [`Self::websocket_flags`] since 20.11 and 21.3 (20.10 has the client
    /// but not `--disable-warning`).
    pub(crate) fn require_websocket(&self) -> Result<(), Unavailable> {
        let major = self.version.first().copied().unwrap_or(0);
        let minor = self.version.get(1).copied().unwrap_or(0);
        if major >= 22 || (major == 21 && minor >= 3) || (major == 20 && minor >= 11) {
            return Ok(());
        }
        let version: Vec<String> = self.version.iter().map(u32::to_string).collect();
        Err(unavailable(
            format!(
                "node {} has no WebSocket client, which the browser host's driver speaks DevTools with",
                version.join(".")
            ),
            "install Node.js 20.11 or newer (Debian: apt-get install nodejs)",
        ))
    }
}

/// Checks that Node.js (20 or newer) and npm are installed.
pub(crate) fn probe_node() -> Result<NodeTools, Unavailable> {
    let hint = "install Node.js 20 or newer with npm (Debian: apt-get install nodejs npm)";
    let node = find_program("node").ok_or_else(|| unavailable("node not found", hint))?;
    let npm = find_program("npm").ok_or_else(|| unavailable("npm not found", hint))?;
    let node_version =
        probe_output(&node, &["--version"]).map_err(|reason| unavailable(reason, hint))?;
    let major = version_numbers(&node_version).first().copied().unwrap_or(0);
    if major < NODE_MAJOR_MIN {
        return Err(unavailable(
            format!("node {node_version} is older than {NODE_MAJOR_MIN}"),
            hint,
        ));
    }
    probe_output(&npm, &["--version"]).map_err(|reason| unavailable(reason, hint))?;
    let version = version_numbers(&node_version);
    Ok(NodeTools { node, npm, version })
}

/// Finds Chromium: `explicit` if given, else `chromium` or
/// `chromium-browser` on `PATH`, else `/usr/bin/chromium`; and checks that it
/// runs.
pub(crate) fn probe_chromium(explicit: Option<&Path>) -> Result<(PathBuf, String), Unavailable> {
    let hint = "apt-get install chromium";
    let chromium = match explicit {
        Some(path) => Some(path.to_path_buf()).filter(|path| is_executable(path)),
        None => find_program("chromium")
            .or_else(|| find_program("chromium-browser"))
            .or_else(|| {
                Some(PathBuf::from("/usr/bin/chromium")).filter(|path| is_executable(path))
            }),
    };
    let Some(chromium) = chromium else {
        return Err(unavailable("chromium not found", hint));
    };
    let version =
        probe_output(&chromium, &["--version"]).map_err(|reason| unavailable(reason, hint))?;
    Ok((chromium, version))
}

/// Runs `npm ci` in `package_dir` unless its stamp says the installed
/// `node_modules` matches `package-lock.json`.
pub(crate) fn ensure_npm_ci(
    tools: &NodeTools,
    package_dir: &Path,
    work_dir: &Path,
) -> Result<(), Unavailable> {
    let hint =
        "npm ci needs the npm registry; run it by hand in that directory to see why it failed";
    let lock_file = package_dir.join("package-lock.json");
    let lock = fs::read(&lock_file).map_err(|error| {
        unavailable(
            format!("cannot read {}: {error}", lock_file.display()),
            hint,
        )
    })?;
    let want = stamp_of(&[&lock]);
    let stamp_file = package_dir.join("node_modules").join(".witness-stamp");
    with_lock(work_dir, &lock_name("npm", package_dir), || {
        if fs::read_to_string(&stamp_file).is_ok_and(|have| have == want) {
            return Ok(());
        }
        let output = Command::new(&tools.npm)
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(package_dir)
            .stdin(Stdio::null())
            .output()
            .map_err(|error| unavailable(format!("could not run npm ci: {error}"), hint))?;
        check_output(
            &output,
            &format!("npm ci in {}", package_dir.display()),
            hint,
        )?;
        fs::write(&stamp_file, &want).map_err(|error| {
            unavailable(
                format!("cannot write {}: {error}", stamp_file.display()),
                hint,
            )
        })
    })
}

/// The venv's Python interpreter and its version.
#[derive(Clone, Debug)]
pub(crate) struct PythonVenv {
    pub(crate) python: PathBuf,
}

/// Makes the venv `venv_dir` from `requirements` unless its stamp says it is
/// made from these requirements with this Python.
pub(crate) fn ensure_venv(
    requirements: &Path,
    venv_dir: &Path,
    work_dir: &Path,
) -> Result<PythonVenv, Unavailable> {
    let hint = "apt-get install python3 python3-venv";
    let python3 = find_program("python3").ok_or_else(|| unavailable("python3 not found", hint))?;
    let version =
        probe_output(&python3, &["--version"]).map_err(|reason| unavailable(reason, hint))?;
    let numbers = version_numbers(&version);
    let (major, minor) = (
        numbers.first().copied().unwrap_or(0),
        numbers.get(1).copied().unwrap_or(0),
    );
    if (major, minor) < PYTHON_MIN {
        return Err(unavailable(
            format!(
                "{version} is older than Python {}.{}",
                PYTHON_MIN.0, PYTHON_MIN.1
            ),
            hint,
        ));
    }
    let wanted = fs::read(requirements).map_err(|error| {
        unavailable(
            format!("cannot read {}: {error}", requirements.display()),
            hint,
        )
    })?;
    let want = stamp_of(&[
        &wanted,
        version.as_bytes(),
        python3.as_os_str().as_encoded_bytes(),
    ]);
    let stamp_file = venv_dir.join(".witness-stamp");
    let python = venv_dir.join("bin").join("python");
    with_lock(work_dir, "python-venv", || {
        if fs::read_to_string(&stamp_file).is_ok_and(|have| have == want) && is_executable(&python)
        {
            return Ok(());
        }
        // A venv made from other requirements or another Python is made
        // anew, so that nothing stale stays installed in it.
        if venv_dir.exists() {
            fs::remove_dir_all(venv_dir).map_err(|error| {
                unavailable(
                    format!("cannot remove {}: {error}", venv_dir.display()),
                    hint,
                )
            })?;
        }
        let result = make_venv(&python3, &python, requirements, venv_dir, hint);
        if result.is_err() {
            let _ = fs::remove_dir_all(venv_dir);
        }
        result?;
        fs::write(&stamp_file, &want).map_err(|error| {
            unavailable(
                format!("cannot write {}: {error}", stamp_file.display()),
                hint,
            )
        })
    })?;
    Ok(PythonVenv { python })
}

fn make_venv(
    python3: &Path,
    python: &Path,
    requirements: &Path,
    venv_dir: &Path,
    hint: &str,
) -> Result<(), Unavailable> {
    let output = Command::new(python3)
        .args([OsStr::new("-m"), OsStr::new("venv"), venv_dir.as_os_str()])
        .stdin(Stdio::null())
        .output()
        .map_err(|error| unavailable(format!("could not run python3 -m venv: {error}"), hint))?;
    check_output(&output, "python3 -m venv", hint)?;
    let output = Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--no-input",
            "--quiet",
            "-r",
        ])
        .arg(requirements)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| unavailable(format!("could not run pip: {error}"), hint))?;
    check_output(
        &output,
        &format!("pip install -r {}", requirements.display()),
        "pip needs PyPI",
    )
}

fn check_output(output: &Output, what: &str, hint: &str) -> Result<(), Unavailable> {
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tail: Vec<&str> = stderr.lines().rev().take(10).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(unavailable(
        format!("{what} failed ({}): {}", output.status, tail.join("\n")),
        hint,
    ))
}

/// The stamp for a set of inputs: their blake3 hash, in hex.
fn stamp_of(parts: &[&[u8]]) -> String {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    hasher.finalize().to_hex().to_string()
}

fn lock_name(prefix: &str, dir: &Path) -> String {
    let hash = blake3::hash(dir.as_os_str().as_encoded_bytes()).to_hex();
    format!("{prefix}-{}", &hash[..16])
}

/// Runs `body` while holding the exclusive lock `work_dir/locks/<name>.lock`.
pub(crate) fn with_lock<T>(
    work_dir: &Path,
    name: &str,
    body: impl FnOnce() -> Result<T, Unavailable>,
) -> Result<T, Unavailable> {
    let lock_dir = work_dir.join("locks");
    let lock_path = lock_dir.join(format!("{name}.lock"));
    let lock = fs::create_dir_all(&lock_dir)
        .and_then(|()| File::create(&lock_path))
        .and_then(|file| {
            file.lock()?;
            Ok::<File, io::Error>(file)
        });
    let lock = lock.map_err(|error| {
        unavailable(
            format!("cannot lock {}: {error}", lock_path.display()),
            "check that target/ is writable",
        )
    })?;
    let result = body();
    drop(lock);
    result
}

fn unavailable(reason: impl Into<String>, hint: impl Into<String>) -> Unavailable {
    Unavailable {
        reason: reason.into(),
        hint: hint.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_numbers_take_the_first_dotted_number() {
        assert_eq!(version_numbers("v20.20.2"), [20, 20, 2]);
        assert_eq!(version_numbers("Python 3.11.7"), [3, 11, 7]);
        assert_eq!(
            version_numbers("Chromium 156.0.8078.108 built on Debian"),
            [156, 0, 8078, 108]
        );
        assert_eq!(version_numbers("none"), Vec::<u32>::new());
    }

    #[test]
    fn stamps_change_with_any_input() {
        assert_ne!(stamp_of(&[b"ab", b"c"]), stamp_of(&[b"a", b"bc"]));
        assert_eq!(stamp_of(&[b"x"]), stamp_of(&[b"x"]));
    }
}
