//! The conformance suites, each run over one cell (a guest in a host).
//!
//! - `corpus`: the hand-written cases against their reviewed snapshots and
//!   declared offsets (or, for a user's corpus, against the reference).
//! - `valid`: generated documents against the oracle's renderings, plus the
//!   invariants `format(format(x)) == format(x)`,
//!   `minify(format(x)) == minify(x)` and sortedness.
//! - `invalid`: documents broken at a known byte against that offset.
//! - `arbitrary`: arbitrary strings, judged differentially: every cell
//!   against the consensus of the world's guests in wasmtime and the
//!   reference implementation (`differential`), not against one of them.
//!
//! A composed pipeline (world `pipeline`, `contracts/json-pipeline/contract.md`) runs the same
//! suites with one `normalize` call per case instead: against the reference's
//! `minify(format(x, indent 2, sort-keys))` for the corpus and arbitrary
//! strings, the oracle's sorted minified rendering for valid documents, and
//! the oracle's offset for invalid ones.
//!
//! Property cases are generated from per-case seeds, run in batches, and a
//! failing case is shrunk with proptest's value tree, one check per step.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    fmt::Debug,
    fs,
    io::Write as _,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock, PoisonError},
};

use proptest::{
    strategy::{BoxedStrategy, Strategy, ValueTree},
    test_runner::{Config as ProptestConfig, RngAlgorithm, TestRng, TestRunner},
};
use serde::Serialize;
use witness_host_api::{Call, FormatOptions, HostError, Outcome, Session};

use crate::{
    contract::{Contract, Plugin},
    corpus::{self, CorpusCase},
    differential::{self, Spec, VoterPool, Voters},
    known,
    verdict::{Normal, call_label, diff},
};

/// Calls per batch sent to a session.
pub const BATCH: usize = 500;

/// How many failing property cases of one suite run are shrunk.
const SHRUNK_FAILURES: usize = 3;

/// The suites, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuiteKind {
    /// Hand-written cases and reviewed snapshots.
    Corpus,
    /// Generated valid documents.
    Valid,
    /// Generated invalid documents.
    Invalid,
    /// Arbitrary strings.
    Arbitrary,
    /// Any contract: values generated from its WIT, judged differentially.
    Differential,
    /// Any contract: values outside their type, which every host must
    /// reject (`boundary.rs`).
    Boundary,
}

impl SuiteKind {
    /// Every suite, in the order they run.
    pub const ALL: [SuiteKind; 6] = [
        SuiteKind::Corpus,
        SuiteKind::Valid,
        SuiteKind::Invalid,
        SuiteKind::Arbitrary,
        SuiteKind::Differential,
        SuiteKind::Boundary,
    ];

    /// The suites of a contract's cells, in the order they run: json-tools'
    /// own four for it and its pipeline, `differential` and `boundary` for
    /// any other.
    pub fn of(contract: &Contract) -> &'static [SuiteKind] {
        match contract.plugin() {
            Plugin::JsonTools | Plugin::JsonPipeline => &[
                SuiteKind::Corpus,
                SuiteKind::Valid,
                SuiteKind::Invalid,
                SuiteKind::Arbitrary,
            ],
            Plugin::Generic => &[SuiteKind::Differential, SuiteKind::Boundary],
        }
    }

    /// The suite's name.
    pub fn name(self) -> &'static str {
        match self {
            SuiteKind::Corpus => "corpus",
            SuiteKind::Valid => "valid",
            SuiteKind::Invalid => "invalid",
            SuiteKind::Arbitrary => "arbitrary",
            SuiteKind::Differential => "differential",
            SuiteKind::Boundary => "boundary",
        }
    }

    /// The suite of a name.
    pub fn from_name(name: &str) -> Option<SuiteKind> {
        SuiteKind::ALL
            .into_iter()
            .find(|suite| suite.name() == name)
    }
}

/// Identifies a cell in messages and repro commands.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The guest's name.
    pub guest: String,
    /// The host's name.
    pub host: String,
    /// The guest's contract, which decides the suites and the calls.
    pub contract: Contract,
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.guest, self.host)
    }
}

/// How to run the suites.
#[derive(Clone, Debug)]
pub struct SuiteConfig {
    /// The voters of the differential suites (`arbitrary`); a differential
    /// suite without them fails, saying so.
    pub voters: Option<Arc<VoterPool>>,
    /// Property cases per property suite.
    pub cases: usize,
    /// The run's seed; every cell sees the same cases for the same seed.
    pub seed: u64,
    /// The corpus: the project's own (with snapshots) or a user's.
    pub corpus: CorpusSource,
    /// Whether to replay the contract's regression files
    /// (`contracts/<name>/regressions/<suite>.txt`) first, and append the
    /// run's shrunk failures to them.
    pub regressions: bool,
    /// Whether to keep a record of every call for the report.
    pub record: bool,
}

/// Where the corpus suite's cases come from.
#[derive(Clone, Debug)]
pub enum CorpusSource {
    /// The project's corpus, with snapshots in the given directory.
    Project {
        /// `contracts/json-tools/corpus/`.
        corpus_dir: PathBuf,
        /// `contracts/json-tools/snapshots/`.
        snapshots_dir: PathBuf,
    },
    /// A user's directory of `.json` files: every cell must agree with the
    /// reference implementation.
    User(PathBuf),
}

/// One call of one case, for the report.
#[derive(Clone, Debug, Serialize)]
pub struct CallRecord {
    /// The case's id, e.g. `numbers/negative-zero` or `valid#17`.
    pub case: String,
    /// `format`, `minify` or `normalize`.
    pub function: &'static str,
    /// The options of a `format` call.
    pub options: Option<FormatOptions>,
    /// What the cell gave.
    pub outcome: Normal,
    /// Whether it was right.
    pub passed: bool,
}

/// A case that failed, shrunk where it was generated.
#[derive(Clone, Debug, Serialize)]
pub struct Failure {
    /// The case's id.
    pub case: String,
    /// What was wrong, one line per wrong call, with diffs.
    pub details: Vec<String>,
    /// The (minimal) failing input.
    pub input: String,
    /// The (minimal) failing call in WAVE, for a differential case.
    pub call: Option<String>,
    /// The command that reproduces the first wrong call.
    pub repro: String,
    /// How many shrink steps were taken (`None`: a hand-written case).
    pub shrink_steps: Option<usize>,
}

/// A snapshot that is missing or differs, for the test runner to hand to
/// insta for review.
#[derive(Clone, Debug)]
pub struct UnmatchedSnapshot {
    /// The snapshot's name.
    pub name: String,
    /// The directory it belongs in.
    pub dir: PathBuf,
    /// The corpus file it is of.
    pub input_file: PathBuf,
    /// What this cell gave.
    pub rendered: String,
}

/// A suite's result in one cell.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SuiteResult {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// The failures, in order.
    pub failures: Vec<Failure>,
    /// Every call, when recording.
    #[serde(skip)]
    pub records: Vec<CallRecord>,
    /// Problems with the suite's own inputs (a corpus file that is not UTF-8,
    /// a missing snapshot): each also counts as a failed case.
    pub errors: Vec<String>,
    /// Functions the suite could not call, each `skipped: <reason>`
    /// (a resource in its signature): listed, never dropped, and never
    /// counted as passed.
    pub skipped: Vec<String>,
    /// Cases explained by a known divergence (`known.rs`), one line per
    /// divergence: `known: <id> (N cases): <reason>` (a boundary probe's:
    /// `known: <id> (probe <probe>): <what the host did>`); never counted as
    /// passed.
    pub known: Vec<String>,
    /// How many cases those explained.
    pub known_cases: usize,
    /// Snapshots that are missing or differ: (name, what this cell gave), for
    /// the test runner to hand to insta for review.
    #[serde(skip)]
    pub unmatched_snapshots: Vec<UnmatchedSnapshot>,
}

impl SuiteResult {
    /// A suite that could not run: one failed case that says why.
    pub fn broken(error: String) -> SuiteResult {
        SuiteResult {
            failed: 1,
            errors: vec![error],
            ..SuiteResult::default()
        }
    }

