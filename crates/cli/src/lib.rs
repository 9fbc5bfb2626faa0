//! The witness command line, shared by the installable `witness` binary
//! (`crates/cli/src/main.rs`) and `cargo xtask` in this repository, which
//! run the same commands on the same library.
//!
//! Each subcommand lives in its own module with its flags and a `run`.

mod bench;
mod build;
mod divergences;
pub mod flags;
mod init;
mod new_contract;
mod new_guest;
mod paths;
mod repro;
mod shipped;
mod soak;
mod test_matrix;

use clap::{CommandFactory as _, FromArgMatches as _};
use witness::project::Project;

/// Which front end runs: where the project is when `--project` does not say,
/// and where witness's own files (the host programs, the templates) are.
#[derive(Clone, Copy, Debug)]
pub enum DefaultProject {
    /// The installed `witness`: the nearest directory, from the working
    /// directory up, with a `witness.toml`; its own files are the ones
    /// shipped inside the binary, unpacked into the cache directory.
    FromWorkingDir,
    /// `cargo xtask`: the repository this crate was compiled in, and its
    /// files.
    BuildDir,
}

/// Runs the command line as `name` (`witness`, or `cargo xtask`), with the
/// process's arguments, and returns its exit code.
pub fn main(name: &'static str, default_project: DefaultProject) -> std::process::ExitCode {
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
    if let DefaultProject::FromWorkingDir = default_project {
        match shipped::cache_dir().and_then(|cache| shipped::unpack(&cache)) {
            Ok(dir) => witness::project::set_tool_root(dir),
            Err(err) => {
                eprintln!("error: {err:#}");
                return std::process::ExitCode::from(3);
            }
        }
    }
    // `init` makes the project, so it runs before there is one to open.
    if let flags::Command::Init(init) = &flags.command {
        let root = match &flags.project {
            Some(dir) => Ok(dir.clone()),
            None => std::env::current_dir(),
        };
        return match root
            .map_err(anyhow::Error::from)
            .and_then(|root| init::run(&root, init))
        {
            Ok(code) => code,
            Err(err) => {
                eprintln!("error: {err:#}");
                std::process::ExitCode::from(3)
            }
        };
    }
    // A project that cannot be opened is bad configuration: exit 3.
    let project = match (&flags.project, default_project) {
        (Some(dir), _) => {
            Project::open(dir).map_err(|err| anyhow::anyhow!("--project {}: {err}", dir.display()))
        }
        (None, DefaultProject::BuildDir) => Ok(Project::from_build_dir()),
        (None, DefaultProject::FromWorkingDir) => std::env::current_dir()
            .map_err(anyhow::Error::from)
            .and_then(|cwd| Project::find(&cwd).map_err(anyhow::Error::from)),
    };
    let project = match project {
        Ok(project) => project,
        Err(err) => {
            eprintln!("error: {err:#}");
            return std::process::ExitCode::from(3);
        }
    };
    // Every contract must load (its contract.toml, a WIT that parses, its
    // package and world): a broken one is bad configuration, not a red row.
    let broken: Vec<String> = witness::contract::discover(&project)
        .into_iter()
        .filter_map(Result::err)
        .map(|err| err.to_string())
        .collect();
    if !broken.is_empty() {
        for err in broken {
            eprintln!("error: {err}");
        }
        return std::process::ExitCode::from(3);
    }
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
        flags::Command::NewContract(new_contract) => new_contract::run(&project, &new_contract),
        flags::Command::Soak(soak) => soak::run(&project, &soak),
        flags::Command::Divergences(divergences) => divergences::run(&project, &divergences),
        // Handled above, before a project opens; here it would find one.
        flags::Command::Init(init) => init::run(project.root(), &init),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::from(3)
        }
    }
}
