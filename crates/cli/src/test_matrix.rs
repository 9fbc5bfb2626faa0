//! `cargo xtask test-matrix`: build, run every suite in every cell, print the
//! matrix, exit 1 on any failure.

use std::{process::ExitCode, sync::Mutex, time::Duration};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use witness::{
    host_api::Limits,
    matrix::{self, CellStatus, Event, MatrixConfig},
    project::Project,
    report,
    suite::{CorpusSource, SuiteConfig, SuiteKind},
};

use crate::flags;

/// A spinner on stderr, hidden when stderr is not a terminal.
pub fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

pub fn run(project: &Project, flags: &flags::TestMatrix) -> anyhow::Result<ExitCode> {
    let seed = flags.seed.unwrap_or_else(rand_seed);
    let suites = if flags.suites.is_empty() {
        SuiteKind::ALL.to_vec()
    } else {
        flags
            .suites
            .iter()
            .map(|name| {
                SuiteKind::from_name(name).with_context(|| format!("unknown suite `{name}`"))
            })
            .collect::<anyhow::Result<_>>()?
    };
    let corpus = match &flags.corpus {
        Some(dir) => {
            anyhow::ensure!(dir.is_dir(), "--corpus {}: not a directory", dir.display());
            CorpusSource::User(dir.clone())
        }
        None => witness::json_tools::project_corpus(project),
    };
    // Last run's cell times only order the cells; a broken file is said and
    // set aside.
    let times_path = project.out_dir().join("cell-times.json");
    let last_times = matrix::CellTimes::load(&times_path).unwrap_or_else(|err| {
        eprintln!("warning: ignoring the cell times of the last run: {err:#}");
        matrix::CellTimes::default()
    });
    let config = MatrixConfig {
        contracts: flags.contracts.clone(),
        guests: flags.guests.clone(),
        hosts: flags.hosts.clone(),
        suites,
        suite: SuiteConfig {
            voters: None,
            cases: flags.cases,
            seed,
            corpus,
            regressions: true,
            record: flags.report.is_some(),
        },
        limits: Limits::default(),
        jobs: flags
            .jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, usize::from)),
        last_times,
        allowed_skips: flags.allow_skip.clone(),
    };
    eprintln!(
        "seed {seed} ({} property cases per suite; rerun with --seed {seed})",
        flags.cases
    );
    let bar = Mutex::new(spinner());
    let matrix = matrix::run(project, &config, &|event| {
        let bar = bar.lock().expect("progress lock");
        match event {
            Event::Building(name) => bar.set_message(format!("building {name}")),
            Event::Built(_) => {}
            Event::Cells(count) => {
                bar.set_style(
                    ProgressStyle::with_template("{bar:30} {pos}/{len} cells {msg}")
                        .expect("a valid template"),
                );
                bar.set_length(count as u64);
                bar.set_message("");
            }
            Event::CellDone(name) => {
                bar.inc(1);
                bar.set_message(name);
            }
        }
    })?;
    bar.into_inner().expect("progress lock").finish_and_clear();
    if let Err(err) = config.last_times.clone().update(&matrix, &times_path) {
        eprintln!("warning: could not keep this run's cell times: {err:#}");
    }

    for cell in &matrix.cells {
        if let CellStatus::Failed { message } = &cell.status {
            println!("{}::{}: FAILED: {message}\n", cell.guest, cell.host);
        }
        for (suite, result) in &cell.suites {
            for line in result.skipped.iter().chain(&result.known) {
                println!("{}::{}::{}: {line}", cell.guest, cell.host, suite.name());
            }
            let contract = matrix
                .guests
                .iter()
                .find(|row| row.name == cell.guest)
                .and_then(|row| row.contract.clone());
            if result.failed > 0
                && let Some(contract) = contract
            {
                let id = witness::suite::Cell {
                    guest: cell.guest.clone(),
                    host: cell.host.clone(),
                    contract,
                };
                println!("{}", result.explain(&id, *suite));
            }
        }
    }
    print!("{}", matrix::render(&matrix));
    for unused in matrix.unused_allowances() {
        println!(
            "note: --allow-skip {} allowed nothing: its row was not skipped",
            unused.guest
        );
    }
    println!("{}", slowest_cells(&matrix, 5));
    if let Some(path) = &flags.report {
        report::write(&matrix, path)?;
        println!("report: {}", path.display());
    }
    if let Some(path) = &flags.junit {
        report::write_junit(&matrix, path)?;
        println!("junit: {}", path.display());
    }
    report::write_summary(&matrix, flags.require_all, flags.summary.as_deref())?;
    let verdict = report::Verdict::of(&matrix, flags.require_all);
    if flags.require_all && verdict == report::Verdict::Passed {
        println!("{}", report::verdict_line(&matrix, true));
    }
    Ok(ExitCode::from(verdict.exit_code()))
}

fn rand_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

/// The `n` slowest cells and the sum over all cells, for finding where a
/// run's time goes (the report has every cell's time).
fn slowest_cells(matrix: &matrix::Matrix, n: usize) -> String {
    let mut cells: Vec<_> = matrix.cells.iter().collect();
    cells.sort_by_key(|cell| std::cmp::Reverse(cell.duration));
    let total: Duration = cells.iter().map(|cell| cell.duration).sum();
    let slowest: Vec<String> = cells
        .iter()
        .take(n)
        .map(|cell| {
            format!(
                "{}::{} {:.1} s",
                cell.guest,
                cell.host,
                cell.duration.as_secs_f64()
            )
        })
        .collect();
    format!(
        "cells took {:.0} s in all; the slowest: {}",
        total.as_secs_f64(),
        slowest.join(", ")
    )
}
