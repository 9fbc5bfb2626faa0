//! The targets, and where a run stands against each.

use serde::Serialize;

use crate::{
    record::{Row, RowKind},
    render::{duration, kilobytes},
};

/// Met, missed, or not measured in this run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The measurement is within the target.
    Met,
    /// It is not.
    Missed,
    /// This run did not measure it.
    NotMeasured,
}

impl Verdict {
    fn of(met: bool) -> Verdict {
        if met { Verdict::Met } else { Verdict::Missed }
    }

    /// A word for tables.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Met => "met",
            Verdict::Missed => "MISSED",
            Verdict::NotMeasured => "not measured",
        }
    }
}

/// One target.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// What is measured.
    pub measure: String,
    /// The target, as the issue states it.
    pub target: String,
    /// The headline measurement.
    pub measured: String,
    /// Met or not.
    pub verdict: Verdict,
    /// The other cells, or how it was measured.
    pub detail: String,
}

fn target(measure: &str, goal: &str, measured: String, verdict: Verdict, detail: String) -> Target {
    Target {
        measure: measure.to_owned(),
        target: goal.to_owned(),
        measured,
        verdict,
        detail,
    }
}

fn not_measured(measure: &str, goal: &str, why: &str) -> Target {
    target(
        measure,
        goal,
        "—".to_owned(),
        Verdict::NotMeasured,
        why.to_owned(),
    )
}

/// Where `rows` stand against every target; `matrix_seconds` is the warm
/// `cargo xtask test-matrix` time, if it was measured.
pub fn evaluate(rows: &[Row], matrix_seconds: Option<f64>) -> Vec<Target> {
    let find = |name: &str| rows.iter().find(|row| row.name == name && row.measured());
    let rust_wasmtime = find("rust::wasmtime");
    let mut targets = Vec::new();

    let hot_goal = "≤ 1.5 × native, for both document sizes";
    let hot_measure = "Rust guest under wasmtime, hot `format`";
    match rust_wasmtime {
        Some(row) => {
            let mut parts = Vec::new();
            let mut details = Vec::new();
            let mut met = true;
            for hot in &row.hot {
                // The ratio of wall-clock medians of calls interleaved one
                // for one, so that both sides see the same load.  The CPU-time
                // ratio is shown beside it, not judged: reading the thread CPU
                // clock is a system call of 300 to 450 ns, which varies from
                // run to run and is as long as the whole native call on 200 B,
                // so that ratio moves by a quarter with the estimate of the
                // clock's cost.  Criterion's ratio is shown too.
                let Some(ratio) = hot.ratio_to_native_rust.or(hot.cpu_ratio_to_native_rust) else {
                    continue;
                };
                met &= ratio <= 1.5;
                parts.push(format!("{:.2}× ({})", ratio, hot.document));
                let mut detail = format!("{}: wall clock {ratio:.2}×", hot.document);
                if let Some(cpu) = hot.cpu_ratio_to_native_rust {
                    detail.push_str(&format!(", CPU time {cpu:.2}×"));
                }
                if let Some(criterion) = hot.criterion_ratio_to_native_rust {
                    detail.push_str(&format!(", criterion {criterion:.2}×"));
                }
                details.push(detail);
            }
            let verdict = if parts.len() == 2 {
                Verdict::of(met)
            } else {
                Verdict::NotMeasured
            };
            targets.push(target(
                hot_measure,
                hot_goal,
                parts.join(", "),
                verdict,
                details.join("; "),
            ));
        }
        None => targets.push(not_measured(
            hot_measure,
            hot_goal,
            "rust::wasmtime was not measured",
        )),
    }

    let instantiation_goal = "≤ 5 µs";
    let instantiation_measure = "instantiation with the pooling allocator";
    match rust_wasmtime.and_then(|row| Some((row, row.warm_instantiation.as_ref()?))) {
        Some((row, own)) => {
            let median = row
                .criterion_ns
                .get("instantiate")
                .copied()
                .unwrap_or(own.summary.median_ns);
            let others = other_cells(rows, "wasmtime", |row| {
                row.warm_instantiation
                    .as_ref()
                    .map(|m| duration(m.summary.median_ns))
            });
            targets.push(target(
                instantiation_measure,
                instantiation_goal,
                format!("{} (rust::wasmtime)", duration(median)),
                Verdict::of(median <= 5_000.0),
                format!(
                    "per-call median {}, p99 {}; {others}",
                    duration(own.summary.median_ns),
                    duration(own.summary.p99_ns)
                ),
            ));
        }
        None => targets.push(not_measured(
            instantiation_measure,
            instantiation_goal,
            "rust::wasmtime was not measured",
        )),
    }

    let cold_goal = "≤ 1 ms";
    let cold_measure = "cold start from a cached artefact";
    match rust_wasmtime.and_then(|row| Some((row, row.cold_start.as_ref()?))) {
        Some((row, own)) => {
            let median = row
                .criterion_ns
                .get("cold-start")
                .copied()
                .unwrap_or(own.summary.median_ns);
            let others = other_cells(rows, "", |row| {
                row.cold_start
                    .as_ref()
                    .map(|m| duration(m.summary.median_ns))
            });
            targets.push(target(
                cold_measure,
                cold_goal,
                format!("{} (rust::wasmtime)", duration(median)),
                Verdict::of(median <= 1e6),
                others,
            ));
        }
        None => targets.push(not_measured(
            cold_measure,
            cold_goal,
            "rust::wasmtime was not measured",
        )),
    }

    let size_goal = "≤ 64 KB";
    let size_measure = "Rust guest size";
    match rows
        .iter()
        .find(|row| row.guest.as_deref() == Some("rust"))
        .and_then(|row| row.component_bytes)
    {
        Some(bytes) => targets.push(target(
            size_measure,
            size_goal,
            format!("{} ({bytes} bytes)", kilobytes(bytes)),
            Verdict::of(bytes <= 64 * 1024),
            other_cells(rows, "wasmtime", |row| row.component_bytes.map(kilobytes)),
        )),
        None => targets.push(not_measured(
            size_measure,
            size_goal,
            "the rust guest was not built",
        )),
    }

    targets.push(throughput_target(
        rows,
        "property-test throughput, wasmtime cell",
        "≥ 10,000 cases/s",
        10_000.0,
        true,
    ));
    targets.push(throughput_target(
        rows,
        "property-test throughput, external host cell",
        "≥ 5,000 cases/s",
        5_000.0,
        false,
    ));

    let matrix_goal = "≤ 60 s";
    let matrix_measure = "a warm `cargo xtask test-matrix` over the whole matrix";
    targets.push(match matrix_seconds {
        Some(seconds) => target(
            matrix_measure,
            matrix_goal,
            format!("{seconds:.1} s"),
            Verdict::of(seconds <= 60.0),
            "wall clock of the command, run by `cargo xtask bench --matrix` after every guest was built".to_owned(),
        ),
        None => not_measured(matrix_measure, matrix_goal, "run `cargo xtask bench --matrix` to time it"),
    });
    targets
}

