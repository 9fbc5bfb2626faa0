//! `cargo xtask soak`: long runs, to show that nothing grows without bound.
//!
//! Every selected guest runs in every selected host for `--calls` calls (the
//! corpus's calls, over and over, in batches of 500), one cell at a time, and
//! the host's resident memory is recorded when the session opens and after
//! every tenth of the calls: the first tenth warms it up (compiled, JIT-ed,
//! caches filled), and the nine after it show whether it keeps growing.
//! For wasmtime that is this process's RSS and the pooling allocator's count
//! of live instances; for an external host, the RSS of its whole process
//! group (Chromium's processes too).  A last row per host replaces the
//! instance on every call (the `panic` fixture traps each time), to show that
//! replaced instances are freed.
//!
//! It is a benchmark, not a test: it prints figures, and fails when a
//! session fails, an answer differs from the reference implementation, or a
//! cell's RSS is still growing (`Growth`).

use std::{fs, process::ExitCode, time::Instant};

use anyhow::Context as _;
use witness::{
    build::{self, BuildOutcome},
    corpus, guest,
    host_api::{Call, GuestArtifact, Limits, Outcome, Session},
    hosts,
    matrix::{self, GuestStatus},
    project::Project,
    suite::{self, BATCH},
    verdict::Normal,
};

use crate::flags;

/// One soaked cell's figures.
struct Soaked {
    cell: String,
    calls: usize,
    seconds: f64,
    rss_start_kib: u64,
    rss_warm_kib: u64,
    rss_end_kib: u64,
    /// RSS after each tenth of the calls.
    rss_samples_kib: Vec<u64>,
    mismatches: usize,
    traps: usize,
    /// wasmtime only: live component instances at the end, while the session
    /// is open, and after it is dropped.
    live_instances: Option<(u64, u64)>,
}

