//! Criterion's medians for the in-process rows, read back from the
//! estimates that `crates/witness/benches/cells.rs` wrote in the same run.
//!
//! The bench names its groups and functions for this: groups `hot-200B`,
//! `hot-1MB`, `instantiate` and `cold-start`, functions `native-rust` and
//! `wasmtime-<guest>`; criterion keeps each median in
//! `<dir>/<group>/<function>/new/estimates.json`.

use std::{fs, path::Path};

use serde::Deserialize;

use crate::record::Row;

/// The groups the criterion bench writes.
pub const GROUPS: [&str; 4] = ["hot-200B", "hot-1MB", "instantiate", "cold-start"];

#[derive(Deserialize)]
struct Estimates {
    median: Estimate,
}

#[derive(Deserialize)]
struct Estimate {
    point_estimate: f64,
}

/// Criterion's median in nanoseconds for one function of one group.
pub fn median_ns(dir: &Path, group: &str, function: &str) -> Option<f64> {
    let path = dir
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let estimates: Estimates = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    Some(estimates.median.point_estimate)
}

/// The criterion function name of a row: `native-rust` or `wasmtime-<guest>`.
pub fn function_name(row: &Row) -> Option<String> {
    match (row.name.as_str(), row.guest.as_deref(), row.host.as_deref()) {
        ("native::rust", _, _) => Some("native-rust".to_owned()),
        (_, Some(guest), Some("wasmtime")) => Some(format!("wasmtime-{guest}")),
        _ => None,
    }
}

/// Fills in criterion's medians, and the ratios of the hot calls to
/// criterion's native Rust median.
pub fn apply(dir: &Path, rows: &mut [Row]) {
    for row in rows.iter_mut() {
        let Some(function) = function_name(row) else {
            continue;
        };
        for group in GROUPS {
            if let Some(median) = median_ns(dir, group, &function) {
                row.criterion_ns.insert(group.to_owned(), median);
            }
        }
    }
    let native: Vec<(String, f64)> = rows
        .iter()
        .filter(|row| row.name == "native::rust")
        .flat_map(|row| {
            row.criterion_ns
                .iter()
                .map(|(group, median)| (group.clone(), *median))
        })
        .collect();
    for row in rows.iter_mut() {
        for hot in &mut row.hot {
            let group = format!("hot-{}", hot.document);
            hot.criterion_median_ns = row.criterion_ns.get(&group).copied();
            let native_median = native
                .iter()
                .find(|(name, _)| *name == group)
                .map(|(_, median)| *median);
            hot.criterion_ratio_to_native_rust = hot
                .criterion_median_ns
                .zip(native_median)
                .map(|(cell, base)| cell / base);
        }
    }
}
