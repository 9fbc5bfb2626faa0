//! The rows measured inside this process: the native Rust formatter and
//! every guest in the embedded wasmtime host (and, in `lua.rs`, the Lua
//! formatter).
//!
//! Each call is timed on its own, so p99 is a real tail.  Peak memory is this
//! process's VmHWM, reset before each row, so it is the harness, the wasmtime
//! engine with its pooling allocator, the documents, and the row's own work.

use std::{
    hint::black_box,
    time::{Duration, Instant},
};

use anyhow::Context as _;
use witness::{
    build::Built,
    contract::Plugin,
    host_api::{Call, Limits, Outcome},
    suite::{self, Cell, CorpusSource, SuiteConfig, SuiteKind},
};
use witness_host_wasmtime::{HostConfig, WasmtimeHost, WasmtimeSession};

use crate::{
    Config, procfs,
    record::{Hot, Measure, PeakMemory, PropertyRate, Row, RowKind, Status},
    stats::{self, Plan, Summary},
};

/// Says which part of a row is being measured, for whoever watches a long
/// run.
pub fn stage(what: &str) {
    eprintln!("bench:   {what}");
}

/// The hot-call plan for a document of `bytes` bytes.
pub fn hot_plan(bytes: usize, quick: bool) -> Plan {
    let plan = if bytes < 64 * 1024 {
        Plan::new(1_000, 20_000, Duration::from_secs(2)).warmup(200)
    } else {
        Plan::new(10, 200, Duration::from_secs(3)).warmup(2)
    };
    plan.scaled(quick)
}

/// The row of the native Rust formatter (`contracts/json-tools/json-format`) doing what a
/// cell of `world` is timed doing ([`crate::hot_call`]): `native::rust`, the
/// `format` every formatter cell's ratio is taken against, or
/// `native::rust-normalize`, the reference `normalize` (format with sorted
/// keys, then minify) for composed pipelines.
pub fn native_rust(config: &Config, world: Plugin, documents: &[(&str, String)]) -> Row {
    let mut row = Row::new(crate::native_row(world), RowKind::Baseline);
    row.runtime = Some(format!(
        "json-format, {} (dev profile, opt-level 3)",
        crate::machine::command_line("rustc", &["--version"])
    ));
    let reset = procfs::reset_own_peak();
    for (label, document) in documents {
        let call = crate::hot_call(world, document);
        let mut cpu_samples = Vec::new();
        let samples = hot_plan(document.len(), config.quick)
            .collect(|| -> Result<Duration, String> {
                let (_, wall, cpu) = timed(|| suite::reference_output(black_box(&call)).map(drop));
                cpu_samples.push(cpu);
                Ok(wall)
            })
            .unwrap_or_default();
        if let Some(latency) = Measure::new(Summary::of(&samples), "one call, timed on its own") {
            let mut hot = hot(label, &call, latency);
            hot.cpu = Measure::new(Summary::of(&cpu_samples), "the same calls' thread CPU time");
            row.hot.push(hot);
        }
    }
    row.peak_memory = own_peak(reset);
    row
}

/// Runs `run` once and returns its value, wall-clock time and thread CPU
/// time, each less what [`timed`] itself costs ([`timer_overhead`]).
pub fn timed<T>(run: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let (value, wall, cpu) = timed_raw(run);
    let (wall_overhead, cpu_overhead) = timer_overhead();
    (
        value,
        wall.saturating_sub(wall_overhead),
        cpu.saturating_sub(cpu_overhead),
    )
}

fn timed_raw<T>(run: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let cpu_started = stats::thread_cpu_time();
    let started = Instant::now();
    let value = black_box(run());
    (
        value,
        started.elapsed(),
        stats::thread_cpu_time().saturating_sub(cpu_started),
    )
}

