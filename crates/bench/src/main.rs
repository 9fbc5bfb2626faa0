//! The `witness-bench` binary that `cargo xtask bench` runs after criterion:
//! measures every baseline and every guest × host cell, prints the table,
//! and writes `target/witness/bench.json` and, for a full run,
//! `docs/bench.md` and `docs/bench.svg`.

use std::{fs, path::PathBuf, process::ExitCode};

use anyhow::Context as _;
use clap::Parser as _;
use witness::{contract::Plugin, matrix::GuestStatus, project::Project};
use witness_bench::{
    Config, baselines, chart, criterion, documents, external, inprocess,
    machine::Machine,
    record::{Report, Row, Settings, Status},
    render, targets,
};

/// Measures every guest × host cell and the native baselines side by side.
#[derive(Debug, clap::Parser)]
struct Flags {
    /// Only these guests (repeatable).
    #[arg(long = "guest")]
    guests: Vec<String>,
    /// Only these hosts (repeatable).
    #[arg(long = "host")]
    hosts: Vec<String>,
    /// A tenth of the samples and cases, to try it out (docs/ is not written).
    #[arg(long)]
    quick: bool,
    /// Property cases per suite per cell.
    #[arg(long, default_value_t = 1000)]
    cases: usize,
    /// The property suites' seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Calls per batch for the external hosts' hot-call latency on 200 B.
    #[arg(long, default_value_t = witness::suite::BATCH)]
    batch_calls: usize,
    /// Criterion's output directory, when criterion ran in this run.
    #[arg(long)]
    criterion_dir: Option<PathBuf>,
    /// At the end, with every cache warm, time `cargo xtask test-matrix`.
    #[arg(long)]
    matrix: bool,
}

