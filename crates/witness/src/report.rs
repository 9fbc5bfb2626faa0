//! What a run leaves for people and CI besides the table: the `--report`
//! file (JSON, one record per case × cell × call), `--junit` (JUnit XML, one
//! test case per cell × suite) and `--summary` (Markdown: the matrix, the
//! failures, their repro commands).

use std::{fs, path::Path};

use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;
use witness_host_api::FormatOptions;

use crate::{
    matrix::{self, CellResult, CellStatus, GuestStatus, Matrix},
    suite::Cell,
    verdict::Normal,
};

/// One call of one case in one cell.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    /// The guest.
    pub guest: &'a str,
    /// The host.
    pub host: &'a str,
    /// The suite.
    pub suite: &'static str,
    /// `format` or `minify`.
    pub function: &'static str,
    /// The options of a `format` call (`null`: none).
    pub options: Option<FormatOptions>,
    /// The case's id.
    pub case: &'a str,
    /// `ok`, `err`, `trap` or `skipped`.
    pub outcome: &'static str,
    /// The output of an `ok`, the message of a trap, the skip's reason.
    pub output: Option<&'a str>,
    /// The byte offset of an `at byte N` error.
    pub error_offset: Option<usize>,
    /// Whether the call gave what was expected.
    pub passed: bool,
}

/// One cell's summary: how it went and how long it took.
#[derive(Debug, Serialize)]
pub struct CellSummary<'a> {
    /// The guest.
    pub guest: &'a str,
    /// The host.
    pub host: &'a str,
    /// `ran`, `skipped` or `failed`.
    pub status: &'static str,
    /// Why a skipped cell's skip is allowed under `--require-all`
    /// (`--allow-skip`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_skip: Option<&'a str>,
    /// Cases passed and failed over every suite.
    pub passed: usize,
    /// See `passed`.
    pub failed: usize,
    /// Wall-clock seconds, from opening the session to the last suite's end.
    pub seconds: f64,
}

/// The whole report.
#[derive(Debug, Serialize)]
struct Report<'a> {
    seed: u64,
    cases: usize,
    guests: &'a [matrix::GuestRow],
    /// Every `--allow-skip` of the run, used or not.
    allowed_skips: &'a [matrix::AllowedSkip],
    cells: Vec<CellSummary<'a>>,
    records: Vec<Record<'a>>,
}

/// Writes the report for `matrix` to `path`.
///
/// # Errors
/// When the file cannot be written.
pub fn write(matrix: &Matrix, path: &Path) -> anyhow::Result<()> {
    let mut records = Vec::new();
    for cell in &matrix.cells {
        if let CellStatus::Skipped { reason } | CellStatus::Failed { message: reason } =
            &cell.status
            && cell.suites.is_empty()
        {
            let skipped = matches!(cell.status, CellStatus::Skipped { .. });
            records.push(Record {
                guest: &cell.guest,
                host: &cell.host,
                suite: "*",
                function: "*",
                options: None,
                case: "*",
                outcome: if skipped { "skipped" } else { "failed" },
                output: Some(reason),
                error_offset: None,
                passed: false,
            });
            continue;
        }
        for (suite, result) in &cell.suites {
            for record in &result.records {
                let (outcome, output, error_offset) = match &record.outcome {
                    Normal::Ok { output } => ("ok", Some(output.as_str()), None),
                    Normal::InvalidOptions => ("err", Some("invalid options"), None),
                    Normal::ErrAt { offset } => ("err", None, Some(*offset)),
                    Normal::BadError { message } => ("err", Some(message.as_str()), None),
                    Normal::Trap { message } => ("trap", Some(message.as_str()), None),
                };
                records.push(Record {
                    guest: &cell.guest,
                    host: &cell.host,
                    suite: suite.name(),
                    function: record.function,
                    options: record.options,
                    case: &record.case,
                    outcome,
                    output,
                    error_offset,
                    passed: record.passed,
                });
            }
        }
    }
    let cells = matrix
        .cells
        .iter()
        .map(|cell| CellSummary {
            guest: &cell.guest,
            host: &cell.host,
            status: match cell.status {
                CellStatus::Ran => "ran",
                CellStatus::Skipped { .. } => "skipped",
                CellStatus::Failed { .. } => "failed",
            },
            allowed_skip: matrix
                .allowance(&cell.guest)
                .map(|allowed| allowed.reason.as_str()),
            passed: cell.passed(),
            failed: cell.failed(),
            seconds: cell.duration.as_secs_f64(),
        })
        .collect();
    let report = Report {
        seed: matrix.seed,
        cases: matrix.cases,
        guests: &matrix.guests,
        allowed_skips: &matrix.allowed_skips,
        cells,
        records,
    };
    let json = serde_json::to_string_pretty(&report)?;
    fs::write(path, json)
        .map_err(|err| anyhow::anyhow!("writing the report {}: {err}", path.display()))
}