    /// A one-paragraph account of the failures, for test output.
    pub fn explain(&self, cell: &Cell, suite: SuiteKind) -> String {
        let mut text = format!(
            "{cell}::{}: {} passed, {} failed\n",
            suite.name(),
            self.passed,
            self.failed
        );
        for error in &self.errors {
            text.push_str(&format!("\n{error}\n"));
        }
        for line in self.skipped.iter().chain(&self.known) {
            text.push_str(&format!("\n{line}\n"));
        }
        for failure in self.failures.iter().take(5) {
            match failure.shrink_steps {
                Some(steps) => text.push_str(&format!(
                    "\ncase {} (shrunk in {steps} steps)\n",
                    failure.case
                )),
                None => text.push_str(&format!("\ncase {}\n", failure.case)),
            }
            match &failure.call {
                Some(call) => text.push_str(&format!("call: {call}\n")),
                None => text.push_str(&format!("input: {}\n", json_escape(&failure.input, 400))),
            }
            for detail in &failure.details {
                text.push_str(detail);
                text.push('\n');
            }
            text.push_str(&format!("reproduce: {}\n", failure.repro));
        }
        if self.failures.len() > 5 {
            text.push_str(&format!(
                "\n... and {} more failures\n",
                self.failures.len() - 5
            ));
        }
        text
    }
}

/// Runs one suite in one cell.
///
/// # Errors
/// A [`HostError`] when the host itself failed; the cell cannot go on.
pub fn run(
    suite: SuiteKind,
    session: &mut dyn Session,
    cell: &Cell,
    config: &SuiteConfig,
) -> Result<SuiteResult, HostError> {
    match (cell.contract.plugin(), suite) {
        (_, SuiteKind::Boundary) => Ok(SuiteResult::broken(
            "the boundary suite opens sessions of its own: run it with `boundary::run`".to_owned(),
        )),
        (Plugin::JsonTools | Plugin::JsonPipeline, SuiteKind::Corpus) => {
            run_corpus(session, cell, config)
        }
        (Plugin::JsonTools, SuiteKind::Valid) => {
            run_property(&ValidDocuments, session, cell, config)
        }
        (Plugin::JsonTools, SuiteKind::Invalid) => {
            run_property(&InvalidDocuments, session, cell, config)
        }
        (Plugin::JsonPipeline, SuiteKind::Valid) => {
            run_property(&Normalized(ValidDocuments), session, cell, config)
        }
        (Plugin::JsonPipeline, SuiteKind::Invalid) => {
            run_property(&Normalized(InvalidDocuments), session, cell, config)
        }
        _ => {
            let Some(spec) = differential_spec(&cell.contract, suite) else {
                let suites: Vec<&str> = SuiteKind::of(&cell.contract)
                    .iter()
                    .map(|suite| suite.name())
                    .collect();
                return Ok(SuiteResult::broken(format!(
                    "the contract `{}` has no suite `{}`; its suites are {}",
                    cell.contract,
                    suite.name(),
                    suites.join(", ")
                )));
            };
            let Some(pool) = &config.voters else {
                return Ok(SuiteResult::broken(format!(
                    "the differential suite `{}` has no voters: the front end gave none",
                    suite.name()
                )));
            };
            match pool.voters(&cell.contract) {
                Ok(voters) => run_differential(&spec, &voters, session, cell, config),
                Err(err) => Ok(SuiteResult::broken(format!(
                    "the differential suite `{}` cannot vote: {err}",
                    suite.name()
                ))),
            }
        }
    }
}

/// The differential suite `suite` of `contract`: json-tools' `arbitrary`
/// (its strings and options, its comparison of errors), or the generic
/// `differential` of any other contract (values generated from the WIT,
/// compared as values, decided by the contract's reference guest if it names
/// one).  `None` when the contract has no such differential suite.
pub fn differential_spec(contract: &Contract, suite: SuiteKind) -> Option<Spec> {
    let functions = contract.functions().to_vec();
    match (contract.plugin(), suite) {
        (Plugin::JsonTools | Plugin::JsonPipeline, SuiteKind::Arbitrary) => {
            Some(crate::json_tools::arbitrary_spec(functions))
        }
        (Plugin::Generic, SuiteKind::Differential) => {
            let mut spec = Spec::new(SuiteKind::Differential.name(), functions);
            spec.reference = contract.reference().map(str::to_owned);
            Some(spec)
        }
        _ => None,
    }
}

/// Runs calls in batches of [`BATCH`].
///
/// # Errors
/// When the session fails, or answers a batch with the wrong number of outcomes.
pub fn call_all(
    session: &mut dyn Session,
    calls: &[Call],
    cell: &Cell,
) -> Result<Vec<Normal>, HostError> {
    let mut normals = Vec::with_capacity(calls.len());
    for batch in calls.chunks(BATCH) {
        let outcomes = session.call_batch(batch)?;
        if outcomes.len() != batch.len() {
            return Err(HostError::Crashed {
                host: cell.host.clone(),
                guest: cell.guest.clone(),
                message: format!(
                    "answered {} outcomes for a batch of {} calls",
                    outcomes.len(),
                    batch.len()
                ),
                stderr: String::new(),
            });
        }
        normals.extend(outcomes.into_iter().map(Normal::from_outcome));
    }
    Ok(normals)
}

/// The reference implementation's outcome: the Rust formatter built natively.
pub fn reference(call: &Call) -> Normal {
    Normal::of(&match reference_output(call) {
        Ok(output) => Outcome::Ok(output),
        Err(err) => Outcome::Err(err.to_string()),
    })
}

/// The reference implementation's result for a call, before it is made an
/// [`Outcome`]: what the bench times as the native baseline of a call.
///
/// # Errors
/// The formatter's error, for input the contract rejects.
pub fn reference_output(call: &Call) -> Result<String, json_format::Error> {
    match call {
        Call::Format { input, options } => json_format::format(
            input,
            options.map(
                |FormatOptions { indent, sort_keys }| json_format::FormatOptions {
                    indent,
                    sort_keys,
                },
            ),
        ),
        Call::Minify { input } => json_format::minify(input),
        Call::Normalize { input } => reference_normalize(input),
    }
}

/// The pipeline's `normalize` as the reference computes it:
/// `minify(format(input, indent 2, sort-keys))`, or the error of `format`
/// (`contracts/json-pipeline/contract.md`).
fn reference_normalize(input: &str) -> Result<String, json_format::Error> {
    let formatted = json_format::format(
        input,
        Some(json_format::FormatOptions {
            indent: 2,
            sort_keys: true,
        }),
    )?;
    json_format::minify(&formatted)
}

fn run_corpus(
    session: &mut dyn Session,
    cell: &Cell,
    config: &SuiteConfig,
) -> Result<SuiteResult, HostError> {
    let (dir, snapshots_dir) = match &config.corpus {
        CorpusSource::Project {
            corpus_dir,
            snapshots_dir,
        } => (corpus_dir.as_path(), Some(snapshots_dir.as_path())),
        CorpusSource::User(dir) => (dir.as_path(), None),
    };
    // The snapshots are of the formatter's calls; a pipeline's `normalize` is
    // held to the reference (and to the offsets of `errors.toml`).
    let snapshots_dir = snapshots_dir.filter(|_| cell.contract.plugin() == Plugin::JsonTools);
    let mut result = SuiteResult::default();
    let cases = match corpus::load(dir, snapshots_dir.is_some()) {
        Ok(cases) => cases,
        Err(err) => {
            result.failed += 1;
            result.errors.push(err.to_string());
            return Ok(result);
        }
    };
    let mut good = Vec::new();
    for case in cases {
        match case {
            Ok(case) => good.push(case),
            Err(err) => {
                result.failed += 1;
                result.errors.push(err.to_string());
            }
        }
    }
    if good.is_empty() && result.errors.is_empty() {
        result.failed += 1;
        result
            .errors
            .push(format!("{}: no `.json` cases", dir.display()));
    }
    let per_case: Vec<Vec<Call>> = good
        .iter()
        .map(|case| match cell.contract.plugin() {
            Plugin::JsonPipeline => vec![Call::Normalize {
                input: case.input.clone(),
            }],
            Plugin::JsonTools | Plugin::Generic => corpus::calls(&case.input),
        })
        .collect();
    let all_calls: Vec<Call> = per_case.iter().flatten().cloned().collect();
    let outcomes = call_all(session, &all_calls, cell)?;
    let mut offset = 0;
    for (case, calls) in good.iter().zip(&per_case) {
        let outcomes = &outcomes[offset..offset + calls.len()];
        offset += calls.len();
        let mut details = corpus::check_declared(case, calls, outcomes);
        let mut passed_calls = vec![true; calls.len()];
        match snapshots_dir {
            Some(snapshots_dir) => {
                let problems = check_snapshot(case, calls, outcomes, snapshots_dir);
                if !problems.is_empty() {
                    let rendered = corpus::render(case, calls, outcomes);
                    result.unmatched_snapshots.push(UnmatchedSnapshot {
                        name: corpus::snapshot_name(case),
                        dir: snapshots_dir.to_path_buf(),
                        input_file: case.path.clone(),
                        rendered,
                    });
                }
                details.extend(problems);
            }
            None => {
                for (index, (call, outcome)) in calls.iter().zip(outcomes).enumerate() {
                    let expected = reference(call);
                    if !outcome.agrees_with(&expected) {
                        passed_calls[index] = false;
                        details.push(mismatch(call, &expected, outcome, "the reference"));
                    }
                }
            }
        }
        for (index, outcome) in outcomes.iter().enumerate() {
            if matches!(outcome, Normal::Trap { .. } | Normal::BadError { .. }) {
                passed_calls[index] = false;
            }
        }
        if config.record {
            for ((call, outcome), passed) in calls.iter().zip(outcomes).zip(&passed_calls) {
                result.records.push(record(
                    &case.id,
                    call,
                    outcome,
                    *passed && details.is_empty(),
                ));
            }
        }
        if details.is_empty() {
            result.passed += 1;
        } else {
            result.failed += 1;
            let first = calls.first().expect("every case has calls");
            result.failures.push(Failure {
                case: case.id.clone(),
                details,
                input: case.input.clone(),
                repro: repro_command(cell, first),
                call: None,
                shrink_steps: None,
            });
        }
    }
    Ok(result)
}

