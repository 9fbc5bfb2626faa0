//! The host programs' own unit tests, in their own languages:
//!
//! - `host-units::node`: `node --test hosts/node/test/` (the protocol framing
//!   and arguments shared by the node and browser hosts, the sandbox, the
//!   guest wrapper);
//! - `host-units::python`: `python3 -m unittest` over `hosts/python/` (the
//!   runner's framing and messages, with a fake guest).
//!
//! Neither needs a guest or the hosts' packages.  A missing interpreter is a
//! skip, and WITNESS_REQUIRE_ALL makes it a failure.

use std::{path::PathBuf, process::Command};

use libtest_mimic::{Failed, Trial};
use witness::project::Project;

pub fn trials(require_all: bool) -> Vec<Trial> {
    let root = Project::from_build_dir().root().to_path_buf();
    let suites: [(&str, &str, &[&str], &str); 2] = [
        (
            "node",
            "node",
            &["--test", "hosts/node/test/"],
            "install Node.js 20 or later (apt-get install nodejs)",
        ),
        (
            "python",
            "python3",
            &[
                "-m",
                "unittest",
                "discover",
                "-s",
                "hosts/python",
                "-t",
                "hosts/python",
            ],
            "apt-get install python3",
        ),
    ];
    suites
        .into_iter()
        .map(|(name, program, args, hint)| {
            let missing = which(program).is_none();
            let root = root.clone();
            Trial::test(format!("host-units::{name}"), move || {
                if missing {
                    return Err(format!(
                        "skipped: {program} not found ({hint}), and WITNESS_REQUIRE_ALL makes a skip a failure"
                    )
                    .into());
                }
                run(&root, program, args)
            })
            .with_ignored_flag(missing && !require_all)
        })
        .collect()
}

fn run(root: &std::path::Path, program: &str, args: &[&str]) -> Result<(), Failed> {
    let command = format!("{program} {}", args.join(" "));
    let output = Command::new(program)
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|err| format!("cannot run `{command}` in {}: {err}", root.display()))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "`{command}` in {} failed ({}):\n{}{}",
        root.display(),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
    .into())
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(program))
        .find(|path| path.is_file())
}
