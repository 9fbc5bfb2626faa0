//! Every flag of every subcommand, in one place.

use std::path::PathBuf;

/// witness: every guest × host cell must give byte-identical results.
#[derive(Debug, clap::Parser)]
#[command(name = "witness", version)]
pub struct Cli {
    /// The project to run on: a directory with a `witness.toml` (or at least
    /// a `contracts/`).  By default, the nearest directory from here up with
    /// a `witness.toml` (`cargo xtask`: this repository).  Its outputs go to
    /// its own `target/witness/`.
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Make this directory (or --project DIR) a witness project from its WIT:
    /// write witness.toml and contracts/<name>/contract.toml.
    Init(Init),
    /// Add a contract to the project: from a WIT of yours (--wit), or a WIT
    /// to start from.
    NewContract(NewContract),
    /// Build every guest component (skipping those whose inputs are unchanged).
    Build(Build),
    /// Build, then run every suite in every guest × host cell and print the matrix.
    TestMatrix(TestMatrix),
    /// Run one call in one cell, and show it beside the reference implementation.
    Repro(Repro),
    /// Benchmark the wasmtime cell against the native baseline (criterion).
    Bench(Bench),
    /// Scaffold a new guest directory from `templates/<lang>/`.
    NewGuest(NewGuest),
    /// Soak every cell with 100,000 calls and report the host's resident memory.
    Soak(Soak),
    /// Write docs/divergences.md from every contract's divergences.toml.
    Divergences(Divergences),
}

/// `witness init`.
#[derive(Debug, clap::Args)]
pub struct Init {
    /// The WIT the guests implement: a directory (with its deps/) or one
    /// .wit file, relative to the project's directory.
    #[arg(long, default_value = "wit")]
    pub wit: PathBuf,
    /// The world the guests implement; needed when the package has several.
    #[arg(long)]
    pub world: Option<String>,
    /// The contract's name, its directory contracts/<name>/ (default: the
    /// WIT package's name).
    #[arg(long)]
    pub name: Option<String>,
}

/// `witness new-contract`.
#[derive(Debug, clap::Args)]
pub struct NewContract {
    /// The contract's name: the directory contracts/<name>/.
    pub name: String,
    /// A WIT of yours (a directory with deps/, or one .wit file) that the
    /// contract points at; without it, a WIT to start from is written.
    #[arg(long)]
    pub wit: Option<PathBuf>,
    /// The world the guests implement, with --wit; needed when its package
    /// has several.
    #[arg(long, requires = "wit")]
    pub world: Option<String>,
}

/// `cargo xtask divergences`.
#[derive(Debug, clap::Args)]
pub struct Divergences {
    /// Only check that docs/divergences.md is current (exit 1 if not).
    #[arg(long)]
    pub check: bool,
}

/// `cargo xtask soak`.
#[derive(Debug, clap::Args)]
pub struct Soak {
    /// Only these guests (repeatable).
    #[arg(long = "guest")]
    pub guests: Vec<String>,
    /// Only these hosts (repeatable).
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// Calls per cell.
    #[arg(long, default_value_t = 100_000)]
    pub calls: usize,
    /// Calls per host that each trap and replace the instance (the `panic`
    /// fixture).
    #[arg(long, default_value_t = 10_000)]
    pub replace_calls: usize,
}

/// `cargo xtask new-guest`.
#[derive(Debug, clap::Args)]
pub struct NewGuest {
    /// The guest's name: the directory `guests/<name>/`.
    pub name: String,
    /// The language: a directory under `templates/` (c, go, js, python,
    /// rust), or with --contract under `templates/any/` (python, rust).
    #[arg(long)]
    pub lang: String,
    /// The contract the guest implements.  Its scaffold comes from
    /// `templates/any/<lang>/`: bindings from the language's generator, and
    /// every export a stub that traps, whatever the contract.  Without it:
    /// json-tools from `templates/<lang>/`, or the project's one contract.
    #[arg(long)]
    pub contract: Option<String>,
}

/// `cargo xtask bench`: criterion's in-process microbenchmarks, then every
/// guest × host cell and baseline side by side (`crates/bench`).
#[derive(Debug, clap::Args)]
pub struct Bench {
    /// Only criterion benchmarks whose name contains this (criterion's
    /// medians are then left out of the table).
    pub filter: Option<String>,
    /// Only these guests in the table (repeatable); docs/bench.md is written
    /// by full runs only.
    #[arg(long = "guest")]
    pub guests: Vec<String>,
    /// Only these hosts in the table (repeatable).
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// A tenth of the samples and cases, to try it out.
    #[arg(long)]
    pub quick: bool,
    /// Skip criterion.
    #[arg(long)]
    pub no_criterion: bool,
    /// Also time a warm `cargo xtask test-matrix`, last, when every cache
    /// is filled.
    #[arg(long)]
    pub matrix: bool,
    /// Property cases per suite per cell, for the cases/s column.
    #[arg(long, default_value_t = 1000)]
    pub cases: usize,
}

