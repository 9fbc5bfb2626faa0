//! What one run measured: one [`Row`] per baseline and per guest × host
//! cell, and the [`Report`] that holds them; this is the JSON file's shape.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{machine::Machine, stats::Summary, targets::Target};

/// The whole run.
#[derive(Debug, Serialize)]
pub struct Report {
    /// Where and when.
    pub machine: Machine,
    /// How the run was made.
    pub settings: Settings,
    /// The documents, by label, with their sizes in bytes.
    pub documents: Vec<(String, usize)>,
    /// Baselines first, then the cells, guest by guest.
    pub rows: Vec<Row>,
    /// The differential suite's throughput for the contracts witness has
    /// no code for, in the wasmtime column.
    pub differential: Vec<crate::differential::DifferentialRate>,
    /// The targets and where the run stands against each.
    pub targets: Vec<Target>,
}

/// How the run was made.
#[derive(Clone, Debug, Serialize)]
pub struct Settings {
    /// `--quick`: a tenth of the samples.
    pub quick: bool,
    /// Property cases per suite per cell.
    pub cases: usize,
    /// Calls per batch for the external hosts' hot-call latency.
    pub batch_calls: usize,
    /// Whether criterion ran in this run (its medians are then in the rows).
    pub criterion: bool,
    /// The wall-clock time of a warm `cargo xtask test-matrix`, if measured.
    pub matrix_seconds: Option<f64>,
    /// What timing an empty call costs, wall clock and thread CPU time, in
    /// ns: subtracted from every in-process sample.
    pub timer_overhead_ns: (f64, f64),
}

/// A baseline or a cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RowKind {
    /// A formatter outside wasm.
    Baseline,
    /// A guest component in a host.
    Cell,
}

/// Whether a row was measured.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Status {
    /// Measured.
    Measured,
    /// It cannot run here.
    Skipped {
        /// Why, with an install hint.
        reason: String,
    },
    /// It failed while being measured.
    Failed {
        /// What failed.
        message: String,
    },
}

/// A measurement with a note on what exactly was timed.
#[derive(Clone, Debug, Serialize)]
pub struct Measure {
    /// The samples' statistics.
    #[serde(flatten)]
    pub summary: Summary,
    /// What one sample is.
    pub how: String,
}

impl Measure {
    /// A measure from its samples; `None` when there are none.
    pub fn new(summary: Option<Summary>, how: impl Into<String>) -> Option<Measure> {
        summary.map(|summary| Measure {
            summary,
            how: how.into(),
        })
    }
}

/// Hot-call latency on one document.
#[derive(Clone, Debug, Serialize)]
pub struct Hot {
    /// `200B` or `1MB`.
    pub document: String,
    /// The function called: `format`, or `normalize` for a composed pipeline.
    pub function: String,
    /// The document's size.
    pub bytes: usize,
    /// Per-call latency.
    pub latency: Measure,
    /// The median over the native Rust baseline's median on the same document.
    pub ratio_to_native_rust: Option<f64>,
    /// In-process rows: the same calls' CPU time (this thread's), which the
    /// other processes of a shared machine do not inflate.
    pub cpu: Option<Measure>,
    /// The CPU-time median over the native Rust baseline's.
    pub cpu_ratio_to_native_rust: Option<f64>,
    /// Bytes of input per second at the median, in MB/s (10^6 bytes).
    pub throughput_mb_s: f64,
    /// Criterion's median for this call, where criterion measured it.
    pub criterion_median_ns: Option<f64>,
    /// Criterion's median over criterion's native Rust median.
    pub criterion_ratio_to_native_rust: Option<f64>,
    /// For external hosts: a batch of one call, timed from the harness,
    /// protocol included.
    pub round_trip: Option<Measure>,
}

/// Property-suite throughput of one suite in one cell.
#[derive(Clone, Debug, Serialize)]
pub struct PropertyRate {
    /// `valid`, `invalid` or `arbitrary`.
    pub suite: String,
    /// Cases run.
    pub cases: usize,
    /// Cases that failed (the rate still counts them).
    pub failed: usize,
    /// Wall-clock seconds of `witness::suite::run`.
    pub seconds: f64,
    /// Cases per second.
    pub cases_per_s: f64,
    /// CPU seconds the suite used: this process, plus the host process for
    /// external hosts (10 ms resolution).
    pub cpu_seconds: Option<f64>,
}