fn check_snapshot(
    case: &CorpusCase,
    calls: &[Call],
    outcomes: &[Normal],
    snapshots_dir: &Path,
) -> Vec<String> {
    let rendered = corpus::render(case, calls, outcomes);
    let path = snapshots_dir.join(format!("{}.snap", corpus::snapshot_name(case)));
    match corpus::read_snapshot(&path) {
        Ok(Some(expected)) if expected == rendered => vec![],
        Ok(Some(expected)) => vec![format!(
            "{}: differs from its snapshot {} (review with `cargo insta review`)\n{}",
            case.id,
            path.display(),
            diff(&expected, &rendered)
        )],
        Ok(None) => vec![format!(
            "{}: no snapshot {} yet: run the tests (`cargo test`) and review it with `cargo insta review`",
            case.id,
            path.display()
        )],
        Err(err) => vec![format!("{err:#}")],
    }
}

fn record(case: &str, call: &Call, outcome: &Normal, passed: bool) -> CallRecord {
    let options = match call {
        Call::Format { options, .. } => *options,
        Call::Minify { .. } | Call::Normalize { .. } => None,
    };
    let function = call.function();
    CallRecord {
        case: case.to_owned(),
        function,
        options,
        outcome: outcome.clone(),
        passed,
    }
}

fn mismatch(call: &Call, expected: &Normal, actual: &Normal, against: &str) -> String {
    let mut text = format!(
        "{}: expected ({against}) {expected}\n  got {actual}",
        call_label(call)
    );
    if let (Some(expected), Some(actual)) = (expected.output(), actual.output()) {
        text.push('\n');
        text.push_str(&diff(expected, actual));
    }
    text
}

/// A property: how to generate a case, which calls it makes, and how to judge
/// the outcomes.
trait Property: Sync + 'static {
    type Value: Debug + Clone + Send + Sync + 'static;

    fn suite(&self) -> SuiteKind;
    fn strategy(&self) -> BoxedStrategy<Self::Value>;
    /// The case's input document, for the failure report.
    fn input(&self, value: &Self::Value) -> String;
    fn calls(&self, value: &Self::Value) -> Vec<Call>;
    /// One line (with a diff) per wrong call; empty when the case passed.
    fn check(
        &self,
        value: &Self::Value,
        calls: &[Call],
        outcomes: &[Normal],
    ) -> Vec<(usize, String)>;
    /// What `normalize` of the case's input must give, and by whose account;
    /// the reference's by default.
    fn normalized(&self, value: &Self::Value) -> (Normal, String) {
        (
            reference(&Call::Normalize {
                input: self.input(value),
            }),
            "the reference".to_owned(),
        )
    }
}

/// A formatter property turned into a pipeline's: one `normalize` call of the
/// same generated input, held to [`Property::normalized`].
struct Normalized<P>(P);

impl<P: Property> Property for Normalized<P> {
    type Value = P::Value;

    fn suite(&self) -> SuiteKind {
        self.0.suite()
    }

    fn strategy(&self) -> BoxedStrategy<Self::Value> {
        self.0.strategy()
    }

    fn input(&self, value: &Self::Value) -> String {
        self.0.input(value)
    }

    fn calls(&self, value: &Self::Value) -> Vec<Call> {
        vec![Call::Normalize {
            input: self.0.input(value),
        }]
    }

    fn check(
        &self,
        value: &Self::Value,
        calls: &[Call],
        outcomes: &[Normal],
    ) -> Vec<(usize, String)> {
        let (expected, against) = self.0.normalized(value);
        let mut problems = Vec::new();
        if !outcomes[0].agrees_with(&expected) {
            problems.push((0, mismatch(&calls[0], &expected, &outcomes[0], &against)));
        }
        problems
    }
}

pub(crate) fn format_options() -> impl Strategy<Value = Option<FormatOptions>> {
    proptest::prop_oneof![
        1 => proptest::strategy::Just(None),
        3 => (0u32..=16, proptest::bool::ANY).prop_map(|(indent, sort_keys)| Some(FormatOptions { indent, sort_keys })),
    ]
}

/// `valid`: the oracle's documents, their renderings, and the invariants.
struct ValidDocuments;

impl Property for ValidDocuments {
    type Value = (witness_oracle::Document, Option<FormatOptions>);

    fn suite(&self) -> SuiteKind {
        SuiteKind::Valid
    }

    fn strategy(&self) -> BoxedStrategy<Self::Value> {
        let document = proptest::prop_oneof![
            30 => witness_oracle::document(),
            1 => witness_oracle::deep_document(256),
        ];
        // A document at depth 256 is there to test depth, not size: with an
        // indent of up to 16 its rendering is up to 1 MB, sent through the
        // guest twice and rendered three times by the harness, which made it
        // most of the suite's cost (and ran an interpreted guest out of
        // fuel).  So a document deeper than 64 gets an indent of at most 2;
        // the corpus formats depth 256 with indent 16.  (A map, not a second
        // strategy, so that the saved regression seeds still draw the same
        // documents.)
        (document, format_options())
            .prop_map(|(document, options)| {
                let options = match options {
                    Some(options) if document.max_depth() > 64 => Some(FormatOptions {
                        indent: options.indent.min(2),
                        ..options
                    }),
                    options => options,
                };
                (document, options)
            })
            .boxed()
    }

    fn input(&self, (document, _): &Self::Value) -> String {
        document.text()
    }

    fn calls(&self, (document, options): &Self::Value) -> Vec<Call> {
        let text = document.text();
        let (indent, sort_keys) =
            options.map_or((2, false), |options| (options.indent, options.sort_keys));
        // The cell's format(x) must equal the oracle's rendering, so the
        // invariants can be checked on that rendering in the same batch:
        // format(format(x)) == format(x), and minify(format(x)) == minify(x)
        // (on the unsorted rendering: minify never sorts).
        vec![
            Call::Format {
                input: text.clone(),
                options: *options,
            },
            Call::Minify { input: text },
            Call::Format {
                input: document.format(indent, sort_keys),
                options: *options,
            },
            Call::Minify {
                input: document.format(indent, false),
            },
        ]
    }

    fn check(
        &self,
        (document, options): &Self::Value,
        calls: &[Call],
        outcomes: &[Normal],
    ) -> Vec<(usize, String)> {
        let (indent, sort_keys) =
            options.map_or((2, false), |options| (options.indent, options.sort_keys));
        let formatted = Normal::Ok {
            output: document.format(indent, sort_keys),
        };
        let minified = Normal::Ok {
            output: document.minify(),
        };
        let expectations = [
            (&formatted, "the oracle"),
            (&minified, "the oracle"),
            (&formatted, "idempotence: format(format(x)) == format(x)"),
            (&minified, "minify(format(x)) == minify(x)"),
        ];
        let mut problems = Vec::new();
        for (index, ((call, outcome), (expected, against))) in
            calls.iter().zip(outcomes).zip(expectations).enumerate()
        {
            if !outcome.agrees_with(expected) {
                problems.push((index, mismatch(call, expected, outcome, against)));
            }
        }
        if sort_keys
            && let Some(output) = outcomes[0].output()
            && let Err(message) = witness_oracle::check_sorted(output)
        {
            problems.push((
                0,
                format!("{}: output not sorted: {message}", call_label(&calls[0])),
            ));
        }
        problems
    }