pub fn run(project: &Project, flags: &flags::Soak) -> anyhow::Result<ExitCode> {
    let pool = call_pool(project)?;
    let expected: Vec<Normal> = pool.iter().map(suite::reference).collect();
    let rows = matrix::build_guests(project, &flags.guests, &|_| {})?;
    let mut artifacts: Vec<GuestArtifact> = Vec::new();
    for row in &rows {
        match &row.status {
            GuestStatus::Built(built) => artifacts.push(built.artifact()),
            GuestStatus::Skipped { reason } => eprintln!("{}: skipped: {reason}", row.name),
            GuestStatus::Failed { message } => eprintln!("{}: FAILED: {message}", row.name),
        }
    }
    let replacer = panic_fixture(project)?;
    let host_names: Vec<&str> = hosts::NAMES
        .iter()
        .copied()
        .filter(|name| flags.hosts.is_empty() || flags.hosts.iter().any(|host| host == name))
        .collect();
    eprintln!(
        "soak: {} calls per cell, {} instance replacements per host; the pool is the corpus's {} calls",
        flags.calls,
        flags.replace_calls,
        pool.len()
    );
    let mut results = Vec::new();
    let mut failed = false;
    for host_name in host_names {
        let cells = artifacts
            .iter()
            .map(|artifact| (artifact, flags.calls, false))
            .chain(std::iter::once((&replacer, flags.replace_calls, true)));
        for (artifact, n_calls, replacing) in cells {
            let cell = format!("{}::{host_name}", artifact.name);
            eprintln!("soak: {cell} ...");
            let calls: Vec<Call> = if replacing {
                vec![
                    Call::Format {
                        input: String::new(),
                        options: None
                    };
                    n_calls
                ]
            } else {
                (0..n_calls)
                    .map(|call_idx| pool[call_idx % pool.len()].clone())
                    .collect()
            };
            let expected_of =
                |call_idx: usize| (!replacing).then(|| &expected[call_idx % pool.len()]);
            match soak_cell(project, host_name, artifact, &calls, &expected_of) {
                Ok(mut soaked) => {
                    soaked.cell = if replacing {
                        format!("{cell} (a new instance per call)")
                    } else {
                        cell
                    };
                    let growth = Growth::of(&soaked.rss_samples_kib);
                    if let Growth::Growing {
                        first_median_kib,
                        second_median_kib,
                    } = growth
                    {
                        eprintln!(
                            "soak: {}: RSS is still growing: its median was {} MiB over the second to fifth tenths of the calls and {} MiB over the last five",
                            soaked.cell,
                            mib(first_median_kib),
                            mib(second_median_kib)
                        );
                    }
                    failed |= soaked.mismatches > 0
                        || (replacing && soaked.traps != calls.len())
                        || matches!(growth, Growth::Growing { .. });
                    results.push(soaked);
                }
                Err(err) => {
                    failed = true;
                    eprintln!("soak: {cell}: FAILED: {err:#}");
                }
            }
        }
    }
    print!("{}", render(&results));
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Every call of every corpus case: the six calls per file of the corpus suite.
fn call_pool(project: &Project) -> anyhow::Result<Vec<Call>> {
    let cases =
        corpus::load(&project.corpus_dir(), false).map_err(|err| anyhow::anyhow!("{err}"))?;
    let pool: Vec<Call> = cases
        .into_iter()
        .filter_map(Result::ok)
        .flat_map(|case| corpus::calls(&case.input))
        .collect();
    anyhow::ensure!(
        !pool.is_empty(),
        "{}: no corpus cases",
        project.corpus_dir().display()
    );
    Ok(pool)
}

/// The `panic` fixture of `tests/fixtures/hostile/`, built.
fn panic_fixture(project: &Project) -> anyhow::Result<GuestArtifact> {
    let dir = project.root().join("tests/fixtures/hostile/panic");
    let guest = guest::load(&dir)?;
    let guest = guest::Guest {
        out_dir: Some(project.out_dir().join("fixtures/hostile/panic")),
        ..guest
    };
    match build::build(project, &guest) {
        BuildOutcome::Built(built) => Ok(built.artifact()),
        BuildOutcome::Skipped(missing) => {
            anyhow::bail!("the panic fixture can't be built here: {missing}")
        }
        BuildOutcome::Failed(message) => anyhow::bail!("{message}"),
    }
}

fn soak_cell<'a>(
    project: &Project,
    host_name: &str,
    artifact: &GuestArtifact,
    calls: &[Call],
    expected_of: &dyn Fn(usize) -> Option<&'a Normal>,
) -> anyhow::Result<Soaked> {
    let limits = Limits::default();
    // The session, how to measure its host's RSS, and the wasmtime host (to
    // count its live instances).
    let mut wasmtime_host = None;
    let (mut session, rss): (Box<dyn Session>, Box<dyn Fn() -> u64>) = if host_name == "wasmtime" {
        let host = wasmtime_host.insert(hosts::create_wasmtime(project, limits)?);
        (
            witness::host_api::Host::open(&*host, artifact)?,
            Box::new(|| rss_kib(std::process::id())),
        )
    } else {
        let host = hosts::create_external(project, host_name, limits).context("no such host")?;
        witness::host_api::Host::probe(&host)
            .map_err(|unavailable| anyhow::anyhow!("{unavailable}"))?;
        let session = host.open_external(artifact)?;
        let pgid = session.pid().context("the host process is gone")?;
        (Box::new(session), Box::new(move || group_rss_kib(pgid)))
    };
    let rss_start_kib = rss();
    let mut rss_samples_kib = Vec::new();
    let tenth = (calls.len() / 10).max(1);
    let (mut mismatches, mut traps) = (0, 0);
    let started = Instant::now();
    for (batch_idx, batch) in calls.chunks(BATCH).enumerate() {
        let outcomes = session.call_batch(batch)?;
        anyhow::ensure!(
            outcomes.len() == batch.len(),
            "{} outcomes for {} calls",
            outcomes.len(),
            batch.len()
        );
        for (offset, outcome) in outcomes.iter().enumerate() {
            let call_idx = batch_idx * BATCH + offset;
            traps += usize::from(matches!(outcome, Outcome::Trap(_)));
            if let Some(expected) = expected_of(call_idx)
                && !Normal::of(outcome).agrees_with(expected)
            {
                mismatches += 1;
            }
        }
        let done = (batch_idx * BATCH + batch.len()).min(calls.len());
        if done / tenth > (batch_idx * BATCH) / tenth {
            rss_samples_kib.push(rss());
        }
    }
    let rss_warm_kib = rss_samples_kib.first().copied().unwrap_or(rss_start_kib);
    let seconds = started.elapsed().as_secs_f64();
    let rss_end_kib = rss();
    let live_instances = wasmtime_host.as_ref().and_then(|host| {
        let open = host.live_instances()?;
        drop(std::mem::replace(&mut session, Box::new(Closed)));
        Some((open, host.live_instances()?))
    });
    Ok(Soaked {
        cell: String::new(),
        calls: calls.len(),
        seconds,
        rss_start_kib,
        rss_warm_kib,
        rss_end_kib,
        rss_samples_kib,
        mismatches,
        traps,
        live_instances,
    })
}

/// Whether a cell's RSS levels off, judged from its samples after each tenth
/// of the calls.  The first tenth is warm-up; the other nine are split into
/// the four before the halfway mark and the five after it.  RSS is growing
/// when the median of the later five exceeds the median of the earlier four
/// by more than 5% (or 16 MiB, for allocator noise).  Medians, because a
/// garbage-collected heap swings up and down by as much as a leak adds in a
/// short run, and a single high or low sample must not decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Growth {
    /// Too few calls for ten samples.
    Unknown,
    LevelsOff,
    Growing {
        first_median_kib: u64,
        second_median_kib: u64,
    },
}

impl Growth {
    const SLACK_KIB: u64 = 16 * 1024;