/// `guest::host value, ...` over the measured cells of `host` (any host
/// when empty).
fn other_cells(rows: &[Row], host: &str, value: impl Fn(&Row) -> Option<String>) -> String {
    let parts: Vec<String> = rows
        .iter()
        .filter(|row| row.kind == RowKind::Cell && row.measured())
        .filter(|row| host.is_empty() || row.host.as_deref() == Some(host))
        .filter_map(|row| Some(format!("{} {}", row.name, value(row)?)))
        .collect();
    parts.join(", ")
}

/// Property-suite throughput against `floor`.  The verdict uses cases per
/// CPU second (the harness process, plus the host process for external
/// hosts), because the wall-clock rate on a shared machine measures the
/// other builds as much as the cell; both are shown.
fn throughput_target(
    rows: &[Row],
    measure: &str,
    goal: &str,
    floor: f64,
    wasmtime: bool,
) -> Target {
    let cells: Vec<(&Row, f64, Option<f64>)> = rows
        .iter()
        .filter(|row| {
            row.kind == RowKind::Cell
                && row.measured()
                && (row.host.as_deref() == Some("wasmtime")) == wasmtime
        })
        .filter_map(|row| {
            Some((
                row,
                row.property_cases_per_s()?,
                row.property_cases_per_cpu_s(),
            ))
        })
        .collect();
    if cells.is_empty() {
        return not_measured(measure, goal, "no such cell was measured");
    }
    let judged = |(_, wall, cpu): &(&Row, f64, Option<f64>)| cpu.unwrap_or(*wall);
    let n_met = cells.iter().filter(|cell| judged(cell) >= floor).count();
    let headline = match cells
        .iter()
        .find(|(row, _, _)| row.guest.as_deref() == Some("rust"))
    {
        Some(cell) => {
            format!(
                "{:.0} cases/CPU-s ({}); {n_met} of {} cells meet it",
                judged(cell),
                cell.0.name,
                cells.len()
            )
        }
        None => format!("{n_met} of {} cells meet it", cells.len()),
    };
    let detail = cells
        .iter()
        .map(|(row, wall, cpu)| match cpu {
            Some(cpu) => format!("{} {cpu:.0}/CPU-s ({wall:.0}/s wall)", row.name),
            None => format!("{} {wall:.0}/s wall", row.name),
        })
        .collect::<Vec<_>>()
        .join(", ");
    Target {
        measure: measure.to_owned(),
        target: goal.to_owned(),
        measured: headline,
        verdict: Verdict::of(n_met == cells.len()),
        detail: format!("valid, invalid and arbitrary suites together: {detail}"),
    }
}
