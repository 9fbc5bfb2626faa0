//! `cargo xtask bench`: the performance table, every cell and baseline
//! measured side by side in one run.
//!
//! Two steps, each a command of its own:
//! 1. criterion's in-process microbenchmarks (`crates/witness/benches/cells.rs`:
//!    every guest in wasmtime against the native Rust formatter);
//! 2. `witness-bench` (`crates/bench`), which measures every baseline and
//!    every guest × host cell, reads criterion's medians back, with
//!    `--matrix` times a warm `cargo xtask test-matrix` last, prints the
//!    table and writes `target/witness/bench.json` and, for a full run,
//!    `docs/bench.md` with `docs/bench.svg`.
//!
//! Everything runs in the dev profile, where wasmtime, Cranelift, the
//! formatter and the harness are optimized (see the root `Cargo.toml`): it
//! shares the build of the tests instead of compiling wasmtime a second time
//! in release.

use std::process::ExitCode;

use witness::project::Project;

use crate::flags;

pub fn run(project: &Project, flags: &flags::Bench) -> anyhow::Result<ExitCode> {
    let sh = xshell::Shell::new()?;
    sh.change_dir(project.root());

    let criterion_dir = project.root().join("target").join("criterion");
    if !flags.no_criterion {
        let filter: Vec<&str> = flags.filter.iter().map(String::as_str).collect();
        // Criterion's own flags: shorter runs for --quick.
        let quick: &[&str] = if flags.quick {
            &["--warm-up-time", "0.3", "--measurement-time", "1"]
        } else {
            &[]
        };
        xshell::cmd!(
            sh,
            "cargo bench --profile dev -p witness --bench cells -- {filter...} {quick...}"
        )
        .run()?;
    }

    let mut table_args: Vec<String> = Vec::new();
    if flags.matrix {
        table_args.push("--matrix".to_owned());
    }
    if !flags.no_criterion && flags.filter.is_none() {
        table_args.extend([
            "--criterion-dir".to_owned(),
            criterion_dir.to_string_lossy().into_owned(),
        ]);
    }
    for guest in &flags.guests {
        table_args.extend(["--guest".to_owned(), guest.clone()]);
    }
    for host in &flags.hosts {
        table_args.extend(["--host".to_owned(), host.clone()]);
    }
    if flags.quick {
        table_args.push("--quick".to_owned());
    }
    table_args.extend(["--cases".to_owned(), flags.cases.to_string()]);
    xshell::cmd!(
        sh,
        "cargo run --quiet --profile dev -p witness-bench -- {table_args...}"
    )
    .run()?;
    Ok(ExitCode::SUCCESS)
}