    fn normalized(&self, (document, _): &Self::Value) -> (Normal, String) {
        (
            Normal::Ok {
                output: document.normalize(),
            },
            "the oracle".to_owned(),
        )
    }
}

/// `invalid`: documents broken at a known byte.
struct InvalidDocuments;

impl Property for InvalidDocuments {
    type Value = (witness_oracle::Invalid, Option<FormatOptions>);

    fn suite(&self) -> SuiteKind {
        SuiteKind::Invalid
    }

    fn strategy(&self) -> BoxedStrategy<Self::Value> {
        (witness_oracle::invalid_document(), format_options()).boxed()
    }

    fn input(&self, (invalid, _): &Self::Value) -> String {
        invalid.text.clone()
    }

    fn calls(&self, (invalid, options): &Self::Value) -> Vec<Call> {
        vec![
            Call::Format {
                input: invalid.text.clone(),
                options: *options,
            },
            Call::Minify {
                input: invalid.text.clone(),
            },
            Call::Format {
                input: invalid.text.clone(),
                options: Some(FormatOptions {
                    indent: 17,
                    sort_keys: false,
                }),
            },
        ]
    }

    fn check(
        &self,
        (invalid, _): &Self::Value,
        calls: &[Call],
        outcomes: &[Normal],
    ) -> Vec<(usize, String)> {
        let at = Normal::ErrAt {
            offset: invalid.offset,
        };
        let against = format!("the oracle: {}", invalid.mutation);
        let expectations = [
            (&at, against.as_str()),
            (&at, against.as_str()),
            (&Normal::InvalidOptions, "options first"),
        ];
        calls
            .iter()
            .zip(outcomes)
            .zip(expectations)
            .enumerate()
            .filter(|(_, ((_, outcome), (expected, _)))| !outcome.agrees_with(expected))
            .map(|(index, ((call, outcome), (expected, against)))| {
                (index, mismatch(call, expected, outcome, against))
            })
            .collect()
    }

    fn normalized(&self, (invalid, _): &Self::Value) -> (Normal, String) {
        (
            Normal::ErrAt {
                offset: invalid.offset,
            },
            format!("the oracle: {}", invalid.mutation),
        )
    }
}

/// The seed of case `index` of `suite` in a run with `seed`.
fn case_seed(seed: u64, suite: &str, index: usize) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&seed.to_le_bytes());
    hasher.update(suite.as_bytes());
    hasher.update(&(index as u64).to_le_bytes());
    *hasher.finalize().as_bytes()
}

/// The case that `seed` draws from `strategy` (a [`Property::strategy`],
/// built once per suite: building it costs as much as drawing a case).
fn new_tree<T: Debug + 'static>(
    strategy: &BoxedStrategy<T>,
    seed: &[u8; 32],
) -> Box<dyn ValueTree<Value = T>> {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, seed);
    let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng);
    let tree = strategy
        .new_tree(&mut runner)
        .expect("the strategies never reject");
    Box::new(tree)
}

/// Generates the cases of the property suite `suite` that `config` asks for,
/// as the first cell to run it would, so that a measurement of one cell
/// (`cargo xtask bench`) sees what a cell of the matrix costs: the matrix
/// generates a case once for every cell (see [`generated`]).  Does nothing
/// for a suite that is not a property suite of json-tools or json-pipeline.
pub fn generate_ahead(suite: SuiteKind, contract: &Contract, config: &SuiteConfig) {
    fn ahead<P: Property>(property: &P, config: &SuiteConfig) {
        let strategy = property.strategy();
        for index in 0..config.cases {
            generated(
                property,
                &strategy,
                &case_seed(config.seed, property.suite().name(), index),
            );
        }
    }
    match (contract.plugin(), suite) {
        (Plugin::JsonTools, SuiteKind::Valid) => ahead(&ValidDocuments, config),
        (Plugin::JsonTools, SuiteKind::Invalid) => ahead(&InvalidDocuments, config),
        (Plugin::JsonPipeline, SuiteKind::Valid) => ahead(&Normalized(ValidDocuments), config),
        (Plugin::JsonPipeline, SuiteKind::Invalid) => ahead(&Normalized(InvalidDocuments), config),
        _ => {}
    }
}

/// A generated case: its value and the calls it makes.
type Generated<V> = (V, Vec<Call>);

/// The most bytes of inputs that [`generated`] keeps.
const GENERATED_BYTES: usize = 256 << 20;

