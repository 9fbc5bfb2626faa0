//! Samples and what is quoted of them: medians and the 99th percentile.
//!
//! The machine is shared with other builds, so single numbers are noise;
//! medians resist it, and ratios against a baseline measured in the same run
//! cancel much of what is left.

use std::time::{Duration, Instant};

use serde::Serialize;

/// Order statistics of a set of samples, in nanoseconds.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Summary {
    /// How many samples.
    pub samples: usize,
    /// The median.
    pub median_ns: f64,
    /// The 99th percentile (nearest rank).
    pub p99_ns: f64,
    /// The fastest sample.
    pub min_ns: f64,
    /// The slowest sample.
    pub max_ns: f64,
}

impl Summary {
    /// Summarises samples in nanoseconds; `None` when there are none.
    pub fn of_ns(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n_samples = sorted.len();
        let median_ns = if n_samples % 2 == 1 {
            sorted[n_samples / 2]
        } else {
            (sorted[n_samples / 2 - 1] + sorted[n_samples / 2]) / 2.0
        };
        // Nearest rank: the smallest sample with at least 99% at or below it.
        let p99_rank = (0.99 * n_samples as f64).ceil() as usize;
        Some(Summary {
            samples: n_samples,
            median_ns,
            p99_ns: sorted[p99_rank.clamp(1, n_samples) - 1],
            min_ns: sorted[0],
            max_ns: sorted[n_samples - 1],
        })
    }

    /// Summarises durations.
    pub fn of(samples: &[Duration]) -> Option<Summary> {
        let nanos: Vec<f64> = samples
            .iter()
            .map(|sample| sample.as_nanos() as f64)
            .collect();
        Summary::of_ns(&nanos)
    }
}

/// CPU time this thread has used: unlike wall-clock time, it does not grow
/// while other processes of a shared machine run.
pub fn thread_cpu_time() -> Duration {
    let now = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(
        now.tv_sec.max(0) as u64,
        now.tv_nsec.clamp(0, 999_999_999) as u32,
    )
}

/// How many samples to take: at most `max`, and no more once `budget` is
/// spent, but at least `min` (so a slow cell still gets a median).
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// Untimed runs first.
    pub warmup: usize,
    /// The fewest timed runs.
    pub min: usize,
    /// The most timed runs.
    pub max: usize,
    /// The time after which no new run starts once `min` are done.
    pub budget: Duration,
}

impl Plan {
    /// A plan with no warm-up.
    pub const fn new(min: usize, max: usize, budget: Duration) -> Plan {
        Plan {
            warmup: 0,
            min,
            max,
            budget,
        }
    }

    /// The same plan with `warmup` untimed runs first.
    pub const fn warmup(self, warmup: usize) -> Plan {
        Plan { warmup, ..self }
    }

    /// The same plan with a tenth of the runs and time, for `--quick`.
    pub fn scaled(self, quick: bool) -> Plan {
        if !quick {
            return self;
        }
        Plan {
            warmup: self.warmup.min(3),
            min: self.min.min(3),
            max: (self.max / 10).max(self.min.min(3)),
            budget: self.budget / 10,
        }
    }

    /// The same plan cut for a run that takes about `one_run`: no more
    /// samples than fit the budget, but at least `floor` (and no warm-up
    /// when a run takes longer than 100 ms: the run that measured
    /// `one_run` warmed it up).
    pub fn fitted(self, one_run: Duration, floor: usize) -> Plan {
        let fit = (self.budget.as_secs_f64() / one_run.as_secs_f64().max(1e-9)) as usize;
        let warmup = if one_run > Duration::from_millis(100) {
            0
        } else {
            self.warmup
        };
        Plan {
            warmup,
            min: self.min.min(fit).max(floor.min(self.min)),
            ..self
        }
    }

    /// Times `run` by this plan; each call of `run` is one sample.
    ///
    /// # Errors
    /// The first error of `run`.
    pub fn time<E>(&self, mut run: impl FnMut() -> Result<(), E>) -> Result<Vec<Duration>, E> {
        for _ in 0..self.warmup {
            run()?;
        }
        let started = Instant::now();
        let mut samples = Vec::with_capacity(self.max.min(100_000));
        while samples.len() < self.max
            && (samples.len() < self.min || started.elapsed() < self.budget)
        {
            let call_started = Instant::now();
            run()?;
            samples.push(call_started.elapsed());
        }
        Ok(samples)
    }

    /// Runs `run` by this plan, where each run measures itself and returns
    /// one sample (for example, a batch's time divided by its calls).
    ///
    /// # Errors
    /// The first error of `run`.
    pub fn collect<E>(
        &self,
        mut run: impl FnMut() -> Result<Duration, E>,
    ) -> Result<Vec<Duration>, E> {
        for _ in 0..self.warmup {
            run()?;
        }
        let started = Instant::now();
        let mut samples = Vec::new();
        while samples.len() < self.max
            && (samples.len() < self.min || started.elapsed() < self.budget)
        {
            samples.push(run()?);
        }
        Ok(samples)
    }
}

#[cfg(test)]
mod tests {
    use super::Summary;

    #[test]
    fn median_and_p99_by_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let summary = Summary::of_ns(&samples).expect("samples");
        assert_eq!(summary.median_ns, 50.5);
        assert_eq!(summary.p99_ns, 99.0);
        let summary = Summary::of_ns(&[3.0, 1.0, 2.0]).expect("samples");
        assert_eq!(
            (summary.median_ns, summary.p99_ns, summary.min_ns),
            (2.0, 3.0, 1.0)
        );
        assert!(Summary::of_ns(&[]).is_none());
    }
}
