//! The witness command line, shared by the installable `witness` binary
//! (`crates/cli/src/main.rs`) and `cargo xtask` in this repository, which
//! run the same commands on the same library.
//!
//! Each subcommand lives in its own module with its flags and a `run`.

mod bench;
mod build;
mod divergences;
pub mod flags;
mod new_guest;
mod repro;
mod soak;
mod test_matrix;

use clap::{CommandFactory as _, FromArgMatches as _};

/// Runs the command line as `name` (`witness`, or `cargo xtask`), with the
/// process's arguments, and returns its exit code.
pub fn main(name: &'static str) -> std::process::ExitCode {
    // A usage error exits 3, like any bad configuration (clap's own code, 2,
    // means "a cell could not run" here); --help and --version exit 0.
    let parsed = flags::Cli::command()
        .name(name)
        .bin_name(name)
        .try_get_matches()
        .and_then(|matches| flags::Cli::from_arg_matches(&matches));
    let flags = match parsed {
        Ok(flags) => flags,
        Err(err) => {
            let usage = err.use_stderr();
            drop(err.print());
            return std::process::ExitCode::from(if usage { 3 } else { 0 });
        }
    };
    let project = match &flags.project {
        None => witness::project::Project::from_build_dir(),
        Some(dir) => match user_project(dir) {
            Ok(project) => project,
            Err(err) => {
                eprintln!("error: {err:#}");
                return std::process::ExitCode::from(3);
            }
        },
    };
    let result = match flags.command {
        flags::Command::Build(build) => build::run(&project, &build),
        // Exit codes: 0 all passed, 1 a cell failed, 2 a cell could not run
        // under --require-all, 3 the run could not start or its outputs
        // could not be written.
        flags::Command::TestMatrix(matrix) => test_matrix::run(&project, &matrix).or_else(|err| {
            eprintln!("error: {err:#}");
            Ok(std::process::ExitCode::from(3))
        }),
        flags::Command::Repro(repro) => repro::run(&project, &repro),
        flags::Command::Bench(bench) => bench::run(&project, &bench),
        flags::Command::NewGuest(new_guest) => new_guest::run(&project, &new_guest),
        flags::Command::Soak(soak) => soak::run(&project, &soak),
        flags::Command::Divergences(divergences) => divergences::run(&project, &divergences),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::from(2)
        }
    }
}

/// `--project DIR`: a directory with a `contracts/` directory.
fn user_project(dir: &std::path::Path) -> anyhow::Result<witness::project::Project> {
    let root = dir
        .canonicalize()
        .map_err(|err| anyhow::anyhow!("--project {}: {err}", dir.display()))?;
    anyhow::ensure!(
        root.join("contracts").is_dir(),
        "--project {}: no contracts/ directory; a project keeps each contract in contracts/<name>/ with a contract.toml (docs/adding-a-contract.md)",
        dir.display()
    );
    Ok(witness::project::Project::user(root))
}