fn main() -> ExitCode {
    let flags = Flags::parse();
    let config = Config {
        project: Project::from_build_dir(),
        guests: flags.guests,
        hosts: flags.hosts,
        quick: flags.quick,
        cases: flags.cases,
        seed: flags.seed,
        batch_calls: flags.batch_calls.max(1),
        criterion_dir: flags.criterion_dir,
        time_matrix: flags.matrix,
        voters: None,
    };
    match run(&config) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("witness-bench: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn progress(what: &str) {
    eprintln!("bench: {what}");
}

fn run(config: &Config) -> anyhow::Result<()> {
    let machine = Machine::describe();
    let documents = documents::all();
    let documents: Vec<(&str, String)> = documents.into_iter().collect();

    progress("building the guests");
    let mut guests = witness::matrix::build_guests(&config.project, &config.guests, &|_| {})?;
    let pool = std::sync::Arc::new(witness::matrix::voter_pool(
        &config.project,
        &guests,
        witness::host_api::Limits::default(),
    ));
    // The table times json-tools' calls and suites; the rows of contracts
    // witness has no code for get the differential suite's throughput in
    // the wasmtime column instead.
    let (generic, json): (Vec<_>, Vec<_>) = guests.into_iter().partition(|row| {
        row.contract
            .as_ref()
            .is_some_and(|contract| contract.plugin() == Plugin::Generic)
    });
    guests = json;
    let config = &Config {
        voters: Some(std::sync::Arc::clone(&pool)),
        ..config.clone()
    };
    let cases = if config.quick {
        (config.cases / 10).max(50)
    } else {
        config.cases
    };
    // Every contract's voters vote ahead: json-tools' for its `arbitrary`
    // suite, any other's for `differential` (timed in wasmtime only).
    let mut contracts: Vec<witness::contract::Contract> = Vec::new();
    for row in guests.iter().chain(&generic) {
        if let GuestStatus::Built(built) = &row.status
            && !contracts.contains(&built.contract)
            && (built.contract.plugin() != Plugin::Generic || config.wants_host("wasmtime"))
        {
            contracts.push(built.contract.clone());
        }
    }
    for contract in &contracts {
        progress(&format!("the voters of {contract} vote"));
        let suite = match contract.plugin() {
            Plugin::Generic => witness::suite::SuiteKind::Differential,
            Plugin::JsonTools | Plugin::JsonPipeline => witness::suite::SuiteKind::Arbitrary,
        };
        witness::suite::vote_ahead(&pool, contract, suite, config.seed, cases)
            .map_err(anyhow::Error::msg)?;
    }

    let mut rows: Vec<Row> = Vec::new();
    progress("native::rust");
    rows.push(inprocess::native_rust(
        config,
        Plugin::JsonTools,
        &documents,
    ));
    let any_pipeline = guests.iter().any(|guest| match &guest.status {
        GuestStatus::Built(built) => built.contract.plugin() == Plugin::JsonPipeline,
        _ => false,
    });
    if any_pipeline {
        progress("native::rust-normalize");
        rows.push(inprocess::native_rust(
            config,
            Plugin::JsonPipeline,
            &documents,
        ));
    }
    progress(witness_bench::lua::ROW);
    rows.push(witness_bench::lua::row(config, &documents));
    progress("native::go, native::node-json, native::python-json");
    rows.extend(baselines::rows(config, &documents));

    let mut host_names = vec!["wasmtime"];
    host_names.extend(external::NAMES);
    for name in &config.hosts {
        anyhow::ensure!(
            host_names.contains(&name.as_str()),
            "unknown host `{name}` (known: {})",
            host_names.join(", ")
        );
    }
    let wasmtime_host = if config.wants_host("wasmtime") {
        Some(inprocess::wasmtime_host(config)?)
    } else {
        None
    };
    let columns: Vec<external::ExternalColumn> = external::NAMES
        .iter()
        .filter(|name| config.wants_host(name))
        .filter_map(|name| {
            progress(&format!("probing {name}"));
            external::ExternalColumn::new(config, name)
        })
        .collect();

    for guest in &guests {
        let built = match &guest.status {
            GuestStatus::Built(built) => built,
            GuestStatus::Skipped { reason } => {
                rows.extend(unbuilt(
                    config,
                    &guest.name,
                    &host_names,
                    Status::Skipped {
                        reason: reason.clone(),
                    },
                ));
                continue;
            }
            GuestStatus::Failed { message } => {
                let status = Status::Failed {
                    message: format!("the guest did not build: {message}"),
                };
                rows.extend(unbuilt(config, &guest.name, &host_names, status));
                continue;
            }
        };
        if let Some(host) = &wasmtime_host {
            progress(&format!("{}::wasmtime", built.guest));
            rows.push(inprocess::wasmtime_cell(config, host, built, &documents));
            save_partial(config, &rows);
        }
        for column in &columns {
            progress(&format!("{}::{}", built.guest, column.name));
            rows.push(external::cell(config, column, built, &documents));
            save_partial(config, &rows);
        }
    }

    // Dropped before the matrix runs, so that its pooling allocator's
    // memory is not held during the timing.
    drop(wasmtime_host);
    let differential = if config.wants_host("wasmtime") {
        let built: Vec<&witness::build::Built> = generic
            .iter()
            .filter_map(|row| match &row.status {
                GuestStatus::Built(built) => Some(built),
                _ => None,
            })
            .collect();
        witness_bench::differential::rates(config, &built)?
    } else {
        Vec::new()
    };
    drop(columns);
    let matrix_seconds = if config.time_matrix {
        time_matrix(config)
    } else {
        None
    };

    fill_ratios(&mut rows);
    if let Some(dir) = &config.criterion_dir {
        criterion::apply(dir, &mut rows);
    }
    let targets = targets::evaluate(&rows, matrix_seconds);
    let report = Report {
        machine,
        settings: Settings {
            quick: config.quick,
            cases: config.cases,
            batch_calls: config.batch_calls,
            criterion: config.criterion_dir.is_some(),
            matrix_seconds,
            timer_overhead_ns: {
                let (wall, cpu) = inprocess::timer_overhead();
                (wall.as_nanos() as f64, cpu.as_nanos() as f64)
            },
        },
        documents: documents
            .iter()
            .map(|(label, text)| ((*label).to_owned(), text.len()))
            .collect(),
        rows,
        differential,
        targets,
    };

    println!("{}", render::terminal(&report));
    let out_dir = config.project.out_dir();
    fs::create_dir_all(&out_dir)?;
    let json_path = out_dir.join("bench.json");
    fs::write(&json_path, serde_json::to_string_pretty(&report)?)
        .with_context(|| format!("writing {}", json_path.display()))?;
    let chart_path = out_dir.join("bench.svg");
    chart::draw(&report.rows, &chart_path)?;
    println!("wrote {} and {}", json_path.display(), chart_path.display());

    if config.is_full() {
        let docs = config.project.root().join("docs");
        fs::copy(&chart_path, docs.join("bench.svg"))
            .context("copying the chart to docs/bench.svg")?;
        let doc_path = docs.join("bench.md");
        let doc = fs::read_to_string(&doc_path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
        fs::write(
            &doc_path,
            render::splice(&doc, &render::markdown(&report, "bench.svg")),
        )
        .with_context(|| format!("writing {}", doc_path.display()))?;
        println!(
            "wrote {} and {}",
            doc_path.display(),
            docs.join("bench.svg").display()
        );
    } else {
        println!("docs/bench.md is written by full runs only (no --quick, --guest or --host)");
    }
    Ok(())
}

/// Writes the rows so far to `target/witness/bench.partial.json`, so that
/// an interrupted run leaves what it measured.
fn save_partial(config: &Config, rows: &[Row]) {
    if let Ok(text) = serde_json::to_string_pretty(rows) {
        let _ = fs::write(config.project.out_dir().join("bench.partial.json"), text);
    }
}

/// Times a warm `cargo xtask test-matrix` (every guest is built and every
/// host's cache filled by now); `None` when it cannot run.
fn time_matrix(config: &Config) -> Option<f64> {
    progress("timing a warm `cargo xtask test-matrix`");
    let started = std::time::Instant::now();
    let output = std::process::Command::new("cargo")
        .args(["xtask", "test-matrix"])
        .current_dir(config.project.root())
        .output();
    let seconds = started.elapsed().as_secs_f64();
    match output {
        Ok(output) => {
            if !output.status.success() {
                eprintln!(
                    "bench: the matrix did not pass ({}); its time is still reported:\n{}",
                    output.status,
                    String::from_utf8_lossy(&output.stdout)
                );
            }
            progress(&format!("warm test-matrix: {seconds:.1} s"));
            Some(seconds)
        }
        Err(err) => {
            eprintln!("bench: could not run cargo xtask test-matrix: {err}");
            None
        }
    }
}

/// The rows of a guest that did not build, one per selected host.
fn unbuilt(config: &Config, guest: &str, host_names: &[&str], status: Status) -> Vec<Row> {
    host_names
        .iter()
        .filter(|host| config.wants_host(host))
        .map(|host| Row {
            status: status.clone(),
            ..Row::cell(guest, host)
        })
        .collect()
}

/// Each hot call's ratio to the native Rust row that made the same call on
/// the same document (`native::rust` for `format`, `native::rust-normalize`
/// for `normalize`), where no paired ratio was measured.
fn fill_ratios(rows: &mut [Row]) {
    let native: Vec<(String, String, f64, Option<f64>)> = rows
        .iter()
        .filter(|row| row.name.starts_with("native::rust"))
        .flat_map(|row| {
            row.hot.iter().map(|hot| {
                (
                    hot.function.clone(),
                    hot.document.clone(),
                    hot.latency.summary.median_ns,
                    hot.cpu.as_ref().map(|cpu| cpu.summary.median_ns),
                )
            })
        })
        .collect();
    for row in rows.iter_mut() {
        for hot in &mut row.hot {
            let Some((_, _, native_wall, native_cpu)) =
                native.iter().find(|(function, document, ..)| {
                    *function == hot.function && *document == hot.document
                })
            else {
                continue;
            };
            if hot.ratio_to_native_rust.is_none() {
                hot.ratio_to_native_rust = Some(hot.latency.summary.median_ns / native_wall);
            }
            if hot.cpu_ratio_to_native_rust.is_none() {
                hot.cpu_ratio_to_native_rust = hot
                    .cpu
                    .as_ref()
                    .zip(*native_cpu)
                    .map(|(cpu, native_cpu)| cpu.summary.median_ns / native_cpu);
            }
        }
    }
}