/// What timing nothing takes, wall clock and thread CPU time: the median of
/// 20,000 empty [`timed_raw`] runs, measured once per process.  The thread
/// CPU clock is a system call (about 300 ns here, against 450 ns for a whole
/// native `format` of 200 B), so without this every CPU sample of a short
/// call would carry it, and a ratio of two short calls would be pulled
/// towards 1.
pub fn timer_overhead() -> (Duration, Duration) {
    static OVERHEAD: std::sync::OnceLock<(Duration, Duration)> = std::sync::OnceLock::new();
    *OVERHEAD.get_or_init(|| {
        let (mut walls, mut cpus): (Vec<Duration>, Vec<Duration>) = (0..20_000)
            .map(|_| {
                let ((), wall, cpu) = timed_raw(|| ());
                (wall, cpu)
            })
            .unzip();
        walls.sort_unstable();
        cpus.sort_unstable();
        (walls[walls.len() / 2], cpus[cpus.len() / 2])
    })
}

/// A [`Hot`] of `call` on the document `label`, without ratios, which are
/// filled in once the baseline is known.
pub fn hot(label: &str, call: &Call, latency: Measure) -> Hot {
    let bytes = call.input().len();
    Hot {
        document: label.to_owned(),
        function: call.function().to_owned(),
        bytes,
        throughput_mb_s: bytes as f64 / latency.summary.median_ns * 1e3,
        latency,
        ratio_to_native_rust: None,
        cpu: None,
        cpu_ratio_to_native_rust: None,
        criterion_median_ns: None,
        criterion_ratio_to_native_rust: None,
        round_trip: None,
    }
}

/// This process's peak memory since [`procfs::reset_own_peak`] (`reset`:
/// whether that worked), as every in-process row reports it.
pub fn own_peak(reset: bool) -> Option<PeakMemory> {
    let of = if reset {
        "the bench process (harness, wasmtime engine, documents), VmHWM reset before this row"
    } else {
        "the bench process since it started (VmHWM could not be reset)"
    };
    procfs::own_peak_resident_kib().map(|kib| PeakMemory {
        kib,
        of: of.to_owned(),
    })
}

/// The wasmtime host every wasmtime row shares, as the matrix makes it.
///
/// # Errors
/// When the engine cannot be created.
pub fn wasmtime_host(config: &Config) -> anyhow::Result<WasmtimeHost> {
    WasmtimeHost::new(HostConfig::new(config.project.cache_dir("wasmtime")))
}

/// The row of one guest in the wasmtime host.
pub fn wasmtime_cell(
    config: &Config,
    host: &WasmtimeHost,
    built: &Built,
    documents: &[(&str, String)],
) -> Row {
    let mut row = Row::cell(&built.guest, "wasmtime");
    row.runtime = Some("wasmtime 48.0.8 embedded (Cranelift, pooling allocator, fuel)".to_owned());
    row.component_bytes = Some(built.size);
    let reset = procfs::reset_own_peak();
    if let Err(err) = measure_wasmtime(config, host, built, documents, &mut row) {
        row.status = Status::Failed {
            message: format!("{err:#}"),
        };
    }
    row.peak_memory = own_peak(reset);
    row
}