/// How a run ended, as its exit code says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every cell ran and passed (exit 0).
    Passed,
    /// A cell failed, or a guest did not build (exit 1).
    Failed,
    /// Nothing failed, but a cell could not run, and `--require-all` makes
    /// that a failure (exit 2).
    NotRun,
}

impl Verdict {
    /// The verdict of `matrix`.
    pub fn of(matrix: &Matrix, require_all: bool) -> Verdict {
        if matrix.failed(false) {
            Verdict::Failed
        } else if require_all && matrix.failed(true) {
            Verdict::NotRun
        } else {
            Verdict::Passed
        }
    }

    /// The process's exit code.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::Passed => 0,
            Verdict::Failed => 1,
            Verdict::NotRun => 2,
        }
    }
}

/// The cell's id for a suite's account, if its row has a contract.
fn cell_id(matrix: &Matrix, cell: &CellResult) -> Option<Cell> {
    let contract = matrix
        .guests
        .iter()
        .find(|row| row.name == cell.guest)?
        .contract
        .clone()?;
    Some(Cell {
        guest: cell.guest.clone(),
        host: cell.host.clone(),
        contract,
    })
}

/// The matrix as JUnit XML: one test suite per row, one test case per
/// cell × suite (`<host>::<suite>`, class name the guest); a failed suite
/// carries its account (the shrunk inputs and the repro commands), a cell
/// that could not run is one skipped test case with the reason, and a cell
/// (or a row) that failed as a whole is one error.
pub fn junit(matrix: &Matrix) -> quick_junit::Report {
    let mut report = quick_junit::Report::new("witness");
    for row in &matrix.guests {
        let mut suite = TestSuite::new(row.name.as_str());
        if let GuestStatus::Failed { message } = &row.status {
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
            status.set_message("the guest did not build");
            status.set_description(message.as_str());
            let mut case = TestCase::new("build", status);
            case.set_classname(row.name.as_str());
            suite.add_test_case(case);
        }
        for cell in matrix.cells.iter().filter(|cell| cell.guest == row.name) {
            let id = cell_id(matrix, cell);
            for (kind, result) in &cell.suites {
                let status = if result.failed > 0 || result.passed == 0 {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status.set_message(format!(
                        "{} of {} cases failed",
                        result.failed,
                        result.failed + result.passed
                    ));
                    if let Some(id) = &id {
                        status.set_description(result.explain(id, *kind));
                    }
                    status
                } else {
                    TestCaseStatus::success()
                };
                let mut case = TestCase::new(format!("{}::{}", cell.host, kind.name()), status);
                case.set_classname(row.name.as_str());
                let notes: Vec<&str> = result
                    .skipped
                    .iter()
                    .chain(&result.known)
                    .map(String::as_str)
                    .collect();
                if !notes.is_empty() {
                    case.set_system_out(notes.join("\n"));
                }
                suite.add_test_case(case);
            }
            let whole = match &cell.status {
                CellStatus::Ran => None,
                CellStatus::Skipped { reason } => {
                    let mut status = TestCaseStatus::skipped();
                    status.set_message(match matrix.allowance(&cell.guest) {
                        Some(allowed) => {
                            format!("skipped: {reason}; allowed: {}", allowed.reason)
                        }
                        None => format!("skipped: {reason}"),
                    });
                    Some(status)
                }
                CellStatus::Failed { message } => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
                    status.set_message(message.lines().next().unwrap_or_default());
                    status.set_description(message.as_str());
                    Some(status)
                }
            };
            if let Some(status) = whole {
                let mut case = TestCase::new(cell.host.as_str(), status);
                case.set_classname(row.name.as_str());
                case.set_time(cell.duration);
                suite.add_test_case(case);
            }
        }
        report.add_test_suite(suite);
    }
    report
}

