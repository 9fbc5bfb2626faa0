//! The baselines outside wasm that are separate programs: the Go guest's
//! formatter built natively (`bench/go-native`), Node's `JSON.parse` +
//! `JSON.stringify` and Python's `json.loads` + `json.dumps`
//! (`bench/node`, `bench/python`).
//!
//! Each program times its own calls one by one and prints one JSON line, so
//! no process boundary is in the samples; cold start is timed from here, as
//! the program's start, one call on the 200 B document, and its exit.

use std::{path::Path, process::Command, time::Duration};

use anyhow::Context as _;
use serde::Deserialize;

use crate::{
    Config,
    external::json_line,
    inprocess,
    record::{Measure, PeakMemory, Row, RowKind, Status},
    stats::{Plan, Summary},
};

/// What every baseline program prints.
#[derive(Deserialize)]
struct Output {
    runtime: String,
    samples_ns: Vec<f64>,
    vmhwm_kib: i64,
}

/// A baseline program: how to start it, and how to get it ready.
struct Program {
    name: &'static str,
    /// The command without the `--doc`/`--calls`/`--warmup` flags.
    command: Vec<String>,
}

/// Every baseline program's row.
pub fn rows(config: &Config, documents: &[(&str, String)]) -> Vec<Row> {
    let scratch = match write_documents(config, documents) {
        Ok(paths) => paths,
        Err(err) => {
            let mut row = Row::new("native::programs", RowKind::Baseline);
            row.status = Status::Failed {
                message: format!("{err:#}"),
            };
            return vec![row];
        }
    };
    let mut rows = Vec::new();
    for name in ["native::go", "native::node-json", "native::python-json"] {
        let mut row = Row::new(name, RowKind::Baseline);
        match program(config, name) {
            Ok(program) => {
                if let Err(err) = measure(config, &program, documents, &scratch, &mut row) {
                    row.status = Status::Failed {
                        message: format!("{err:#}"),
                    };
                }
            }
            Err(reason) => row.status = Status::Skipped { reason },
        }
        rows.push(row);
    }
    rows
}

fn write_documents(
    config: &Config,
    documents: &[(&str, String)],
) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let dir = config.project.out_dir().join("bench");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    documents
        .iter()
        .map(|(label, text)| {
            let path = dir.join(format!("document-{label}.json"));
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            Ok(path)
        })
        .collect()
}

fn program(config: &Config, name: &str) -> Result<Program, String> {
    let root = config.project.root();
    let path_of = |file: &str| root.join(file).to_string_lossy().into_owned();
    match name {
        "native::go" => {
            let binary = build_go(root, &config.project.out_dir().join("bench"))?;
            Ok(Program {
                name: "go-native",
                command: vec![binary],
            })
        }
        "native::node-json" => {
            which("node").ok_or("node not found (apt-get install nodejs)")?;
            Ok(Program {
                name: "json-baseline.mjs",
                command: vec!["node".into(), path_of("bench/node/json-baseline.mjs")],
            })
        }
        _ => {
            which("python3").ok_or("python3 not found (apt-get install python3)")?;
            Ok(Program {
                name: "json_baseline.py",
                command: vec!["python3".into(), path_of("bench/python/json_baseline.py")],
            })
        }
    }
}

/// Whether `program` runs (`go` has `version` where the others have
/// `--version`).
fn which(program: &str) -> Option<()> {
    let version = if program == "go" {
        "version"
    } else {
        "--version"
    };
    Command::new(program)
        .arg(version)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .map(drop)
}

/// Builds `bench/go-native` into `out_dir`; the Go toolchain's build cache
/// makes this a no-op when nothing changed.
fn build_go(root: &Path, out_dir: &Path) -> Result<String, String> {
    which("go").ok_or("go not found (install Go >= 1.25)")?;
    let binary = out_dir.join("go-native");
    let output = Command::new("go")
        .args(["build", "-trimpath", "-o"])
        .arg(&binary)
        .arg(".")
        .current_dir(root.join("bench/go-native"))
        .env("GOTOOLCHAIN", "local")
        .env("GOFLAGS", "-buildvcs=false -mod=readonly")
        .output()
        .map_err(|err| format!("go build: {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "go build in bench/go-native failed: {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(binary.to_string_lossy().into_owned())
}

fn measure(
    config: &Config,
    program: &Program,
    documents: &[(&str, String)],
    paths: &[std::path::PathBuf],
    row: &mut Row,
) -> anyhow::Result<()> {
    let command = |doc: &Path, calls: usize, warmup: usize| {
        let mut command = Command::new(&program.command[0]);
        command
            .args(&program.command[1..])
            .arg("--doc")
            .arg(doc)
            .args([
                "--calls",
                &calls.to_string(),
                "--warmup",
                &warmup.to_string(),
            ])
            .current_dir(config.project.root());
        // Go's flag package takes `--doc` as well as `-doc`.
        command
    };
    let mut peak_kib = 0;
    for ((label, document), path) in documents.iter().zip(paths) {
        let small = document.len() < 64 * 1024;
        let (calls, warmup) = match (small, config.quick) {
            (true, false) => (20_000, 1_000),
            (true, true) => (2_000, 100),
            (false, false) => (50, 3),
            (false, true) => (5, 1),
        };
        let output: Output = json_line(command(path, calls, warmup))
            .with_context(|| format!("{} on {label}", program.name))?;
        row.runtime = Some(output.runtime);
        peak_kib = peak_kib.max(output.vmhwm_kib);
        if let Some(latency) = Measure::new(
            Summary::of_ns(&output.samples_ns),
            "one call, timed on its own inside the program",
        ) {
            let call = crate::hot_call(witness::contract::Plugin::JsonTools, document);
            row.hot.push(inprocess::hot(label, &call, latency));
        }
    }
    if peak_kib > 0 {
        row.peak_memory = Some(PeakMemory {
            kib: peak_kib as u64,
            of: "the baseline process (VmHWM)".to_owned(),
        });
    }
    let small = &paths[0];
    let samples = Plan::new(3, 10, Duration::from_secs(3))
        .warmup(1)
        .scaled(config.quick)
        .time(|| {
            let status = command(small, 0, 0)
                .stdout(std::process::Stdio::null())
                .status()?;
            anyhow::ensure!(status.success(), "{} exited with {status}", program.name);
            Ok(())
        })?;
    row.cold_start = Measure::new(
        Summary::of(&samples),
        "start the program, read and format 200 B once, exit",
    );
    Ok(())
}
