//! What Linux's `/proc` says about processes: peak resident memory (VmHWM),
//! resetting it, and finding the host process a session started.

use std::{collections::BTreeSet, fs};

/// VmHWM (peak resident set) of a process in KiB, if it can be read.
pub fn peak_resident_kib(pid: u32) -> Option<u64> {
    status_field(&format!("/proc/{pid}/status"), "VmHWM:")
}

/// VmHWM of this process in KiB.
pub fn own_peak_resident_kib() -> Option<u64> {
    status_field("/proc/self/status", "VmHWM:")
}

/// Resets this process's VmHWM to its current resident set (writing `5` to
/// `clear_refs`, Linux 4.0 and later), so that the next reading is the peak
/// of what runs in between; false where that is not allowed.
pub fn reset_own_peak() -> bool {
    fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn status_field(path: &str, field: &str) -> Option<u64> {
    let status = fs::read_to_string(path).ok()?;
    let line = status.lines().find(|line| line.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The parent id and process group of a process, from `/proc/<pid>/stat`.
fn parent_and_group(pid: u32) -> Option<(u32, u32)> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name is in parentheses and may hold spaces; the fields
    // after it are state, ppid, pgrp.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace();
    let _state = fields.next()?;
    let parent = fields.next()?.parse().ok()?;
    let group = fields.next()?.parse().ok()?;
    Some((parent, group))
}

fn all_pids() -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
        .collect()
}

/// The direct children of this process.
pub fn own_children() -> BTreeSet<u32> {
    let own = std::process::id();
    all_pids()
        .into_iter()
        .filter(|pid| parent_and_group(*pid).is_some_and(|(parent, _)| parent == own))
        .collect()
}

/// The sum of VmHWM in KiB over every live process of the process group
/// `group`, and how many processes that was.  Peaks of different processes
/// need not coincide, so the sum is an upper bound of the group's peak.
pub fn group_peak_resident_kib(group: u32) -> (u64, usize) {
    let members: Vec<u32> = all_pids()
        .into_iter()
        .filter(|pid| parent_and_group(*pid).is_some_and(|(_, pgrp)| pgrp == group))
        .collect();
    let total = members
        .iter()
        .filter_map(|pid| peak_resident_kib(*pid))
        .sum();
    (total, members.len())
}

/// User plus system CPU time of a process (all its threads) so far, in
/// seconds, from `/proc/<pid>/stat`; `None` for a process that is gone.
pub fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the parenthesised name: state is field 3 of stat(5), utime 14
    // and stime 15, so they are the 12th and 13th after the name.
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / clock_ticks_per_second())
}

/// `getconf CLK_TCK`, which is 100 on every Linux that matters.
fn clock_ticks_per_second() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        crate::machine::command_line("getconf", &["CLK_TCK"])
            .parse()
            .unwrap_or(100.0)
    })
}

/// CPU seconds of every live process of the process group `group`.
pub fn group_cpu_seconds(group: u32) -> Option<f64> {
    let members: Vec<u32> = all_pids()
        .into_iter()
        .filter(|pid| parent_and_group(*pid).is_some_and(|(_, pgrp)| pgrp == group))
        .collect();
    if members.is_empty() {
        return None;
    }
    Some(members.iter().filter_map(|pid| cpu_seconds(*pid)).sum())
}