/// Writes [`junit`] to `path`.
///
/// # Errors
/// When the file cannot be written.
pub fn write_junit(matrix: &Matrix, path: &Path) -> anyhow::Result<()> {
    let xml = junit(matrix).to_string()?;
    fs::write(path, xml)
        .map_err(|err| anyhow::anyhow!("writing the JUnit file {}: {err}", path.display()))
}

/// The verdict in words, as the last line of a run and the summary's title.
/// A run that passed says how many cells were skipped, and under which
/// allowances, so that a pass with allowed skips never reads as a full one.
pub fn verdict_line(matrix: &Matrix, require_all: bool) -> String {
    match Verdict::of(matrix, require_all) {
        Verdict::Failed => "FAILED".to_owned(),
        Verdict::NotRun => {
            "a cell could not run, and --require-all makes that a failure".to_owned()
        }
        Verdict::Passed => {
            let skipped = matrix
                .cells
                .iter()
                .filter(|cell| matches!(cell.status, CellStatus::Skipped { .. }))
                .count();
            let mut allowed: Vec<&str> = matrix
                .guests
                .iter()
                .filter_map(|row| matrix.allowance(&row.name))
                .map(|allowed| allowed.guest.as_str())
                .collect();
            allowed.dedup();
            let cells = if skipped == 1 { "cell" } else { "cells" };
            match (skipped, allowed.is_empty()) {
                (0, _) => "every cell ran and passed".to_owned(),
                (_, true) => format!("passed, but {skipped} {cells} did not run"),
                (_, false) => format!(
                    "{skipped} {cells} skipped as allowed (--allow-skip {}); every other cell ran and passed",
                    allowed.join(", ")
                ),
            }
        }
    }
}

/// The run in Markdown, for a CI job's summary page: the verdict, the
/// matrix, and every failed suite's account with its repro commands.
pub fn summary(matrix: &Matrix, require_all: bool) -> String {
    let verdict = verdict_line(matrix, require_all);
    let mut text = format!(
        "## witness: {verdict}\n\nseed {} ({})\n\n",
        matrix.seed,
        if matrix.cell_cases.is_empty() {
            format!("{} property cases per suite", matrix.cases)
        } else {
            let counts: Vec<usize> = matrix.cell_cases.values().copied().collect();
            format!(
                "{} to {} property cases per suite, chosen per cell by --budget",
                counts.iter().min().unwrap_or(&0),
                counts.iter().max().unwrap_or(&0)
            )
        }
    );
    for row in &matrix.guests {
        if let Some(allowed) = matrix.allowance(&row.name) {
            text.push_str(&format!(
                "`{}` is skipped, as allowed (`--allow-skip {}`): {}\n\n",
                row.name, allowed.guest, allowed.reason
            ));
        }
    }
    let table = matrix::render_rows(matrix);
    let escape = |cell: &String| cell.replace('|', "\\|");
    for (index, line) in table.iter().enumerate() {
        let cells: Vec<String> = line.iter().map(escape).collect();
        text.push_str(&format!("| {} |\n", cells.join(" | ")));
        if index == 0 {
            text.push_str(&format!("|{}\n", " --- |".repeat(line.len())));
        }
    }
    let mut failures = String::new();
    for row in &matrix.guests {
        if let GuestStatus::Failed { message } = &row.status {
            failures.push_str(&format!(
                "### `{}`: the guest did not build\n\n```text\n{message}\n```\n\n",
                row.name
            ));
        }
    }
    for cell in &matrix.cells {
        if let CellStatus::Failed { message } = &cell.status {
            failures.push_str(&format!(
                "### `{}::{}`\n\n```text\n{message}\n```\n\n",
                cell.guest, cell.host
            ));
        }
        let Some(id) = cell_id(matrix, cell) else {
            continue;
        };
        for (kind, result) in &cell.suites {
            if result.failed > 0 {
                failures.push_str(&format!(
                    "### `{}::{}::{}`\n\n```text\n{}\n```\n\n",
                    cell.guest,
                    cell.host,
                    kind.name(),
                    result.explain(&id, *kind).trim_end()
                ));
            }
        }
    }
    if !failures.is_empty() {
        text.push_str("\n## Failures\n\n");
        text.push_str(&failures);
    }
    text
}