fn measure_wasmtime(
    config: &Config,
    host: &WasmtimeHost,
    built: &Built,
    documents: &[(&str, String)],
    row: &mut Row,
) -> anyhow::Result<()> {
    let quick = config.quick;
    stage("compile");
    let bytes = std::fs::read(&built.component)
        .with_context(|| format!("reading {}", built.component.display()))?;
    let samples = Plan::new(1, 3, Duration::from_secs(10))
        .scaled(quick)
        .time(|| {
            wasmtime::component::Component::new(host.engine(), &bytes)
                .map(drop)
                .map_err(anyhow::Error::from)
        })?;
    row.compile = Measure::new(
        Summary::of(&samples),
        "Component::new: Cranelift compiles the component from its bytes",
    );

    // The first load fills the cache if it is empty; the timed ones hit it.
    stage("load from cache, cold start, instantiation");
    host.load_component(&built.component)?;
    let samples = Plan::new(5, 50, Duration::from_secs(2))
        .scaled(quick)
        .time(|| host.load_component(&built.component).map(drop))?;
    row.compile_cached = Measure::new(
        Summary::of(&samples),
        "load_component from the compiled cache: read, hash, deserialize",
    );

    let limits = Limits::default();
    let small_call = crate::hot_call(built.contract.plugin(), crate::documents::SMALL);
    let samples = Plan::new(5, 100, Duration::from_secs(3))
        .warmup(1)
        .scaled(quick)
        .time(|| {
            let component = host.load_component(&built.component)?;
            let pre = host.pre_instantiate_with(&component, &built.capabilities)?;
            match WasmtimeSession::new(pre, limits).call(&small_call) {
                Outcome::Ok(_) => Ok(()),
                other => anyhow::bail!("the first call gave {other:?}"),
            }
        })?;
    row.cold_start = Measure::new(
        Summary::of(&samples),
        format!(
            "load the cached compiled component, pre-instantiate, instantiate, first {} of 200 B (engine already up)",
            small_call.function()
        ),
    );

    let component = host.load_component(&built.component)?;
    let pre = host.pre_instantiate_with(&component, &built.capabilities)?;
    let mut session = WasmtimeSession::new(pre, limits);
    let samples = Plan::new(100, 5_000, Duration::from_secs(2))
        .warmup(50)
        .scaled(quick)
        .time(|| session.instantiate_once())?;
    row.warm_instantiation = Measure::new(
        Summary::of(&samples),
        "instantiate_once: a new store and instance from InstancePre with the pooling allocator",
    );

    for (label, document) in documents {
        let call = crate::hot_call(built.contract.plugin(), document);
        let started = Instant::now();
        let first = session.call(&call);
        let one_call = started.elapsed();
        if !check_output(row, label, &first, &call) {
            continue;
        }
        // The native formatter runs between the guest's calls, one for one,
        // so that both see the same load on the shared machine and their
        // ratio is paired.
        let plan = hot_plan(document.len(), quick).fitted(
            one_call,
            if one_call > Duration::from_secs(2) {
                1
            } else {
                3
            },
        );
        stage(&format!("hot {label}: {} samples at most", plan.max));
        for _ in 0..plan.warmup {
            session.call(&call);
            black_box(suite::reference_output(&call)).ok();
        }
        let (mut native_samples, mut native_cpu_samples, mut cpu_samples) =
            (Vec::new(), Vec::new(), Vec::new());
        let samples = Plan { warmup: 0, ..plan }.collect(|| {
            let (_, wall, cpu) = timed(|| suite::reference_output(black_box(&call)).ok());
            native_samples.push(wall);
            native_cpu_samples.push(cpu);
            let (outcome, wall, cpu) = timed(|| session.call(black_box(&call)));
            cpu_samples.push(cpu);
            if let Outcome::Trap(message) = outcome {
                anyhow::bail!("the {label} document trapped after its first call: {message}");
            }
            Ok(wall)
        })?;
        let how = format!(
            "one call, timed on its own, fuel reset per call; × rust against {} interleaved one for one",
            crate::native_row(built.contract.plugin())
        );
        if let Some(latency) = Measure::new(Summary::of(&samples), how) {
            let mut hot = hot(label, &call, latency);
            let ratio = |cell: Option<Summary>, native: &[Duration]| {
                Some(cell?.median_ns / Summary::of(native)?.median_ns)
            };
            hot.ratio_to_native_rust = ratio(Summary::of(&samples), &native_samples);
            hot.cpu = Measure::new(Summary::of(&cpu_samples), "the same calls' thread CPU time");
            hot.cpu_ratio_to_native_rust = ratio(Summary::of(&cpu_samples), &native_cpu_samples);
            row.hot.push(hot);
        }
    }

    stage("property suites");
    row.property = property_rates(config, &mut session, built, "wasmtime", &[])?;
    Ok(())
}

/// Checks a cell's output against the reference, so that no one benchmarks
/// a wrong answer unawares; a difference is a note.  Returns false when the
/// call trapped: the trap is kept in the row, and the document is not timed.
pub fn check_output(row: &mut Row, label: &str, outcome: &Outcome, call: &Call) -> bool {
    let expected = suite::reference_output(call).map_err(|err| err.to_string());
    match (outcome, expected) {
        (Outcome::Trap(message), _) => {
            let first_line = message.lines().next().unwrap_or_default();
            row.hot_traps
                .insert(label.to_owned(), first_line.to_owned());
            row.notes.push(format!(
                "the {label} document traps ({first_line}), so it has no latency"
            ));
            return false;
        }
        (Outcome::Ok(actual), Ok(expected)) if *actual == expected => {}
        (actual, _) => row.notes.push(format!(
            "the {label} output differs from the reference ({})",
            short(actual)
        )),
    }
    true
}