/// Generated cases by property, suite and seed, with the bytes of their
/// calls' inputs.  Every cell that runs a suite with the run's seed draws
/// the same cases (a case's seed does not depend on the guest or host), so
/// a matrix of 15 json-tools rows in 4 hosts generated each case 60 times:
/// now a process generates it once, up to [`GENERATED_BYTES`], and draws it
/// again past that.
type GeneratedCache = (
    HashMap<(TypeId, &'static str, [u8; 32]), Arc<dyn Any + Send + Sync>>,
    usize,
);

fn generated<P: Property>(
    property: &P,
    strategy: &BoxedStrategy<P::Value>,
    seed: &[u8; 32],
) -> Arc<Generated<P::Value>> {
    static CACHE: OnceLock<Mutex<GeneratedCache>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let key = (TypeId::of::<P>(), property.suite().name(), *seed);
    let cached = cache
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .0
        .get(&key)
        .cloned();
    if let Some(case) = cached.and_then(|case| case.downcast::<Generated<P::Value>>().ok()) {
        return case;
    }
    let value = new_tree(strategy, seed).current();
    let calls = property.calls(&value);
    let bytes: usize = calls.iter().map(|call| call.input().len()).sum();
    let case = Arc::new((value, calls));
    let mut cache = cache.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.1 + bytes <= GENERATED_BYTES {
        cache.1 += bytes;
        cache.0.insert(key, case.clone());
    }
    case
}

fn run_property<P: Property>(
    property: &P,
    session: &mut dyn Session,
    cell: &Cell,
    config: &SuiteConfig,
) -> Result<SuiteResult, HostError> {
    let suite = property.suite();
    let regressions = config.regressions.then(|| {
        cell.contract
            .regressions_dir()
            .join(format!("{}.txt", suite.name()))
    });
    let replayed = regressions
        .as_deref()
        .map(regressions_of_run)
        .unwrap_or_default()
        .seeds;
    let seeds: Vec<(String, [u8; 32])> = replayed
        .into_iter()
        .enumerate()
        .map(|(index, seed)| (format!("{}-regression#{index}", suite.name()), seed))
        .chain((0..config.cases).map(|index| {
            (
                format!("{}#{index}", suite.name()),
                case_seed(config.seed, suite.name(), index),
            )
        }))
        .collect();
    let mut result = SuiteResult::default();
    let strategy = property.strategy();
    // Generate and run in chunks, so that memory stays bounded for large
    // `--cases`.
    for chunk in seeds.chunks(BATCH / 4) {
        let cases: Vec<Arc<Generated<P::Value>>> = chunk
            .iter()
            .map(|(_, seed)| generated(property, &strategy, seed))
            .collect();
        let values: Vec<&P::Value> = cases.iter().map(|case| &case.0).collect();
        // Every case's calls, end to end, and where each case's end.
        let mut all_calls: Vec<Call> = Vec::new();
        let mut ends = Vec::with_capacity(values.len());
        for case in &cases {
            all_calls.extend_from_slice(&case.1);
            ends.push(all_calls.len());
        }
        let outcomes = call_all(session, &all_calls, cell)?;
        let mut offset = 0;
        for (((id, seed), &value), end) in chunk.iter().zip(&values).zip(ends) {
            let (calls, outcomes) = (&all_calls[offset..end], &outcomes[offset..end]);
            offset = end;
            let problems = property.check(value, calls, outcomes);
            if config.record {
                for (index, (call, outcome)) in calls.iter().zip(outcomes).enumerate() {
                    let passed = !problems.iter().any(|(wrong, _)| *wrong == index);
                    result.records.push(record(id, call, outcome, passed));
                }
            }
            if problems.is_empty() {
                result.passed += 1;
                continue;
            }
            result.failed += 1;
            // Shrinking costs up to MAX_STEPS calls; a guest that fails
            // everything would take hours, so only the first few failures
            // are shrunk and the rest are reported as generated.
            let failure = if result.failures.len() < SHRUNK_FAILURES {
                shrink(property, &strategy, session, cell, id, seed)?
            } else {
                Failure {
                    case: id.clone(),
                    details: problems.into_iter().map(|(_, detail)| detail).collect(),
                    input: property.input(value),
                    repro: repro_command(cell, &calls[0]),
                    call: None,
                    shrink_steps: None,
                }
            };
            // Only shrunk failures are kept: a guest that fails everything
            // must not flood the file with a seed per case.
            if let Some(path) = &regressions
                && failure.shrink_steps.is_some()
            {
                save_regression(path, seed, &json_escape(&failure.input, 80));
            }
            result.failures.push(failure);
        }
    }
    Ok(result)
}

/// Has the voters of `contract` cast their votes on the first `cases` cases
/// of the differential `suite` with `seed` now, so that the cells that run it later
/// pay nothing for them (the bench times cells that way).
///
/// # Errors
/// When the voters cannot be had or cannot vote.
pub fn vote_ahead(
    pool: &VoterPool,
    contract: &Contract,
    suite: SuiteKind,
    seed: u64,
    cases: usize,
) -> Result<(), String> {
    let voters = pool.voters(contract)?;
    let spec = differential_spec(contract, suite).ok_or_else(|| {
        format!(
            "the contract `{contract}` has no differential suite `{}`",
            suite.name()
        )
    })?;
    let strategy = spec.strategy();
    let seeds: Vec<[u8; 32]> = (0..cases)
        .map(|index| case_seed(seed, spec.suite, index))
        .collect();
    for chunk in seeds.chunks(BATCH) {
        let invocations: Vec<witness_host_api::Invocation> = chunk
            .iter()
            .map(|seed| spec.invocation(&new_tree(&strategy, seed).current()))
            .collect();
        voters.votes(&spec, chunk, &invocations)?;
    }
    Ok(())
}

/// Runs a differential suite in one cell: the same generated calls as in
/// every other cell, each answer held to the voters' consensus
/// ([`differential`]).
fn run_differential(
    spec: &Spec,
    voters: &Voters,
    session: &mut dyn Session,
    cell: &Cell,
    config: &SuiteConfig,
) -> Result<SuiteResult, HostError> {
    let regressions = config.regressions.then(|| {
        cell.contract
            .regressions_dir()
            .join(format!("{}.txt", spec.regressions))
    });
    let replayed = regressions
        .as_deref()
        .map(regressions_of_run)
        .unwrap_or_default();
    let seeds: Vec<(String, [u8; 32])> = replayed
        .seeds
        .into_iter()
        .enumerate()
        .map(|(index, seed)| (format!("{}-regression#{index}", spec.suite), seed))
        .chain((0..config.cases).map(|index| {
            (
                format!("{}#{index}", spec.suite),
                case_seed(config.seed, spec.suite, index),
            )
        }))
        .collect();
    let mut result = SuiteResult::default();
    result.skipped.extend(spec.skipped.iter().cloned());
    let mut known = match known::of(&cell.contract) {
        Ok(divergences) => KnownHits::new(divergences),
        Err(err) => {
            result.failed += 1;
            result.errors.push(err);
            return Ok(result);
        }
    };
    if spec.functions.is_empty() {
        result.failed += 1;
        result.errors.push(format!(
            "{}: the world exports no function witness can call",
            spec.suite
        ));
        return Ok(result);
    }
    if let Some(path) = &regressions {
        replay_calls(
            spec,
            voters,
            session,
            cell,
            (path, "call"),
            &replayed.calls,
            (&mut known, &mut result),
        )?;
    }
    // The contract's own corpus of calls, if it has one.
    let corpus = cell.contract.dir().join(CALL_CORPUS);
    match fs::read_to_string(&corpus) {
        Ok(text) => {
            let calls: Vec<(usize, String)> = text
                .lines()
                .enumerate()
                .map(|(index, line)| (index + 1, line.trim()))
                .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
                .map(|(line, call)| (line, call.to_owned()))
                .collect();
            let answered = replay_calls(
                spec,
                voters,
                session,
                cell,
                (&corpus, "corpus"),
                &calls,
                (&mut known, &mut result),
            )?;
            check_calls_snapshot(spec, cell, &corpus, &answered, &mut result);
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => {
            result.failed += 1;
            result.errors.push(format!("{}: {err}", corpus.display()));
        }
    }
    replay_known_inputs(spec, voters, session, cell, (&mut known, &mut result))?;
    let strategy = spec.strategy();
    let names = voters.names();
    for chunk in seeds.chunks(BATCH) {
        let values: Vec<(usize, Vec<witness_host_api::Value>)> = chunk
            .iter()
            .map(|(_, seed)| new_tree(&strategy, seed).current())
            .collect();
        let invocations: Vec<witness_host_api::Invocation> =
            values.iter().map(|value| spec.invocation(value)).collect();
        let chunk_seeds: Vec<[u8; 32]> = chunk.iter().map(|(_, seed)| *seed).collect();
        let Some((answers, votes)) = answers_and_votes(
            (spec, voters),
            (session, cell),
            &chunk_seeds,
            &invocations,
            &mut result,
        )?
        else {
            return Ok(result);
        };
        for ((((id, seed), value), (invocation, answer)), case_votes) in chunk
            .iter()
            .zip(&values)
            .zip(invocations.iter().zip(answers))
            .zip(&votes)
        {
            let (mine, consensus) = judge(spec, names, invocation, answer, case_votes);
            let agreed = consensus.is_some_and(|consensus| mine.agrees_with(consensus));
            if config.record {
                record_invocation(&mut result, id, invocation, &mine, agreed);
            }
            if agreed {
                result.passed += 1;
                continue;
            }
            if known.explains(cell, &spec.wave(value), &mine, consensus) {
                continue;
            }
            result.failed += 1;
            // When every voter trapped too, no answer is right on this input,
            // nor on any smaller one: shrinking would only call every guest a
            // thousand times more (a row of fresh scaffolds, whose every
            // export traps, is this case).
            let nobody_answered = case_votes
                .iter()
                .all(|vote| matches!(vote, differential::Vote::Bad(_)));
            let failure = if result.failures.len() < SHRUNK_FAILURES && !nobody_answered {
                shrink_differential(spec, voters, &strategy, session, cell, id, seed)?
            } else {
                disagreement(
                    spec,
                    names,
                    cell,
                    id.clone(),
                    &mine,
                    case_votes,
                    spec.wave(value),
                )
            };
            if let Some(path) = &regressions
                && failure.shrink_steps.is_some()
            {
                save_regression_call(path, failure.call.as_deref().unwrap_or_default());
            }
            result.failures.push(failure);
        }
    }
    known.finish(cell, &mut result);
    Ok(result)
}

/// A contract's corpus of calls: `contracts/<name>/calls.wave`, one call in
/// WAVE per line (`#` starts a comment line), replayed by its differential
/// suite in every cell before the generated cases.
pub const CALL_CORPUS: &str = "calls.wave";

/// Replays exact calls in WAVE, from a differential regression file or a
/// contract's corpus of calls (`file`: its path, and what a case of it is
/// called): each is a case of its own (`<suite>-<kind>:<line>`), held to
/// the consensus.  A line that does not spell a call of the world is a
/// failed case that names the file and the line.
fn replay_calls(
    spec: &Spec,
    voters: &Voters,
    session: &mut dyn Session,
    cell: &Cell,
    (path, kind): (&Path, &str),
    calls: &[(usize, String)],
    (known, result): (&mut KnownHits, &mut SuiteResult),
) -> Result<Vec<(String, differential::Vote)>, HostError> {
    let mut cases = Vec::new();
    for (line, text) in calls {
        let parsed = witness_value::wave::parse_call(text).and_then(|parsed| {
            let index = spec
                .functions
                .iter()
                .position(|function| function.key.name == parsed.name())
                .ok_or_else(|| witness_value::wave::WaveError {
                    message: format!("the world exports no function `{}`", parsed.name()),
                })?;
            Ok((index, parsed.args(&spec.functions[index])?))
        });
        match parsed {
            Ok(case) => cases.push((*line, case)),
            Err(err) => {
                result.failed += 1;
                result.errors.push(format!(
                    "{}:{line}: not a call of this world: {err}",
                    path.display()
                ));
            }
        }
    }
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let invocations: Vec<witness_host_api::Invocation> = cases
        .iter()
        .map(|(_, case)| spec.invocation(case))
        .collect();
    // A call is keyed in the voters' cache by the hash of its text.
    let keys: Vec<[u8; 32]> = cases
        .iter()
        .map(|(_, case)| *blake3::hash(spec.wave(case).as_bytes()).as_bytes())
        .collect();
    let Some((answers, votes)) =
        answers_and_votes((spec, voters), (session, cell), &keys, &invocations, result)?
    else {
        return Ok(Vec::new());
    };
    let names = voters.names();
    let mut answered = Vec::with_capacity(cases.len());
    for (((line, case), (invocation, answer)), case_votes) in cases
        .iter()
        .zip(invocations.iter().zip(answers))
        .zip(&votes)
    {
        let (mine, consensus) = judge(spec, names, invocation, answer, case_votes);
        let agreed = consensus.is_some_and(|consensus| mine.agrees_with(consensus));
        if agreed {
            answered.push((spec.wave(case), mine));
            result.passed += 1;
            continue;
        }
        if let Some(consensus) = consensus
            && known.explains(cell, &spec.wave(case), &mine, Some(consensus))
        {
            // Counted as known: what the snapshot holds is the contract's
            // answer.
            answered.push((spec.wave(case), consensus.clone()));
            continue;
        }
        answered.push((spec.wave(case), mine.clone()));
        result.failed += 1;
        let id = format!("{}-{kind}:{line}", spec.suite);
        result.failures.push(disagreement(
            spec,
            names,
            cell,
            id,
            &mine,
            case_votes,
            spec.wave(case),
        ));
    }
    Ok(answered)
}

/// Holds a cell's answers to its contract's corpus of calls to the reviewed
/// snapshot beside it, `snapshots/calls.snap`: one more case, which fails
/// (and hands the rendering to insta for review) when the snapshot is
/// missing or differs.  The snapshot pins what the answers are, even where
/// every guest agrees on a wrong one.
fn check_calls_snapshot(
    spec: &Spec,
    cell: &Cell,
    corpus: &Path,
    answered: &[(String, differential::Vote)],
    result: &mut SuiteResult,
) {
    let rendered: String = answered
        .iter()
        .map(|(call, vote)| {
            let answer = match vote {
                differential::Vote::Value(Some(value)) => witness_value::wave::to_string(value),
                differential::Vote::Value(None) => "(nothing)".to_owned(),
                differential::Vote::Bad(_) => "trap".to_owned(),
            };
            format!("{call}\n  => {answer}\n")
        })
        .collect::<String>()
        .trim_end()
        .to_owned();
    let dir = cell.contract.dir().join("snapshots");
    let path = dir.join(format!("{CALLS_SNAPSHOT}.snap"));
    let problem = match corpus::read_snapshot(&path) {
        Ok(Some(expected)) if expected == rendered => None,
        Ok(Some(expected)) => Some(format!(
            "{}: this cell's answers differ from the reviewed snapshot {} (review with `cargo insta review`)\n{}",
            corpus.display(),
            path.display(),
            diff(&expected, &rendered)
        )),
        Ok(None) => Some(format!(
            "{}: no reviewed snapshot {} of its answers yet: run the tests (`cargo test`) and review it with `cargo insta review`",
            corpus.display(),
            path.display()
        )),
        Err(err) => Some(format!("{err:#}")),
    };
    match problem {
        None => result.passed += 1,
        Some(problem) => {
            result.failed += 1;
            result.failures.push(Failure {
                case: format!("{}-snapshot", spec.suite),
                details: vec![problem],
                input: corpus.display().to_string(),
                call: None,
                repro: format!(
                    "{} test-matrix --guest {} --host {} --suite {}",
                    command(cell),
                    cell.guest,
                    cell.host,
                    spec.suite
                ),
                shrink_steps: None,
            });
            result.unmatched_snapshots.push(UnmatchedSnapshot {
                name: CALLS_SNAPSHOT.to_owned(),
                dir,
                input_file: corpus.to_path_buf(),
                rendered,
            });
        }
    }
}

/// The name of a contract's snapshot of its corpus of calls.
const CALLS_SNAPSHOT: &str = "calls";

/// A batch's answers from the cell, and the voters' votes on each call.
type Answered = (
    Vec<witness_host_api::Answer>,
    Vec<Arc<Vec<differential::Vote>>>,
);

/// The cell's answers to `invocations` and the voters' votes on them (keyed
/// by `keys` in their cache); `None`, with the failure recorded in
/// `result`, when the voters could not vote.
///
/// # Errors
/// When the cell's host failed.
fn answers_and_votes(
    (spec, voters): (&Spec, &Voters),
    (session, cell): (&mut dyn Session, &Cell),
    keys: &[[u8; 32]],
    invocations: &[witness_host_api::Invocation],
    result: &mut SuiteResult,
) -> Result<Option<Answered>, HostError> {
    let answers =
        differential::call_in_batches(session, invocations).map_err(|err| named(err, cell))?;
    match voters.votes(spec, keys, invocations) {
        Ok(votes) => Ok(Some((answers, votes))),
        Err(err) => {
            result.failed += 1;
            result
                .errors
                .push(format!("{}: the voters could not vote: {err}", spec.suite));
            Ok(None)
        }
    }
}

/// This cell's vote on one case, and the consensus of the voters' `votes`
/// (none when they have none).
fn judge<'votes>(
    spec: &Spec,
    names: &[String],
    invocation: &witness_host_api::Invocation,
    answer: witness_host_api::Answer,
    votes: &'votes [differential::Vote],
) -> (differential::Vote, Option<&'votes differential::Vote>) {
    let mine = spec.vote(&invocation.function, answer);
    (mine, differential::consensus(spec, names, votes))
}

/// A contract's known divergences, and how many cases each explained in
/// this cell.
struct KnownHits {
    divergences: Vec<known::Divergence>,
    hits: Vec<usize>,
}

impl KnownHits {
    fn new(divergences: Vec<known::Divergence>) -> KnownHits {
        KnownHits {
            hits: vec![0; divergences.len()],
            divergences,
        }
    }

    /// Whether a known divergence of `cell` explains its answer (`mine`)
    /// where `consensus` is right; counts it.
    fn explains(
        &mut self,
        cell: &Cell,
        call: &str,
        mine: &differential::Vote,
        consensus: Option<&differential::Vote>,
    ) -> bool {
        let Some(differential::Vote::Value(Some(expected))) = consensus else {
            return false;
        };
        let seen = match mine {
            differential::Vote::Value(Some(actual)) => known::Seen::Value(actual),
            differential::Vote::Bad(_) => known::Seen::Trap,
            differential::Vote::Value(None) => return false,
        };
        let found = self.divergences.iter().position(|divergence| {
            divergence.explains((&cell.guest, &cell.host), call, expected, seen)
        });
        if let Some(index) = found {
            self.hits[index] += 1;
        }
        found.is_some()
    }

    /// The divergences recorded for `cell`, by index.
    fn of_cell(&self, cell: &Cell) -> Vec<usize> {
        (0..self.divergences.len())
            .filter(|index| {
                let divergence = &self.divergences[*index];
                divergence.probes.is_empty() && divergence.applies(&cell.guest, &cell.host)
            })
            .collect()
    }

    /// Lists what each divergence of the cell explained, counted apart from
    /// the passed cases.
    fn finish(self, cell: &Cell, result: &mut SuiteResult) {
        for index in self.of_cell(cell) {
            let hits = self.hits[index];
            let divergence = &self.divergences[index];
            result.known_cases += hits;
            result.known.push(format!(
                "known: {} ({hits} cases): {}",
                divergence.id, divergence.reason
            ));
        }
    }
}

/// Replays the input of each known divergence recorded for `cell`, and
/// fails the cell for each whose input no longer diverges as recorded: the
/// tool is fixed (or the entry is wrong), and the entry must go.
fn replay_known_inputs(
    spec: &Spec,
    voters: &Voters,
    session: &mut dyn Session,
    cell: &Cell,
    (known, result): (&mut KnownHits, &mut SuiteResult),
) -> Result<(), HostError> {
    for index in known.of_cell(cell) {
        let before = known.hits[index];
        let (id, input, path) = (
            known.divergences[index].id.clone(),
            known.divergences[index].input.clone(),
            known.divergences[index].source.clone(),
        );
        replay_calls(
            spec,
            voters,
            session,
            cell,
            (&path, "divergence"),
            &[(index + 1, input.clone())],
            (known, result),
        )?;
        if known.hits[index] == before {
            result.failed += 1;
            result.errors.push(format!(
                "{}: the known divergence `{id}` no longer reproduces in this cell: its input `{input}` does not diverge as recorded; if the tool is fixed, remove the entry",
                path.display()
            ));
        }
    }
    Ok(())
}

/// A case this cell answered unlike the consensus, as it is (not shrunk):
/// the call in WAVE, every distinct answer and who gave it, the repro.
fn disagreement(
    spec: &Spec,
    names: &[String],
    cell: &Cell,
    id: String,
    mine: &differential::Vote,
    votes: &[differential::Vote],
    call: String,
) -> Failure {
    Failure {
        case: id,
        details: vec![differential::describe(
            spec,
            &cell.to_string(),
            mine,
            names,
            votes,
        )],
        input: call.clone(),
        repro: repro_call_command(cell, &call),
        call: Some(call),
        shrink_steps: None,
    }
}

/// A host error with the cell's names, where the engine did not know them.
fn named(err: HostError, cell: &Cell) -> HostError {
    match err {
        HostError::Crashed {
            message, stderr, ..
        } => HostError::Crashed {
            host: cell.host.clone(),
            guest: cell.guest.clone(),
            message,
            stderr,
        },
        err => err,
    }
}

/// Keeps a differential call in the report, as the json-tools call it is.
fn record_invocation(
    result: &mut SuiteResult,
    id: &str,
    invocation: &witness_host_api::Invocation,
    vote: &differential::Vote,
    passed: bool,
) {
    let Some(call) = Call::of_invocation(invocation) else {
        return;
    };
    let normal = match vote {
        differential::Vote::Value(Some(witness_host_api::Value::Result(Ok(Some(output))))) => {
            Normal::Ok {
                output: output.as_str().unwrap_or_default().to_owned(),
            }
        }
        differential::Vote::Value(Some(witness_host_api::Value::Result(Err(Some(message))))) => {
            Normal::from_outcome(Outcome::Err(format!(
                "{}:",
                message.as_str().unwrap_or_default()
            )))
        }
        other => Normal::Trap {
            message: other.to_string(),
        },
    };
    result.records.push(record(id, &call, &normal, passed));
}

/// Shrinks a differential case while the cell still disagrees with the
/// voters' consensus on the shrunk call.
fn shrink_differential(
    spec: &Spec,
    voters: &Voters,
    strategy: &BoxedStrategy<(usize, Vec<witness_host_api::Value>)>,
    session: &mut dyn Session,
    cell: &Cell,
    id: &str,
    seed: &[u8; 32],
) -> Result<Failure, HostError> {
    const MAX_STEPS: usize = 1_000;
    let names = voters.names();
    let cell_name = cell.to_string();
    // The account of the value's disagreement, or None when the cell agrees.
    let evaluate = |value: &(usize, Vec<witness_host_api::Value>),
                    session: &mut dyn Session|
     -> Result<Option<String>, HostError> {
        let invocation = spec.invocation(value);
        let answer = differential::call_in_batches(session, std::slice::from_ref(&invocation))
            .map_err(|err| named(err, cell))?
            .pop()
            .unwrap_or(witness_host_api::Answer::Trapped("no answer".to_owned()));
        let votes = match voters.vote_now(spec, std::slice::from_ref(&invocation)) {
            Ok(mut votes) => votes.pop().unwrap_or_default(),
            Err(err) => return Ok(Some(format!("the voters could not vote: {err}"))),
        };
        let (mine, consensus) = judge(spec, names, &invocation, answer, &votes);
        let agreed = consensus.is_some_and(|consensus| mine.agrees_with(consensus));
        Ok((!agreed).then(|| differential::describe(spec, &cell_name, &mine, names, &votes)))
    };
    let mut tree = new_tree(strategy, seed);
    let initial = tree.current();
    let Some(first) = evaluate(&initial, session)? else {
        let call = spec.wave(&initial);
        return Ok(Failure {
            case: id.to_owned(),
            details: vec!["disagreed inside a batch but agrees when called alone: the guest keeps state between calls".to_owned()],
            input: call.clone(),
            repro: repro_call_command(cell, &call),
            call: Some(call),
            shrink_steps: Some(0),
        });
    };
    let (best, steps) = minimize(tree.as_mut(), (initial, first), MAX_STEPS, |candidate| {
        evaluate(candidate, session)
    })?;
    let (value, account) = best;
    let call = spec.wave(&value);
    Ok(Failure {
        case: id.to_owned(),
        details: vec![account],
        input: call.clone(),
        repro: repro_call_command(cell, &call),
        call: Some(call),
        shrink_steps: Some(steps),
    })
}

/// The one-line command that runs a WAVE call in `cell` again, beside the
/// voters.
pub fn repro_call_command(cell: &Cell, call: &str) -> String {
    format!(
        "{} repro --guest {} --host {} --call '{}'",
        command(cell),
        cell.guest,
        cell.host,
        call.replace('\'', r"'\''")
    )
}

/// The command line that reruns something in `cell`'s project: `cargo
/// xtask` in this checkout, `witness --project DIR` when the cell's contract
/// belongs to a project elsewhere (`contracts/<name>/` in DIR), as its users
/// run the installed `witness`.
pub fn command(cell: &Cell) -> String {
    let checkout = crate::project::Project::from_build_dir();
    let dir = cell.contract.dir();
    match dir.parent().and_then(Path::parent) {
        Some(project) if !dir.starts_with(checkout.root()) => {
            format!("witness --project {}", project.display())
        }
        _ => "cargo xtask".to_owned(),
    }
}

/// Shrinks a failing case: simplify while it still fails, complicate when a
/// simplification passes, as proptest's runner does.
fn shrink<P: Property>(
    property: &P,
    strategy: &BoxedStrategy<P::Value>,
    session: &mut dyn Session,
    cell: &Cell,
    id: &str,
    seed: &[u8; 32],
) -> Result<Failure, HostError> {
    const MAX_STEPS: usize = 2_000;
    let mut tree = new_tree(strategy, seed);
    let evaluate = |value: &P::Value,
                    session: &mut dyn Session|
     -> Result<Option<(Vec<Call>, Problems)>, HostError> {
        let calls = property.calls(value);
        let outcomes = call_all(session, &calls, cell)?;
        let problems = property.check(value, &calls, &outcomes);
        Ok((!problems.is_empty()).then_some((calls, problems)))
    };
    let initial = tree.current();
    let first = evaluate(&initial, session)?;
    let Some(best) = first.map(|found| (initial.clone(), found)) else {
        // It failed in the batch but passes alone: the cell depends on what
        // ran before, which is itself a failure worth reporting.
        let calls = property.calls(&initial);
        return Ok(Failure {
            case: id.to_owned(),
            details: vec!["failed inside a batch but passes when called alone: the guest keeps state between calls".to_owned()],
            input: property.input(&initial),
            repro: repro_command(cell, &calls[0]),
            call: None,
            shrink_steps: Some(0),
        });
    };
    let (best, steps) = minimize(tree.as_mut(), best, MAX_STEPS, |candidate| {
        evaluate(candidate, session)
    })?;
    let (value, (calls, problems)) = best;
    let first_wrong = problems.first().map_or(0, |(index, _)| *index);
    Ok(Failure {
        case: id.to_owned(),
        details: problems.into_iter().map(|(_, detail)| detail).collect(),
        input: property.input(&value),
        repro: repro_command(cell, &calls[first_wrong]),
        call: None,
        shrink_steps: Some(steps),
    })
}

/// The wrong calls of a case: the index of each, with what is wrong.
type Problems = Vec<(usize, String)>;

/// Simplifies a failing case while it still fails, and complicates it when a
/// simplification passes, as proptest's runner does, for at most
/// `max_steps` evaluations.  `best` is the failing case so far with how it
/// fails; `evaluate` says how a candidate fails, or `None` when it passes.
///
/// # Errors
/// The first error of `evaluate` (a host that failed).
fn minimize<V: Debug, F, E>(
    tree: &mut dyn ValueTree<Value = V>,
    mut best: (V, F),
    max_steps: usize,
    mut evaluate: impl FnMut(&V) -> Result<Option<F>, E>,
) -> Result<((V, F), usize), E> {
    let mut steps = 0;
    if !tree.simplify() {
        return Ok((best, steps));
    }
    while steps < max_steps {
        steps += 1;
        let candidate = tree.current();
        match evaluate(&candidate)? {
            Some(found) => {
                best = (candidate, found);
                if !tree.simplify() {
                    break;
                }
            }
            None => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    Ok((best, steps))
}

/// The seeds of a regression file as it was when this process first read
/// it: every cell replays the same seeds, whatever cells that fail append
/// while others run.
fn regressions_of_run(path: &Path) -> Regressions {
    type Cache = Mutex<HashMap<PathBuf, Regressions>>;
    static READ: OnceLock<Cache> = OnceLock::new();
    READ.get_or_init(Cache::default)
        .lock()
        .unwrap_or_else(|err| err.into_inner())
        .entry(path.to_path_buf())
        .or_insert_with(|| load_regressions(path))
        .clone()
}

/// What a regression file holds: seeds of generated cases, and (for the
/// differential suites) exact calls in WAVE, each with its line number.
#[derive(Clone, Debug, Default)]
struct Regressions {
    seeds: Vec<[u8; 32]>,
    calls: Vec<(usize, String)>,
}

/// Reads `cc <hex seed>` lines (anything after `#` is a comment) and
/// `call <WAVE>` lines.
fn load_regressions(path: &Path) -> Regressions {
    let Ok(text) = fs::read_to_string(path) else {
        return Regressions::default();
    };
    let calls = text
        .lines()
        .enumerate()
        .filter_map(|(index, line)| {
            Some((index + 1, line.strip_prefix("call ")?.trim().to_owned()))
        })
        .collect();
    let seeds = text
        .lines()
        .filter_map(|line| line.split('#').next()?.trim().strip_prefix("cc "))
        .filter_map(|hex| {
            let hex = hex.trim();
            let mut seed = [0u8; 32];
            if hex.len() != 64 {
                return None;
            }
            for (index, byte) in seed.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[index * 2..index * 2 + 2], 16).ok()?;
            }
            Some(seed)
        })
        .collect();
    Regressions { seeds, calls }
}

/// Appends `call <WAVE>` to a differential suite's regression file, once.
fn save_regression_call(path: &Path, call: &str) {
    let line = format!("call {call}");
    if fs::read_to_string(path).is_ok_and(|text| text.lines().any(|existing| existing == line)) {
        return;
    }
    append_regression(
        path,
        "# Calls that a cell once answered unlike the consensus, in WAVE; witness replays them before new cases.",
        &line,
    );
}

fn save_regression(path: &Path, seed: &[u8; 32], shrunk: &str) {
    let hex: String = seed.iter().map(|byte| format!("{byte:02x}")).collect();
    let comment = format!("# shrinks to {shrunk}");
    // One seed per minimal input: a guest that fails everything (a new
    // guest's stub) shrinks every failure to the same few inputs, and the
    // file would otherwise grow by three seeds a run, all replayed first.
    if fs::read_to_string(path)
        .is_ok_and(|text| text.contains(&hex) || text.lines().any(|line| line.ends_with(&comment)))
    {
        return;
    }
    append_regression(
        path,
        "# Seeds of property cases that failed once; witness replays them before new cases.",
        &format!("cc {hex} {comment}"),
    );
}

/// Appends a line to a regression file, which a new file starts with
/// `header` and the reminder to commit it.  A file that cannot be written
/// costs only the regression, never the run.
fn append_regression(path: &Path, header: &str, line: &str) {
    let new_file = !path.exists();
    if let Some(dir) = path.parent() {
        drop(fs::create_dir_all(dir));
    }
    let Ok(mut file) = fs::OpenOptions::new().create(true).append(true).open(path) else {
        return;
    };
    if new_file {
        drop(writeln!(file, "{header}\n# Commit this file."));
    }
    drop(writeln!(file, "{line}"));
}

/// A string as a JSON string literal with every non-ASCII character escaped,
/// so that it survives any terminal; cut at `limit` characters.
pub fn json_escape(text: &str, limit: usize) -> String {
    let mut escaped = String::from("\"");
    for (count, ch) in text.chars().enumerate() {
        if count == limit {
            escaped.push_str("\"... (");
            escaped.push_str(&format!("{} bytes in all)", text.len()));
            return escaped;
        }
        match ch {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            ' '..='~' => escaped.push(ch),
            _ => {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    escaped.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    escaped.push('"');
    escaped
}

/// The one-line command that runs `call` in `cell` again.
pub fn repro_command(cell: &Cell, call: &Call) -> String {
    let quoted = json_escape(call.input(), usize::MAX).replace('\'', r"'\''");
    let function = match call {
        Call::Format { options: None, .. } => "--fn format".to_owned(),
        Call::Format {
            options: Some(options),
            ..
        } => {
            let sort = if options.sort_keys {
                " --sort-keys"
            } else {
                ""
            };
            format!("--fn format --indent {}{sort}", options.indent)
        }
        Call::Minify { .. } => "--fn minify".to_owned(),
        Call::Normalize { .. } => "--fn normalize".to_owned(),
    };
    format!(
        "cargo xtask repro --guest {} --host {} {function} --input-json '{quoted}'",
        cell.guest, cell.host
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_divergence_is_counted_apart_in_its_own_cells() {
        let contract =
            crate::contract::named(&crate::project::Project::from_build_dir(), "all-types")
                .expect("all-types loads");
        let divergence = known::Divergence {
            id: "bom".to_owned(),
            cells: vec!["*::node".to_owned()],
            function: "reverse-string".to_owned(),
            class: "strings that start with U+FEFF".to_owned(),
            input: "reverse-string(\"a\\u{feff}\")".to_owned(),
            tool: "jco 1.35.0".to_owned(),
            upstream: None,
            replace: None,
            strip_string_prefix: Some("\u{feff}".to_owned()),
            traps: false,
            any_answer: false,
            probes: Vec::new(),
            calls_matching: None,
            matcher: None,
            source: PathBuf::new(),
            reason: "drops a leading BOM".to_owned(),
        };
        let cell = |host: &str| Cell {
            guest: "g".to_owned(),
            host: host.to_owned(),
            contract: contract.clone(),
        };
        let mut hits = KnownHits::new(vec![divergence.clone()]);
        let vote = |text: &str| {
            differential::Vote::Value(Some(witness_value::Value::String(text.to_owned())))
        };
        let call = "reverse-string(\"a\\u{feff}\")";
        assert!(hits.explains(&cell("node"), call, &vote("a"), Some(&vote("\u{feff}a"))));
        assert!(!hits.explains(&cell("node"), call, &vote("b"), Some(&vote("\u{feff}a"))));
        assert!(!hits.explains(&cell("node"), call, &vote("a"), None));
        assert!(!hits.explains(&cell("python"), call, &vote("a"), Some(&vote("\u{feff}a"))));
        let mut result = SuiteResult::default();
        hits.finish(&cell("node"), &mut result);
        assert_eq!(
            (result.failed, result.passed, result.known_cases),
            (0, 0, 1)
        );
        assert_eq!(result.known, ["known: bom (1 cases): drops a leading BOM"]);
        // A cell it does not name lists nothing.
        let mut result = SuiteResult::default();
        KnownHits::new(vec![divergence]).finish(&cell("python"), &mut result);
        assert_eq!((result.failed, result.known.len()), (0, 0));
    }

    #[test]
    fn escaping_survives_a_round_trip_through_json() {
        let text = "a\"b\\c\n\u{1}é😀";
        let escaped = json_escape(text, usize::MAX);
        assert!(escaped.is_ascii());
        let back: String = serde_json::from_str(&escaped).expect("valid JSON");
        assert_eq!(back, text);
    }

    #[test]
    fn regression_calls_are_saved_once_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("arbitrary.txt");
        save_regression_call(&path, r#"minify("[0\r]")"#);
        save_regression_call(&path, r#"minify("[0\r]")"#);
        save_regression_call(&path, r#"format("x", none)"#);
        let read = load_regressions(&path);
        assert!(read.seeds.is_empty());
        assert_eq!(
            read.calls,
            vec![
                (3, r#"minify("[0\r]")"#.to_owned()),
                (4, r#"format("x", none)"#.to_owned())
            ]
        );
    }

    #[test]
    fn regression_seeds_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("valid.txt");
        let seed = case_seed(7, "valid", 3);
        save_regression(&path, &seed, "\"[1,]\"");
        save_regression(&path, &seed, "\"[1,]\"");
        assert_eq!(load_regressions(&path).seeds, vec![seed]);
    }
}