/// `cargo xtask build`.
#[derive(Debug, clap::Args)]
pub struct Build {
    /// Only these guests (repeatable).
    #[arg(long = "guest")]
    pub guests: Vec<String>,
}

/// `cargo xtask test-matrix`.
#[derive(Debug, clap::Args)]
pub struct TestMatrix {
    /// Only the guests of these contracts (repeatable): `--contract
    /// all-types`.
    #[arg(long = "contract")]
    pub contracts: Vec<String>,
    /// Only these guests (repeatable).
    #[arg(long = "guest")]
    pub guests: Vec<String>,
    /// Only these hosts (repeatable).
    #[arg(long = "host")]
    pub hosts: Vec<String>,
    /// Only these suites (repeatable): corpus, valid, invalid, arbitrary
    /// (json-tools and its pipeline), differential (any other contract).
    #[arg(long = "suite")]
    pub suites: Vec<String>,
    /// Run your own `.json` files through every cell instead of the project's
    /// corpus; without snapshots, every cell must agree with the reference.
    #[arg(long)]
    pub corpus: Option<PathBuf>,
    /// Write a JSON report with one record per case × cell × call.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Write JUnit XML: one test case per cell × suite, a failure carrying
    /// the shrunk inputs and the repro commands.
    #[arg(long)]
    pub junit: Option<PathBuf>,
    /// Write a Markdown summary (the matrix, the failures, the repro
    /// commands); it is also appended to `$GITHUB_STEP_SUMMARY` when set.
    #[arg(long)]
    pub summary: Option<PathBuf>,
    /// Property cases per property suite.
    #[arg(long, default_value_t = 1000)]
    pub cases: usize,
    /// For local use: fit the run into about this much time (`30s`, `2m`).
    /// A pilot of 20 cases per suite measures every cell, then each cell
    /// gets as many cases as its share of the rest of the budget allows;
    /// the counts and the seed are printed.  CI keeps fixed counts.
    #[arg(long, value_parser = humantime::parse_duration, conflicts_with = "cases")]
    pub budget: Option<std::time::Duration>,
    /// The seed of the property cases (random when not given; printed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Treat a skipped cell as a failure (for CI).
    #[arg(long)]
    pub require_all: bool,
    /// Under --require-all, allow this guest's row to be skipped for a
    /// missing toolchain (repeatable): `--allow-skip 'tinygo=no registry
    /// ships TinyGo'`.  It is still shown and counted as skipped, with the
    /// reason; a host that cannot run, or a failed build, still fails.
    #[arg(long = "allow-skip", value_name = "GUEST[=REASON]")]
    pub allow_skip: Vec<witness::matrix::AllowedSkip>,
    /// Cells run at once (default: the number of cores).
    #[arg(long)]
    pub jobs: Option<usize>,
}

/// `cargo xtask repro`.
#[derive(Debug, clap::Args)]
pub struct Repro {
    /// The guest.
    #[arg(long)]
    pub guest: String,
    /// The host.
    #[arg(long, default_value = "wasmtime")]
    pub host: String,
    /// The call in WAVE, as a differential failure prints it:
    /// `--call 'format("[1,]", none)'`; it runs beside every voter of the
    /// guest's world, and the consensus decides.
    #[arg(long, conflicts_with_all = ["function", "input_json", "input_file"])]
    pub call: Option<String>,
    /// `format` or `minify` (a formatter guest), or `normalize` (a composed
    /// pipeline, `--guest pipeline-rust+go`).
    #[arg(long = "fn", value_parser = ["format", "minify", "normalize"], required_unless_present = "call")]
    pub function: Option<String>,
    /// `format`'s indent (with neither this nor --sort-keys, options are none).
    #[arg(long)]
    pub indent: Option<u32>,
    /// `format`'s sort-keys.
    #[arg(long)]
    pub sort_keys: bool,
    /// The input as a JSON string literal, e.g. '"[1,\u0000]"'.
    #[arg(long, conflicts_with = "input_file")]
    pub input_json: Option<String>,
    /// The input as a file.
    #[arg(long)]
    pub input_file: Option<PathBuf>,
}