/// Peak resident memory and whose it is.
#[derive(Clone, Debug, Serialize)]
pub struct PeakMemory {
    /// KiB.
    pub kib: u64,
    /// Whose peak: the bench process, the host process, a process group.
    pub of: String,
}

/// One row of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// `native::rust` or `rust::wasmtime`.
    pub name: String,
    /// Baseline or cell.
    pub kind: RowKind,
    /// The guest, for cells.
    pub guest: Option<String>,
    /// The host, for cells.
    pub host: Option<String>,
    /// What ran it, with versions.
    pub runtime: Option<String>,
    /// Measured, skipped or failed.
    #[serde(flatten)]
    pub status: Status,
    /// The component's size in bytes.
    pub component_bytes: Option<u64>,
    /// Compiling or transpiling the component from scratch.
    pub compile: Option<Measure>,
    /// Loading the compiled artefact from the cache.
    pub compile_cached: Option<Measure>,
    /// Load the cached artefact, instantiate, first call.
    pub cold_start: Option<Measure>,
    /// Instantiating again in a warm process.
    pub warm_instantiation: Option<Measure>,
    /// Hot-call latency, per document.
    pub hot: Vec<Hot>,
    /// Documents whose first call trapped (out of fuel, say), with the
    /// trap; they have no latency.
    pub hot_traps: BTreeMap<String, String>,
    /// Peak resident memory.
    pub peak_memory: Option<PeakMemory>,
    /// Property-suite throughput.
    pub property: Vec<PropertyRate>,
    /// Criterion's medians in nanoseconds, by group (`hot-200B`, `hot-1MB`,
    /// `instantiate`, `cold-start`), where criterion measured this row.
    pub criterion_ns: BTreeMap<String, f64>,
    /// What a reader must know to read the row right.
    pub notes: Vec<String>,
}

impl Row {
    /// An empty measured row.
    pub fn new(name: impl Into<String>, kind: RowKind) -> Row {
        Row {
            name: name.into(),
            kind,
            guest: None,
            host: None,
            runtime: None,
            status: Status::Measured,
            component_bytes: None,
            compile: None,
            compile_cached: None,
            cold_start: None,
            warm_instantiation: None,
            hot: Vec::new(),
            hot_traps: BTreeMap::new(),
            peak_memory: None,
            property: Vec::new(),
            criterion_ns: BTreeMap::new(),
            notes: Vec::new(),
        }
    }

    /// An empty row for `guest` in `host`.
    pub fn cell(guest: &str, host: &str) -> Row {
        Row {
            guest: Some(guest.to_owned()),
            host: Some(host.to_owned()),
            ..Row::new(format!("{guest}::{host}"), RowKind::Cell)
        }
    }

    /// The hot-call measurement on a document, if any.
    pub fn hot(&self, document: &str) -> Option<&Hot> {
        self.hot.iter().find(|hot| hot.document == document)
    }

    /// Cases per second over all property suites together.
    pub fn property_cases_per_s(&self) -> Option<f64> {
        let cases: usize = self.property.iter().map(|rate| rate.cases).sum();
        let seconds: f64 = self.property.iter().map(|rate| rate.seconds).sum();
        (cases > 0 && seconds > 0.0).then(|| cases as f64 / seconds)
    }

    /// Cases per CPU second over all property suites together: on a shared
    /// machine, what the row would do with a core to itself.
    pub fn property_cases_per_cpu_s(&self) -> Option<f64> {
        let cases: usize = self.property.iter().map(|rate| rate.cases).sum();
        let cpu_seconds: f64 = self
            .property
            .iter()
            .map(|rate| rate.cpu_seconds)
            .sum::<Option<f64>>()?;
        (cases > 0 && cpu_seconds > 0.0).then(|| cases as f64 / cpu_seconds)
    }

    /// Whether the row was measured.
    pub fn measured(&self) -> bool {
        matches!(self.status, Status::Measured)
    }
}