    fn of(samples_kib: &[u64]) -> Growth {
        if samples_kib.len() < 10 {
            return Growth::Unknown;
        }
        let median = |samples: &[u64]| {
            let mut sorted = samples.to_vec();
            sorted.sort_unstable();
            let mid = sorted.len() / 2;
            if sorted.len() % 2 == 0 {
                (sorted[mid - 1] + sorted[mid]) / 2
            } else {
                sorted[mid]
            }
        };
        let (first_median_kib, second_median_kib) =
            (median(&samples_kib[1..5]), median(&samples_kib[5..]));
        if second_median_kib > first_median_kib + (first_median_kib / 20).max(Self::SLACK_KIB) {
            Growth::Growing {
                first_median_kib,
                second_median_kib,
            }
        } else {
            Growth::LevelsOff
        }
    }

    fn label(self) -> &'static str {
        match self {
            Growth::Unknown => "-",
            Growth::LevelsOff => "levels off",
            Growth::Growing { .. } => "GROWING",
        }
    }
}

/// A session that was dropped.
struct Closed;

impl Session for Closed {
    fn call_batch(
        &mut self,
        _calls: &[Call],
    ) -> Result<Vec<Outcome>, witness::host_api::HostError> {
        Ok(Vec::new())
    }
}

/// `VmRSS` of a process, in KiB (0 when it is gone).
fn rss_kib(pid: u32) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The summed `VmRSS` of every process in a process group, in KiB.
fn group_rss_kib(pgid: u32) -> u64 {
    let Ok(entries) = fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .is_some_and(|stat| {
                    // After `(comm)`: state, ppid, pgrp.
                    stat.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().nth(2)?.parse::<u32>().ok())
                        == Some(pgid)
                })
        })
        .map(rss_kib)
        .sum()
}

fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

fn render(results: &[Soaked]) -> String {
    let mut rows = vec![vec![
        "cell".to_owned(),
        "calls".to_owned(),
        "calls/s".to_owned(),
        "RSS MiB: open".to_owned(),
        "at 10%".to_owned(),
        "end".to_owned(),
        "10%→end".to_owned(),
        "RSS".to_owned(),
        "traps".to_owned(),
        "wrong".to_owned(),
        "live instances (open / closed)".to_owned(),
    ]];
    for soaked in results {
        let growth = soaked.rss_end_kib as f64 - soaked.rss_warm_kib as f64;
        rows.push(vec![
            soaked.cell.clone(),
            soaked.calls.to_string(),
            format!("{:.0}", soaked.calls as f64 / soaked.seconds.max(1e-9)),
            mib(soaked.rss_start_kib),
            mib(soaked.rss_warm_kib),
            mib(soaked.rss_end_kib),
            format!("{:+.1}", growth / 1024.0),
            Growth::of(&soaked.rss_samples_kib).label().to_owned(),
            soaked.traps.to_string(),
            soaked.mismatches.to_string(),
            soaked.live_instances.map_or_else(
                || "-".to_owned(),
                |(open, closed)| format!("{open} / {closed}"),
            ),
        ]);
    }
    let mut text = table(&rows);
    text.push_str("\nRSS MiB after each tenth of the calls:\n");
    for soaked in results {
        let samples: Vec<String> = soaked.rss_samples_kib.iter().map(|kib| mib(*kib)).collect();
        text.push_str(&format!("  {}: {}\n", soaked.cell, samples.join(" ")));
    }
    text
}

fn table(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for (index, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
        if index == 0 {
            text.push_str(
                &widths
                    .iter()
                    .map(|width| "-".repeat(*width))
                    .collect::<Vec<_>>()
                    .join("  "),
            );
            text.push('\n');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::Growth;

    const MIB: u64 = 1024;

    fn growth(tenths_mib: [u64; 10]) -> Growth {
        Growth::of(&tenths_mib.map(|mib| mib * MIB))
    }

    #[test]
    fn a_linear_leak_is_growing() {
        // The browser column before the page's heap was collected: 300,000 calls.
        assert_eq!(
            growth([1389, 1403, 1432, 1574, 1652, 1713, 1805, 1814, 1908, 2030]),
            Growth::Growing {
                first_median_kib: 1503 * MIB,
                second_median_kib: 1814 * MIB
            }
        );
    }

    #[test]
    fn a_noisy_level_levels_off() {
        // rust::browser once the page's heap was collected: summed over ten
        // processes, it swings by 100 MiB and more.
        assert_eq!(
            growth([1229, 1178, 1240, 1259, 1146, 1264, 1204, 1341, 1266, 1227]),
            Growth::LevelsOff
        );
        // A collected sawtooth.
        assert_eq!(
            growth([1367, 1465, 1509, 1575, 1661, 1734, 1718, 1357, 1496, 1443]),
            Growth::LevelsOff
        );
        // One sample far above the rest decides nothing.
        assert_eq!(
            growth([100, 100, 101, 100, 102, 101, 400, 100, 101, 100]),
            Growth::LevelsOff
        );
    }

    #[test]
    fn small_processes_get_slack_and_short_runs_are_not_judged() {
        assert_eq!(
            growth([40, 41, 42, 43, 44, 50, 52, 54, 56, 58]),
            Growth::LevelsOff
        );
        assert!(matches!(
            growth([40, 41, 42, 43, 44, 58, 60, 61, 62, 63]),
            Growth::Growing { .. }
        ));
        assert_eq!(Growth::of(&[1, 2, 3]), Growth::Unknown);
    }
}