/// Writes [`summary`] to `path`, and appends it to the file that
/// `GITHUB_STEP_SUMMARY` names when that is set.
///
/// # Errors
/// When a file cannot be written.
pub fn write_summary(
    matrix: &Matrix,
    require_all: bool,
    path: Option<&Path>,
) -> anyhow::Result<()> {
    let text = summary(matrix, require_all);
    if let Some(path) = path {
        fs::write(path, &text)
            .map_err(|err| anyhow::anyhow!("writing the summary {}: {err}", path.display()))?;
    }
    if let Some(step_summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        use std::io::Write as _;
        let path = Path::new(&step_summary);
        fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut file| file.write_all(text.as_bytes()))
            .map_err(|err| {
                anyhow::anyhow!("writing GITHUB_STEP_SUMMARY {}: {err}", path.display())
            })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use quick_junit::TestCaseStatus;

    use super::*;
    use crate::{
        matrix::{GuestRow, HostColumn},
        project::Project,
        suite::{Failure, SuiteKind, SuiteResult},
    };

    /// A matrix of one contract's row in three hosts: one cell passed, one
    /// failed a case (shrunk, with a repro), one could not run.
    fn matrix() -> Matrix {
        let contract = crate::contract::named(&Project::from_build_dir(), "all-types")
            .expect("all-types loads");
        let passed = SuiteResult {
            passed: 100,
            ..SuiteResult::default()
        };
        let failed = SuiteResult {
            passed: 99,
            failed: 1,
            failures: vec![Failure {
                case: "differential#7".to_owned(),
                details: vec!["  g::node (this cell): {}".to_owned()],
                input: "invert({})".to_owned(),
                call: Some("invert({})".to_owned()),
                repro: "cargo xtask repro --guest g --host node --call 'invert({})'".to_owned(),
                shrink_steps: Some(3),
            }],
            ..SuiteResult::default()
        };
        let cell = |host: &str, status, suites| CellResult {
            guest: "g".to_owned(),
            host: host.to_owned(),
            status,
            suites,
            duration: Duration::from_millis(5),
        };
        Matrix {
            guests: vec![GuestRow {
                name: "g".to_owned(),
                language: "Rust".to_owned(),
                contract: Some(contract),
                status: GuestStatus::Skipped {
                    reason: "only the cells matter here".to_owned(),
                },
            }],
            hosts: ["wasmtime", "node", "python"]
                .map(|name| HostColumn {
                    name: name.to_owned(),
                    unavailable: None,
                })
                .into(),
            cells: vec![
                cell(
                    "wasmtime",
                    CellStatus::Ran,
                    vec![(SuiteKind::Differential, passed)],
                ),
                cell(
                    "node",
                    CellStatus::Ran,
                    vec![(SuiteKind::Differential, failed)],
                ),
                cell(
                    "python",
                    CellStatus::Skipped {
                        reason: "python3 not found (install it)".to_owned(),
                    },
                    Vec::new(),
                ),
            ],
            seed: 42,
            cases: 100,
            allowed_skips: Vec::new(),
            cell_cases: Default::default(),
        }
    }

    #[test]
    fn junit_has_a_case_per_cell_and_suite_and_reads_back() {
        let xml = junit(&matrix()).to_string().expect("serializes");
        // quick-junit's reader, as a consumer of the file.
        let report = quick_junit::Report::deserialize_from_str(&xml).expect("reads back");
        assert_eq!((report.tests, report.failures, report.errors), (3, 1, 0));
        let cases = &report.test_suites[0].test_cases;
        let names: Vec<&str> = cases.iter().map(|case| case.name.as_str()).collect();
        assert_eq!(
            names,
            ["wasmtime::differential", "node::differential", "python"]
        );
        assert!(matches!(cases[0].status, TestCaseStatus::Success { .. }));
        let TestCaseStatus::NonSuccess {
            message,
            description,
            ..
        } = &cases[1].status
        else {
            panic!("node::differential must fail: {:?}", cases[1].status);
        };
        assert_eq!(message.as_deref(), Some("1 of 100 cases failed"));
        let description = description.as_deref().unwrap_or_default();
        assert!(
            description.contains("invert({})")
                && description
                    .contains("cargo xtask repro --guest g --host node --call 'invert({})'"),
            "{description}"
        );
        let TestCaseStatus::Skipped { message, .. } = &cases[2].status else {
            panic!("python must be skipped: {:?}", cases[2].status);
        };
        assert_eq!(
            message.as_deref(),
            Some("skipped: python3 not found (install it)")
        );
    }

    #[test]
    fn the_summary_has_the_matrix_and_the_repro() {
        let text = summary(&matrix(), true);
        assert!(text.starts_with("## witness: FAILED\n"), "{text}");
        assert!(
            text.contains("| guest | contract | wasmtime | node | python |\n| --- | --- | --- | --- | --- |\n| g | all-types | 100 passed | 99 passed, 1 FAILED | skipped: python3 not found (install it) |"),
            "{text}"
        );
        assert!(text.contains("### `g::node::differential`"), "{text}");
        assert!(
            text.contains("cargo xtask repro --guest g --host node --call 'invert({})'"),
            "{text}"
        );
    }

    #[test]
    fn the_verdict_tells_a_failure_from_a_cell_that_did_not_run() {
        let mut matrix = matrix();
        assert_eq!(Verdict::of(&matrix, false), Verdict::Failed);
        matrix.cells.remove(1);
        // The row's own status is a skip too.
        assert_eq!(Verdict::of(&matrix, false), Verdict::Passed);
        assert_eq!(Verdict::of(&matrix, true), Verdict::NotRun);
        assert_eq!(Verdict::of(&matrix, true).exit_code(), 2);
    }

    #[test]
    fn an_allowed_skip_passes_the_gate_but_stays_a_skip() {
        let mut matrix = matrix();
        matrix.cells.remove(1);
        // An allowance for another guest allows nothing.
        matrix.allowed_skips = vec!["h=elsewhere".parse().expect("parses")];
        assert_eq!(Verdict::of(&matrix, true), Verdict::NotRun);
        assert_eq!(matrix.unused_allowances().len(), 1);
        matrix.allowed_skips = vec!["g=no registry ships it".parse().expect("parses")];
        assert_eq!(Verdict::of(&matrix, true), Verdict::Passed);
        assert!(matrix.unused_allowances().is_empty());
        let table = matrix::render_rows(&matrix);
        assert_eq!(
            table[1][4],
            "skipped (allowed): python3 not found (install it)"
        );
        assert!(
            matrix::render(&matrix).contains(
                "g: skipped: only the cells matter here\n  allowed to be skipped (--allow-skip g): no registry ships it\n"
            ),
            "{}",
            matrix::render(&matrix)
        );
        let text = summary(&matrix, true);
        assert!(
            text.starts_with(
                "## witness: 1 cell skipped as allowed (--allow-skip g); every other cell ran and passed\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("`g` is skipped, as allowed (`--allow-skip g`): no registry ships it"),
            "{text}"
        );
        let xml = junit(&matrix).to_string().expect("serializes");
        let report = quick_junit::Report::deserialize_from_str(&xml).expect("reads back");
        let cases = &report.test_suites[0].test_cases;
        let TestCaseStatus::Skipped { message, .. } = &cases[1].status else {
            panic!("python must be skipped: {:?}", cases[1].status);
        };
        assert_eq!(
            message.as_deref(),
            Some("skipped: python3 not found (install it); allowed: no registry ships it")
        );
        // A row that is not skipped is not allowed anything.
        matrix.guests[0].status = GuestStatus::Failed {
            message: "did not build".to_owned(),
        };
        assert!(matrix.allowance("g").is_none());
    }
}