fn short(outcome: &Outcome) -> String {
    let text = format!("{outcome:?}");
    match text.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The most wall-clock time one property suite gets in one cell.
const PROPERTY_BUDGET: Duration = Duration::from_secs(15);

/// Times `witness::suite::run` over the property suites in a session.
///
/// # Errors
/// When the host fails during a suite.
pub fn property_rates(
    config: &Config,
    session: &mut dyn witness::host_api::Session,
    built: &Built,
    host: &str,
    host_groups: &[u32],
) -> anyhow::Result<Vec<PropertyRate>> {
    // An external host is the leader of its own process group, which holds
    // whatever it started; the browser's guest runs in the column's shared
    // Chromium, a group of its own, which the caller passes too.
    let cpu = || {
        let mut seconds = procfs::cpu_seconds(std::process::id())?;
        for group in host_groups {
            seconds += procfs::group_cpu_seconds(*group)?;
        }
        Some(seconds)
    };
    let cases = if config.quick {
        (config.cases / 10).max(50)
    } else {
        config.cases
    };
    // A composed pipeline runs the suites of its own world (`normalize`),
    // as in the matrix; the formatter's suites would only make it trap.
    let cell = Cell {
        guest: built.guest.clone(),
        host: host.to_owned(),
        contract: built.contract.clone(),
    };
    let suite_config = SuiteConfig {
        voters: config.voters.clone(),
        cases,
        seed: config.seed,
        corpus: CorpusSource::User(witness::json_tools::corpus_dir(&config.project)),
        regressions: false,
        record: false,
    };
    let mut rates = Vec::new();
    for suite_kind in [SuiteKind::Valid, SuiteKind::Invalid, SuiteKind::Arbitrary] {
        // Generated once for every cell, in the matrix as here, so that no
        // cell's rate depends on whether it was the first to draw them.
        suite::generate_ahead(suite_kind, &cell.contract, &suite_config);
        // A pilot of the first cases sizes the run, so that a slow cell (an
        // interpreter in wasm) stays within the budget; the cases actually
        // run are in the record.  A failing case (say, out of fuel) is
        // shrunk in the pilot already, which nothing here can bound.
        let pilot_cases = cases.min(20);
        let pilot_config = SuiteConfig {
            cases: pilot_cases,
            ..suite_config.clone()
        };
        let cpu_before = cpu();
        let pilot_started = Instant::now();
        let pilot = suite::run(suite_kind, session, &cell, &pilot_config)?;
        let pilot_seconds = pilot_started.elapsed().as_secs_f64();
        if pilot.failed > 0 {
            // A failing case is shrunk, one guest run per step, so the rate
            // would measure shrinking; the pilot's is reported as it is.
            rates.push(PropertyRate {
                suite: suite_kind.name().to_owned(),
                cases: pilot_cases,
                failed: pilot.failed,
                seconds: pilot_seconds,
                cases_per_s: pilot_cases as f64 / pilot_seconds,
                cpu_seconds: cpu().zip(cpu_before).map(|(after, before)| after - before),
            });
            continue;
        }
        let per_case = pilot_seconds / pilot_cases as f64;
        let fitted = ((PROPERTY_BUDGET.as_secs_f64() / per_case.max(1e-9)) as usize)
            .clamp(pilot_cases, cases);
        let suite_config = SuiteConfig {
            cases: fitted,
            ..suite_config.clone()
        };
        let cpu_before = cpu();
        let started = Instant::now();
        let result = suite::run(suite_kind, session, &cell, &suite_config)?;
        let seconds = started.elapsed().as_secs_f64();
        let cpu_seconds = cpu().zip(cpu_before).map(|(after, before)| after - before);
        rates.push(PropertyRate {
            suite: suite_kind.name().to_owned(),
            cases: result.passed + result.failed,
            failed: result.failed,
            seconds,
            cases_per_s: (result.passed + result.failed) as f64 / seconds,
            cpu_seconds,
        });
    }
    Ok(rates)
}
