//! The rows of the external hosts (`node`, `browser`, `python`), measured
//! from outside through the host protocol, plus what the protocol cannot
//! show, measured by small scripts under `bench/` that use the same runtime
//! and the host's own loading code.
//!
//! Hot-call latency here is a batch's wall-clock time divided by its calls,
//! timed from the harness: it includes encoding the calls as JSON lines,
//! the pipe, the host's decoding and the outcome's way back.  The round trip
//! of a batch of one call is reported beside it.

use std::{
    path::{Path, PathBuf},
    process::Command,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use serde::Deserialize;
use witness::{
    build::Built,
    host_api::{Call, Host as _, Session as _},
};
use witness_host_external::{ExternalHost, ExternalSession};

use crate::{
    Config, inprocess, procfs,
    record::{Measure, PeakMemory, Row, Status},
    stats::{Plan, Summary},
};

/// The external host columns, in matrix order.
pub const NAMES: [&str; 3] = ExternalHost::NAMES;

/// The flags of `jco transpile` that the node and browser hosts use (the
/// same as `hosts/external/src/prepare.rs`), so that the timed transpile
/// makes what the hosts load.
const JCO_FLAGS: &[&str] = &[
    "--instantiation",
    "async",
    "--no-typescript",
    "--name",
    "guest",
    "--quiet",
];

/// One external host, created as the matrix creates it, and whether it can
/// run here.
pub struct ExternalColumn {
    /// `node`, `browser` or `python`.
    pub name: String,
    host: ExternalHost,
    /// Why it cannot run here, if it cannot.
    pub unavailable: Option<String>,
}

impl ExternalColumn {
    /// Creates and probes the host (probing does its one-time setup).
    pub fn new(config: &Config, name: &str) -> Option<ExternalColumn> {
        let mut host_config = witness_host_external::Config::new(config.project.root());
        host_config.work_dir = config.project.out_dir();
        let host = ExternalHost::by_name(name, host_config)?;
        let unavailable = host
            .probe()
            .err()
            .map(|unavailable| unavailable.to_string());
        Some(ExternalColumn {
            name: name.to_owned(),
            host,
            unavailable,
        })
    }
}

/// The row of one guest in one external host.
pub fn cell(
    config: &Config,
    column: &ExternalColumn,
    built: &Built,
    documents: &[(&str, String)],
) -> Row {
    let mut row = Row::cell(&built.guest, &column.name);
    row.component_bytes = Some(built.size);
    if let Some(reason) = &column.unavailable {
        row.status = Status::Skipped {
            reason: reason.clone(),
        };
        return row;
    }
    if let Err(err) = measure(config, column, built, documents, &mut row) {
        row.status = Status::Failed {
            message: format!("{err:#}"),
        };
    }
    row
}

fn measure(
    config: &Config,
    column: &ExternalColumn,
    built: &Built,
    documents: &[(&str, String)],
    row: &mut Row,
) -> anyhow::Result<()> {
    let quick = config.quick;
    let root = config.project.root();
    let artifact = built.artifact();

    // What the protocol can't show: compile or transpile, load from cache,
    // warm instantiation.
    inprocess::stage("compile or transpile, and the host's own probes");
    match column.name.as_str() {
        "node" | "browser" => {
            let scratch = tempfile::Builder::new()
                .prefix("witness-bench-jco-")
                .tempdir()?;
            let mut last_output = None;
            let mut transpile_idx = 0;
            let samples = Plan::new(1, 3, Duration::from_secs(10))
                .scaled(quick)
                .time(|| {
                    transpile_idx += 1;
                    let output = scratch.path().join(format!("run-{transpile_idx}"));
                    let result = transpile(root, &built.component, &output);
                    last_output = Some(output);
                    result
                })?;
            row.compile = Measure::new(
                Summary::of(&samples),
                "jco transpile to ESM and core modules (the hosts cache it by content hash)",
            );
            if column.name == "node" {
                let transpiled = last_output.context("no transpile ran")?;
                let probe = node_instantiate_probe(root, &transpiled, quick)?;
                row.compile_cached = Measure::new(
                    Summary::of_ns(&[probe.compile_ns]),
                    "WebAssembly.compile of the transpiled core modules (V8 keeps no code cache between processes here)",
                );
                row.warm_instantiation = Measure::new(
                    Summary::of_ns(&probe.samples_ns),
                    "bench/node/instantiate.mjs: instantiate() with compiled core modules and a fresh WASI shim",
                );
            } else {
                row.notes
                    .push("transpile: the same jco output as node".to_owned());
                row.notes.push(
                    "warm instantiation: not measured; the page instantiates only at load and after a trap".to_owned(),
                );
            }
        }
        "python" => {
            let probe = python_probe(config, &built.component)?;
            row.compile = Measure::new(
                Summary::of_ns(&probe.compile_ns),
                "wasmtime-py Component.from_file: Cranelift compiles",
            );
            row.compile_cached = Measure::new(
                Summary::of_ns(&probe.load_ns),
                "wasmtime-py Component.deserialize_file of the compiled cache",
            );
            row.warm_instantiation = Measure::new(
                Summary::of_ns(&probe.instantiate_ns),
                "bench/python/wasmtime_probe.py: the runner's own re-instantiation (store, WASI, limits, fuel, exports)",
            );
        }
        _ => {}
    }

    // Cold start: a new host process each time; the first open fills the
    // hosts' caches (jco output, wasmtime-py's compiled file).
    inprocess::stage("cold start");
    let small_call = crate::hot_call(built.contract.plugin(), crate::documents::SMALL);
    drop(column.host.open_external(&artifact)?);
    let cold_plan = match column.name.as_str() {
        "browser" => Plan::new(2, 5, Duration::from_secs(8)),
        _ => Plan::new(3, 10, Duration::from_secs(5)),
    };
    let samples = cold_plan
        .scaled(quick)
        .collect(|| -> anyhow::Result<Duration> {
            let mut session = column.host.open_external(&artifact)?;
            let started = Instant::now();
            session.call_batch(std::slice::from_ref(&small_call))?;
            Ok(session.startup() + started.elapsed())
        })?;
    row.cold_start = Measure::new(
        Summary::of(&samples),
        "start the host process until its ready line (runtime boot, load the cached artefact, instantiate), then a first call of 200 B",
    );

    // One session for the rest, whose process's peak memory is read at the end.
    let before = procfs::own_children();
    let mut session = column.host.open_external(&artifact)?;
    let host_pid = procfs::own_children().difference(&before).next().copied();
    // The host's process group, and for the browser the group of the
    // column's shared Chromium, where the session's renderer runs: the
    // bench runs one session at a time, so what that group spends while a
    // suite runs is this session's.
    let shared_group = column
        .host
        .shared_browser_group()
        .and_then(|group| u32::try_from(group).ok());
    let host_groups: Vec<u32> = host_pid.into_iter().chain(shared_group).collect();
    row.runtime = session.ready().runtime.clone();

    for (label, document) in documents {
        let call = crate::hot_call(built.contract.plugin(), document);
        let started = Instant::now();
        let first = session.call_batch(std::slice::from_ref(&call))?;
        let first_call = started.elapsed();
        if let Some(outcome) = first.first()
            && !inprocess::check_output(row, label, outcome, &call)
        {
            continue;
        }
        // Batches are sized from a warm call: the first one also pays for
        // the host's first compilation of its own code, which would make
        // the batches, and so what they amortize, needlessly small.
        let one_call = if first_call < Duration::from_secs(1) {
            (0..3)
                .map(|_| time_batch(&mut session, std::slice::from_ref(&call)))
                .collect::<anyhow::Result<Vec<_>>>()?
                .into_iter()
                .min()
                .unwrap_or(first_call)
        } else {
            first_call
        };
        let small = document.len() < 64 * 1024;
        // Slow guests get smaller batches, so that a batch stays well
        // inside the batch deadline and the budget.
        let fitting =
            (Duration::from_secs(1).as_secs_f64() / one_call.as_secs_f64().max(1e-9)) as usize;
        let (batch_calls, plan) = if small {
            (
                config.batch_calls.min(fitting).max(1),
                Plan::new(5, 50, Duration::from_secs(3)).warmup(2),
            )
        } else {
            (
                fitting.clamp(1, 4),
                Plan::new(3, 20, Duration::from_secs(5)).warmup(1),
            )
        };
        let floor = if one_call > Duration::from_secs(2) {
            1
        } else {
            3
        };
        let plan = plan
            .scaled(quick)
            .fitted(one_call * batch_calls as u32, floor);
        inprocess::stage(&format!("hot {label}: batches of {batch_calls}"));
        let batch = vec![call.clone(); batch_calls];
        let samples = plan.collect(|| time_batch(&mut session, &batch))?;
        let Some(latency) = Measure::new(
            Summary::of(&samples),
            format!(
                "a batch of {batch_calls} calls timed from the harness, divided by {batch_calls}; protocol included"
            ),
        ) else {
            continue;
        };
        let mut hot = inprocess::hot(label, &call, latency);
        let round_trip_plan = if small {
            Plan::new(20, 200, Duration::from_secs(2)).warmup(5)
        } else {
            Plan::new(3, 10, Duration::from_secs(3))
        };
        let samples = round_trip_plan
            .scaled(quick)
            .fitted(one_call, 3)
            .collect(|| time_batch(&mut session, std::slice::from_ref(&call)))?;
        hot.round_trip = Measure::new(
            Summary::of(&samples),
            "a batch of one call, timed from the harness",
        );
        row.hot.push(hot);
    }

    inprocess::stage("property suites");
    row.property = inprocess::property_rates(config, &mut session, built, &column.name, &host_groups)?;

    row.peak_memory = host_pid.and_then(|pid| peak_of_host(&column.name, pid, shared_group));
    if row.peak_memory.is_none() {
        row.notes
            .push("peak memory: the host process was not found in /proc".to_owned());
    }
    Ok(())
}

fn time_batch(session: &mut ExternalSession, calls: &[Call]) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let outcomes = session.call_batch(calls)?;
    let elapsed = started.elapsed();
    anyhow::ensure!(
        outcomes.len() == calls.len(),
        "{} outcomes for {} calls",
        outcomes.len(),
        calls.len()
    );
    Ok(elapsed / calls.len() as u32)
}

