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
    let mut config = MatrixConfig {
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
        cell_cases: Default::default(),
    };
    let matrix = match flags.budget {
        None => {
            eprintln!(
                "seed {seed} ({} property cases per suite; rerun with --seed {seed})",
                flags.cases
            );
            run_with_progress(project, &config)?
        }
        Some(budget) => match budgeted(project, &mut config, budget, flags.require_all)? {
            Budgeted::PilotOnly(matrix) => matrix,
            Budgeted::Sized => run_with_progress(project, &config)?,
        },
    };
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

/// Runs the matrix with a progress bar on stderr.
fn run_with_progress(project: &Project, config: &MatrixConfig) -> anyhow::Result<matrix::Matrix> {
    let bar = Mutex::new(spinner());
    let matrix = matrix::run(project, config, &|event| {
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
    Ok(matrix)
}

/// Property cases per suite in `--budget`'s pilot.
const PILOT_CASES: usize = 20;

/// The most cases `--budget` gives a cell's suites.
const MAX_BUDGET_CASES: usize = 100_000;

enum Budgeted {
    /// The pilot is the run: it failed, or it used up the budget.
    PilotOnly(matrix::Matrix),
    /// `config.cell_cases` holds each cell's count for the run.
    Sized,
}

/// `--budget`: a pilot run of [`PILOT_CASES`] cases per suite times every
/// cell; each cell then gets the cases that fit its share of what is left
/// of the budget (the workers' time split evenly between the cells that
/// ran), at the pilot's cost per case.  That cost includes the cell's fixed
/// costs (starting its host, the corpus), so the estimate errs short.
fn budgeted(
    project: &Project,
    config: &mut MatrixConfig,
    budget: Duration,
    require_all: bool,
) -> anyhow::Result<Budgeted> {
    let started = std::time::Instant::now();
    let pilot_config = MatrixConfig {
        suite: SuiteConfig {
            cases: PILOT_CASES,
            record: false,
            ..config.suite.clone()
        },
        ..config.clone()
    };
    eprintln!(
        "seed {} (--budget {}: a pilot of {PILOT_CASES} property cases per suite first; rerun with --seed {})",
        config.suite.seed,
        humantime::format_duration(budget),
        config.suite.seed
    );
    let pilot = run_with_progress(project, &pilot_config)?;
    let spent = started.elapsed();
    if pilot.failed(require_all) {
        println!(
            "budget: the pilot ({PILOT_CASES} cases per suite, {:.1} s) failed, so it is the run",
            spent.as_secs_f64()
        );
        return Ok(Budgeted::PilotOnly(pilot));
    }
    let ran: Vec<&matrix::CellResult> = pilot
        .cells
        .iter()
        .filter(|cell| matches!(cell.status, CellStatus::Ran))
        .collect();
    let Some(left) = budget.checked_sub(spent).filter(|_| !ran.is_empty()) else {
        println!(
            "budget: the pilot ({PILOT_CASES} cases per suite) took {:.1} s of the {} budget, so it is the run",
            spent.as_secs_f64(),
            humantime::format_duration(budget)
        );
        return Ok(Budgeted::PilotOnly(pilot));
    };
    let share = left.as_secs_f64() * config.jobs.max(1) as f64 / ran.len() as f64;
    let mut chosen = Vec::new();
    for cell in ran {
        let per_case = cell.duration.as_secs_f64().max(1e-3) / PILOT_CASES as f64;
        let cases = ((share / per_case) as usize).clamp(PILOT_CASES, MAX_BUDGET_CASES);
        let name = format!("{}::{}", cell.guest, cell.host);
        chosen.push(format!("{name} {cases}"));
        config.cell_cases.insert(name, cases);
    }
    println!(
        "budget {}: the pilot took {:.1} s; cases per suite chosen for the {:.0} s left, seed {}: {}",
        humantime::format_duration(budget),
        spent.as_secs_f64(),
        left.as_secs_f64(),
        config.suite.seed,
        chosen.join(", ")
    );
    Ok(Budgeted::Sized)
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
