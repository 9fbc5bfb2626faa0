//! The `--report` file: JSON with one record per case × cell × call.

use std::{fs, path::Path};

use serde::Serialize;
use witness_host_api::FormatOptions;

use crate::{
    matrix::{CellStatus, Matrix},
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
    guests: &'a [crate::matrix::GuestRow],
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
            passed: cell.passed(),
            failed: cell.failed(),
            seconds: cell.duration.as_secs_f64(),
        })
        .collect();
    let report = Report {
        seed: matrix.seed,
        cases: matrix.cases,
        guests: &matrix.guests,
        cells,
        records,
    };
    let json = serde_json::to_string_pretty(&report)?;
    fs::write(path, json)
        .map_err(|err| anyhow::anyhow!("writing the report {}: {err}", path.display()))
}