fn peak_of_host(host: &str, pid: u32, shared_group: Option<u32>) -> Option<PeakMemory> {
    if host == "browser" {
        // The driver is node; the guest runs in a renderer of the column's
        // shared Chromium, in the process group of its own server.
        let (driver_kib, n_driver) = procfs::group_peak_resident_kib(pid);
        let (chromium_kib, n_chromium) =
            shared_group.map_or((0, 0), procfs::group_peak_resident_kib);
        let n_processes = n_driver + n_chromium;
        return (n_processes > 0).then(|| PeakMemory {
            kib: driver_kib + chromium_kib,
            of: format!("the driver's process group and the column's shared Chromium (its server, browser, renderers and helpers): {n_processes} processes, VmHWM summed (an upper bound)"),
        });
    }
    procfs::peak_resident_kib(pid).map(|kib| PeakMemory {
        kib,
        of: "the host process (VmHWM)".to_owned(),
    })
}

fn transpile(root: &Path, component: &Path, output: &Path) -> anyhow::Result<()> {
    let jco = root.join("hosts/node/node_modules/@bytecodealliance/jco/dist/jco.js");
    let result = Command::new("node")
        .arg(&jco)
        .arg("transpile")
        .arg(component)
        .arg("-o")
        .arg(output)
        .args(JCO_FLAGS)
        .current_dir(root)
        .output()
        .with_context(|| format!("running node {}", jco.display()))?;
    anyhow::ensure!(
        result.status.success(),
        "jco transpile {} failed ({}): {}",
        component.display(),
        result.status,
        String::from_utf8_lossy(&result.stderr)
    );
    Ok(())
}

