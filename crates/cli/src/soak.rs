//! `cargo xtask soak`: long runs, to show that nothing grows without bound.
//!
//! Every selected guest runs in every selected host for `--calls` calls (the
//! corpus's calls, over and over, in batches of 500), one cell at a time, and
//! the host's resident memory is recorded when the session opens and after
//! every batch.  The table shows it after every tenth of the calls; whether
//! it keeps growing is judged from the second half of the batches
//! (`Growth`), the first being warm-up (compiled, JIT-ed, caches filled,
//! heaps grown to their working size).
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
    contract::Plugin,
    corpus, guest,
    host_api::{
        Answer, Call, FunctionKey, GuestArtifact, Invocation, Limits, Outcome, Session, Value,
    },
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
    /// RSS after every batch, with the calls made by then.
    rss_trace: Vec<(usize, u64)>,
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
            // The soak's calls are json-tools' corpus calls.
            GuestStatus::Built(built) if built.contract.plugin() != Plugin::JsonTools => {
                eprintln!("{}: not soaked: it is not a json-tools guest", row.name);
            }
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
            let calls: Vec<Invocation> = if replacing {
                // The fixture's `provoke` panics: every call traps.
                vec![
                    Invocation {
                        function: FunctionKey::new(
                            Some("witness:hostile/fixture@0.1.0"),
                            "provoke"
                        ),
                        args: vec![Value::String(String::new())],
                        fuel_calls: 1,
                    };
                    n_calls
                ]
            } else {
                (0..n_calls)
                    .map(|call_idx| pool[call_idx % pool.len()].invocation())
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
                    let growth = Growth::of(&soaked.rss_trace);
                    if let Growth::Growing {
                        bytes_per_call,
                        over_run_kib,
                    } = growth
                    {
                        eprintln!(
                            "soak: {}: RSS is still growing over the second half of the calls: {bytes_per_call:+.0} bytes per call, {:+.1} MiB over a run this long",
                            soaked.cell,
                            over_run_kib / 1024.0
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
    let cases = corpus::load(&witness::json_tools::corpus_dir(project), false)
        .map_err(|err| anyhow::anyhow!("{err}"))?;
    let pool: Vec<Call> = cases
        .into_iter()
        .filter_map(Result::ok)
        .flat_map(|case| corpus::calls(&case.input))
        .collect();
    anyhow::ensure!(
        !pool.is_empty(),
        "{}: no corpus cases",
        witness::json_tools::corpus_dir(project).display()
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
    calls: &[Invocation],
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
    let mut rss_trace = Vec::new();
    let tenth = (calls.len() / 10).max(1);
    let (mut mismatches, mut traps) = (0, 0);
    let started = Instant::now();
    for (batch_idx, batch) in calls.chunks(BATCH).enumerate() {
        let outcomes: Vec<Outcome> = session
            .call_values(batch)?
            .into_iter()
            .map(Outcome::of_answer)
            .collect();
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
        let now_kib = rss();
        rss_trace.push((done, now_kib));
        if done / tenth > (batch_idx * BATCH) / tenth {
            rss_samples_kib.push(now_kib);
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
        rss_trace,
        mismatches,
        traps,
        live_instances,
    })
}

/// Whether a cell's RSS levels off, judged from its RSS after every batch
/// over the second half of the calls (the first half is warm-up: an
/// interpreter's heap inside its linear memory takes tens of thousands of
/// calls to reach its size).  The slope is Theil–Sen's, the median of the
/// slopes between every two samples, so that a garbage collector's swings
/// (the node and browser hosts' RSS moves by a quarter from one batch to the
/// next) do not decide it.  RSS is growing when that slope, carried over the
/// whole run, adds more than 10% of the half's median RSS, and more than
/// 64 MiB: over 100,000 calls, a leak of about 700 bytes per call or more.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Growth {
    /// Too few batches to judge.
    Unknown,
    LevelsOff {
        bytes_per_call: f64,
    },
    Growing {
        bytes_per_call: f64,
        over_run_kib: f64,
    },
}

impl Growth {
    const FLOOR_KIB: f64 = 64.0 * 1024.0;

    /// `trace`: (calls made, RSS in KiB) after every batch.
    fn of(trace: &[(usize, u64)]) -> Growth {
        let Some(&(total_calls, _)) = trace.last() else {
            return Growth::Unknown;
        };
        let second: Vec<(f64, f64)> = trace
            .iter()
            .filter(|(done, _)| 2 * done > total_calls)
            .map(|&(done, kib)| (done as f64, kib as f64))
            .collect();
        if second.len() < 5 {
            return Growth::Unknown;
        }
        let mut slopes = Vec::with_capacity(second.len() * (second.len() - 1) / 2);
        for (index, &(x1, y1)) in second.iter().enumerate() {
            for &(x2, y2) in &second[index + 1..] {
                if x2 > x1 {
                    slopes.push((y2 - y1) / (x2 - x1));
                }
            }
        }
        let median = |values: &mut Vec<f64>| {
            values.sort_by(f64::total_cmp);
            let mid = values.len() / 2;
            if values.len().is_multiple_of(2) {
                (values[mid - 1] + values[mid]) / 2.0
            } else {
                values[mid]
            }
        };
        let kib_per_call = median(&mut slopes);
        let level_kib = median(&mut second.iter().map(|&(_, kib)| kib).collect());
        let over_run_kib = kib_per_call * total_calls as f64;
        let bytes_per_call = kib_per_call * 1024.0;
        if over_run_kib > (level_kib / 10.0).max(Self::FLOOR_KIB) {
            Growth::Growing {
                bytes_per_call,
                over_run_kib,
            }
        } else {
            Growth::LevelsOff { bytes_per_call }
        }
    }

    fn label(self) -> String {
        match self {
            Growth::Unknown => "-".to_owned(),
            Growth::LevelsOff { bytes_per_call } => {
                format!("levels off ({bytes_per_call:+.0} B/call)")
            }
            Growth::Growing { bytes_per_call, .. } => {
                format!("GROWING ({bytes_per_call:+.0} B/call)")
            }
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

    fn call_values(
        &mut self,
        _invocations: &[Invocation],
    ) -> Result<Vec<Answer>, witness::host_api::HostError> {
        Ok(Vec::new())
    }

    fn probe(
        &mut self,
        _probe: &witness::host_api::Probe,
    ) -> Result<witness::host_api::ProbeAnswer, witness::host_api::HostError> {
        Ok(witness::host_api::ProbeAnswer::Rejected(
            "the session was dropped".to_owned(),
        ))
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
            Growth::of(&soaked.rss_trace).label(),
            soaked.traps.to_string(),
            soaked.mismatches.to_string(),
            soaked.live_instances.map_or_else(
                || "-".to_owned(),
                |(open, closed)| format!("{open} / {closed}"),
            ),
        ]);
    }
    let mut text = matrix::table(&rows);
    text.push_str("\nRSS MiB after each tenth of the calls:\n");
    for soaked in results {
        let samples: Vec<String> = soaked.rss_samples_kib.iter().map(|kib| mib(*kib)).collect();
        text.push_str(&format!("  {}: {}\n", soaked.cell, samples.join(" ")));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::Growth;

    /// A trace of 200 batches of 500 calls whose RSS (KiB) is `rss(batch)`.
    fn trace(rss: impl Fn(usize) -> f64) -> Vec<(usize, u64)> {
        (1..=200)
            .map(|batch| (batch * 500, rss(batch) as u64))
            .collect()
    }

    /// A repeatable swing of up to ±`amplitude` KiB, like a collector's.
    fn swing(batch: usize, amplitude: f64) -> f64 {
        let phase = (batch * 7919 % 23) as f64 / 22.0;
        (phase * 2.0 - 1.0) * amplitude
    }

    #[test]
    fn a_leak_of_a_few_kib_per_call_is_growing() {
        // The browser column before its fixes: about 2.4 KB per call, with
        // 100 MiB swings on top.
        let leak =
            trace(|batch| 1_300_000.0 + 2.4 * 500.0 * batch as f64 + swing(batch, 100_000.0));
        match Growth::of(&leak) {
            Growth::Growing { bytes_per_call, .. } => assert!(
                (2000.0..3000.0).contains(&bytes_per_call),
                "{bytes_per_call}"
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn swings_and_a_warm_up_level_off() {
        // node: 150 MiB, swinging by 40 MiB from batch to batch.
        assert!(matches!(
            Growth::of(&trace(|batch| 150_000.0 + swing(batch, 40_000.0))),
            Growth::LevelsOff { .. }
        ));
        // An interpreter's heap that grows for the first 60% of the run, then stays.
        let warm_up = trace(|batch| 190_000.0 + 700.0 * batch.min(120) as f64);
        assert!(
            matches!(Growth::of(&warm_up), Growth::LevelsOff { .. }),
            "{:?}",
            Growth::of(&warm_up)
        );
    }

    #[test]
    fn small_leaks_in_small_processes_are_caught_and_short_runs_are_not_judged() {
        // 1 KiB per call on 40 MiB: 98 MiB over the run.
        let leak = trace(|batch| 40_000.0 + 500.0 * batch as f64);
        assert!(matches!(Growth::of(&leak), Growth::Growing { .. }));
        assert_eq!(Growth::of(&[(500, 1), (1000, 2)]), Growth::Unknown);
        assert_eq!(Growth::of(&[]), Growth::Unknown);
    }
}
