//! The generic differential suite's throughput in the wasmtime column: for
//! each guest of a contract witness has no code for (`all-types`), how many
//! generated calls per CPU-second one cell checks, its voters' answers cast
//! ahead so that the cell pays only for its own work (generating the
//! arguments, lowering, the guest, lifting, comparing with the consensus).
//!
//! Each cell runs the suite [`REPEATS`] times on the same seed; the median
//! is quoted, with its ratio to the contract's first compiled guest measured
//! in the same run.

use serde::Serialize;
use witness::{
    build::Built,
    host_api::Limits,
    suite::{self, Cell, CorpusSource, SuiteConfig, SuiteKind},
};
use witness_host_wasmtime::WasmtimeSession;

use crate::Config;

/// Runs of the suite per cell.
pub const REPEATS: usize = 5;

/// One cell's generated calls per CPU-second.
#[derive(Clone, Debug, Serialize)]
pub struct DifferentialRate {
    /// `guest::wasmtime`.
    pub cell: String,
    /// The guest's contract.
    pub contract: String,
    /// Calls per run: the generated ones, then the corpus of calls and the
    /// known divergences' inputs, which the suite replays first.
    pub calls: usize,
    /// Failed calls in the last run (a failing cell's rate measures its
    /// shrinking too).
    pub failed: usize,
    /// Each run's calls per CPU-second of the thread that ran it.
    pub samples: Vec<f64>,
    /// Their median.
    pub median: f64,
    /// The median over the first row's median, in the same run.
    pub ratio_to_first: Option<f64>,
}

/// Measures every built guest of `guests` in a wasmtime host of its own.
///
/// # Errors
/// When the host cannot be made, or a suite cannot run.
pub fn rates(config: &Config, guests: &[&Built]) -> anyhow::Result<Vec<DifferentialRate>> {
    let host = crate::inprocess::wasmtime_host(config)?;
    let cases = if config.quick {
        (config.cases / 10).max(50)
    } else {
        config.cases
    };
    let mut rates: Vec<DifferentialRate> = Vec::new();
    for built in guests {
        crate::inprocess::stage(&format!("{}::wasmtime differential", built.guest));
        let component = host.load_component(&built.component)?;
        let pre = host.pre_instantiate_with(&component, &built.capabilities)?;
        let mut session = WasmtimeSession::new(pre, Limits::default());
        let cell = Cell {
            guest: built.guest.clone(),
            host: "wasmtime".to_owned(),
            contract: built.contract.clone(),
        };
        let suite_config = SuiteConfig {
            voters: config.voters.clone(),
            cases,
            seed: config.seed,
            corpus: CorpusSource::User(config.project.root().to_path_buf()),
            regressions: false,
            record: false,
        };
        // A first run warms the instance, the caches and the voters.
        suite::run(SuiteKind::Differential, &mut session, &cell, &suite_config)?;
        let mut samples = Vec::with_capacity(REPEATS);
        let mut last = (0, 0);
        for _ in 0..REPEATS {
            // The suite runs on this thread (the host is in-process and the
            // voters' answers are cached), so this thread's CPU time is the
            // cell's, to the nanosecond.
            let before = crate::stats::thread_cpu_time();
            let result = suite::run(SuiteKind::Differential, &mut session, &cell, &suite_config)?;
            let cpu = (crate::stats::thread_cpu_time() - before).as_secs_f64();
            let calls = result.passed + result.failed + result.known_cases;
            last = (calls, result.failed);
            samples.push(calls as f64 / cpu.max(1e-9));
        }
        let median =
            crate::stats::Summary::of_ns(&samples).map_or(0.0, |summary| summary.median_ns);
        let ratio_to_first = rates.first().map(|first| median / first.median);
        rates.push(DifferentialRate {
            cell: format!("{}::wasmtime", built.guest),
            contract: built.contract.name().to_owned(),
            calls: last.0,
            failed: last.1,
            samples,
            median,
            ratio_to_first,
        });
    }
    Ok(rates)
}

/// The rates as a table, for the terminal and for docs/bench.md.
pub fn table(rates: &[DifferentialRate]) -> String {
    let mut text = String::from(
        "| cell | contract | calls per run | generated calls per CPU-second (median of 5) | ratio to the first row |\n| --- | --- | --- | --- | --- |\n",
    );
    for rate in rates {
        text.push_str(&format!(
            "| {} | {} | {}{} | {:.0} | {} |\n",
            rate.cell,
            rate.contract,
            rate.calls,
            if rate.failed > 0 {
                format!(" ({} FAILED)", rate.failed)
            } else {
                String::new()
            },
            rate.median,
            rate.ratio_to_first.map_or_else(
                || "1.00 (baseline)".to_owned(),
                |ratio| format!("{ratio:.2}")
            ),
        ));
    }
    text
}
