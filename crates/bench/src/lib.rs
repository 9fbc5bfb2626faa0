//! `cargo xtask bench`: every guest × host cell and the native baselines,
//! measured side by side in one run on one machine.
//!
//! The run builds every guest, measures the baselines (the Rust formatter
//! and the Go guest's formatter built natively, the same formatter in Lua
//! embedded in this process, Node's and Python's own JSON modules), then
//! every cell: component size, compile or transpile time,
//! cold start, warm instantiation, hot-call latency on a ~200 B and a ~1 MB
//! document, throughput, peak resident memory and property-suite
//! throughput.  Criterion's medians for the in-process cells
//! (`crates/witness/benches/cells.rs`) are read back when criterion ran in
//! the same run.  The result is a terminal table, `target/witness/bench.json`
//! and, for full runs, the generated part of `docs/bench.md` with a chart.
//!
//! The machine is shared and noisy: every number is a median, and the
//! headline is each cell's ratio to the native Rust baseline measured in the
//! same process, minutes apart at most.

pub mod baselines;
pub mod chart;
pub mod criterion;
pub mod differential;
pub mod documents;
pub mod external;
pub mod inprocess;
pub mod lua;
pub mod machine;
pub mod procfs;
pub mod record;
pub mod render;
pub mod stats;
pub mod targets;

use std::path::PathBuf;

use witness::{contract::Plugin, host_api::Call, project::Project};

/// The call a cell of a contract is timed with on a document: `normalize`
/// for a composed pipeline (the only function its world exports), else
/// `format` with the contract's default options (the bench leaves other
/// contracts' rows out).
pub fn hot_call(plugin: Plugin, document: &str) -> Call {
    match plugin {
        Plugin::JsonPipeline => Call::Normalize {
            input: document.to_owned(),
        },
        Plugin::JsonTools | Plugin::Generic => Call::Format {
            input: document.to_owned(),
            options: None,
        },
    }
}

/// The name of the baseline row a cell is compared against: the native Rust
/// formatter doing the same work as the cell's [`hot_call`].
pub fn native_row(plugin: Plugin) -> &'static str {
    match plugin {
        Plugin::JsonPipeline => "native::rust-normalize",
        Plugin::JsonTools | Plugin::Generic => "native::rust",
    }
}

/// What to measure and how hard.
#[derive(Clone, Debug)]
pub struct Config {
    /// The repository.
    pub project: Project,
    /// Only these guests (all when empty).
    pub guests: Vec<String>,
    /// Only these hosts (all when empty).
    pub hosts: Vec<String>,
    /// A tenth of the samples and cases, to try the command out.
    pub quick: bool,
    /// Property cases per suite per cell.
    pub cases: usize,
    /// The property suites' seed.
    pub seed: u64,
    /// Calls per batch for the external hosts' hot-call latency.
    pub batch_calls: usize,
    /// Read criterion's medians from this directory (criterion ran first in
    /// this run).
    pub criterion_dir: Option<PathBuf>,
    /// Time a warm `cargo xtask test-matrix` at the end.
    pub time_matrix: bool,
    /// The voters of the differential suite (`arbitrary`), from the built
    /// guests; their votes are cast before any cell is timed, so that no
    /// cell's cases/s pays for them.
    pub voters: Option<std::sync::Arc<witness::differential::VoterPool>>,
}

impl Config {
    /// Whether `guest` is selected.
    pub fn wants_guest(&self, guest: &str) -> bool {
        self.guests.is_empty() || self.guests.iter().any(|name| name == guest)
    }

    /// Whether `host` is selected.
    pub fn wants_host(&self, host: &str) -> bool {
        self.hosts.is_empty() || self.hosts.iter().any(|name| name == host)
    }

    /// Whether this is a full run, whose numbers may go into `docs/`.
    pub fn is_full(&self) -> bool {
        !self.quick && self.guests.is_empty() && self.hosts.is_empty()
    }
}
