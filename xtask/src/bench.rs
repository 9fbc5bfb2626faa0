//! `cargo xtask bench`: the criterion benchmarks of `crates/witness/benches`,
//! native baseline and wasmtime cell side by side in one run.

use std::process::ExitCode;

use witness::project::Project;

use crate::flags;

pub fn run(project: &Project, flags: &flags::Bench) -> anyhow::Result<ExitCode> {
    let sh = xshell::Shell::new()?;
    sh.change_dir(project.root());
    let filter = flags.filter.as_deref().unwrap_or("");
    // The dev profile: wasmtime, Cranelift, the formatter and the harness are
    // optimized there (see Cargo.toml), and it shares the build of the tests
    // instead of compiling wasmtime a second time in release.
    xshell::cmd!(sh, "cargo bench --profile dev -p witness --bench cells -- {filter}").run()?;
    Ok(ExitCode::SUCCESS)
}
