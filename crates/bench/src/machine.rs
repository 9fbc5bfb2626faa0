//! The machine and the date of a run, printed with every table: numbers mean
//! little without them.

use std::{fs, process::Command};

use serde::Serialize;

/// What the numbers were measured on.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// `nproc`: the cores this process may use.
    pub cores: usize,
    /// The CPU model from `/proc/cpuinfo`.
    pub cpu: String,
    /// Total memory from `/proc/meminfo`, in GiB.
    pub memory_gib: f64,
    /// `uname -sr`.
    pub kernel: String,
    /// The 1-minute load average when the run started: how busy the shared
    /// machine was.
    pub load_average: String,
    /// The date and time of the run, UTC.
    pub date: String,
    /// `rustc --version`.
    pub rustc: String,
}

impl Machine {
    /// Reads the machine's description; unknown parts say `unknown`.
    pub fn describe() -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| {
                line.strip_prefix("model name")?
                    .split_once(':')
                    .map(|(_, model)| model.trim().to_owned())
            })
            .unwrap_or_else(|| "unknown".to_owned());
        let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory_kib: f64 = meminfo
            .lines()
            .find_map(|line| {
                line.strip_prefix("MemTotal:")?
                    .split_whitespace()
                    .next()?
                    .parse()
                    .ok()
            })
            .unwrap_or(0.0);
        let load_average = fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|text| text.split_whitespace().next().map(str::to_owned))
            .unwrap_or_else(|| "unknown".to_owned());
        Machine {
            cores: std::thread::available_parallelism().map_or(1, usize::from),
            cpu,
            memory_gib: (memory_kib / (1024.0 * 1024.0) * 10.0).round() / 10.0,
            kernel: command_line("uname", &["-sr"]),
            load_average,
            date: command_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            rustc: command_line("rustc", &["--version"]),
        }
    }

    /// One line for people.
    pub fn summary(&self) -> String {
        format!(
            "{} cores ({}), {} GiB, {}; load average {} at the start; {}",
            self.cores, self.cpu, self.memory_gib, self.kernel, self.load_average, self.date
        )
    }
}

/// The first line a command prints, or `unknown`.
pub fn command_line(program: &str, args: &[&str]) -> String {
    Command::new(program)
        .args(args)
        .output()
        .ok()
        .filter(|output| output.status.success())
        .and_then(|output| {
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .next()
                .map(|line| line.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