#[derive(Deserialize)]
struct NodeProbe {
    compile_ns: f64,
    samples_ns: Vec<f64>,
}

fn node_instantiate_probe(
    root: &Path,
    transpiled: &Path,
    quick: bool,
) -> anyhow::Result<NodeProbe> {
    let iterations = if quick { "50" } else { "500" };
    let mut command = Command::new("node");
    command
        .arg("--experimental-wasm-extended-const")
        .arg(root.join("bench/node/instantiate.mjs"))
        .arg("--dir")
        .arg(transpiled)
        .args(["--iterations", iterations]);
    json_line(command)
}

#[derive(Deserialize)]
struct PythonProbe {
    compile_ns: Vec<f64>,
    load_ns: Vec<f64>,
    instantiate_ns: Vec<f64>,
}

fn python_probe(config: &Config, component: &Path) -> anyhow::Result<PythonProbe> {
    let python: PathBuf = config.project.out_dir().join("venv/bin/python");
    let (compiles, loads, iterations) = if config.quick {
        ("1", "5", "50")
    } else {
        ("3", "20", "300")
    };
    let mut command = Command::new(python);
    command
        .arg(config.project.root().join("bench/python/wasmtime_probe.py"))
        .arg(component)
        .args([
            "--compiles",
            compiles,
            "--loads",
            loads,
            "--iterations",
            iterations,
        ]);
    json_line(command)
}

/// Runs a bench script and parses the one JSON line it prints.
///
/// # Errors
/// When it can't start, fails, or prints something else.
pub fn json_line<T: for<'de> Deserialize<'de>>(mut command: Command) -> anyhow::Result<T> {
    let shown = format!("{command:?}");
    let output = command
        .output()
        .with_context(|| format!("running {shown}"))?;
    anyhow::ensure!(
        output.status.success(),
        "{shown} failed ({}): {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line)
        .with_context(|| format!("{shown} printed no result line: {}", stdout.trim()))
}
