//! Criterion microbenchmarks of the in-process cells: every guest that
//! builds, in the embedded wasmtime host, against the native Rust formatter,
//! measured back to back in the same groups of the same run.
//!
//! - `hot-200B`, `hot-1MB`: one `format` call (default options) on the
//!   documents of `crates/bench/src/documents.rs`;
//! - `instantiate`: a new store and instance from `InstancePre` with the
//!   pooling allocator;
//! - `cold-start`: load the compiled component from the cache,
//!   pre-instantiate, instantiate, first call on 200 B.
//!
//! Functions are named `native-rust` and `wasmtime-<guest>`, which is where
//! `cargo xtask bench` (crate `witness-bench`) reads the medians back from
//! `target/criterion/<group>/<function>/new/estimates.json`.  Run it with
//! `cargo xtask bench`, or alone with
//! `cargo bench --profile dev -p witness --bench cells`.

use std::{hint::black_box, time::Duration};

use criterion::{Criterion, SamplingMode, Throughput};
use witness::{
    build::{self, BuildOutcome, Built},
    guest,
    host_api::{Call, Limits, Outcome},
    project::Project,
};
use witness_host_wasmtime::{HostConfig, WasmtimeHost, WasmtimeSession};

// The same documents as the side-by-side table, without a dependency on the
// bench crate: the file uses nothing but std.
#[path = "../../bench/src/documents.rs"]
#[allow(dead_code)]
mod documents;

/// Every guest that builds here; the others are named and skipped.
fn built_guests(project: &Project) -> Vec<Built> {
    let mut built = Vec::new();
    for found in guest::discover(project).expect("reading guests/") {
        let guest = match found {
            Ok(guest) => guest,
            Err(err) => {
                eprintln!("skipping a guest: {err}");
                continue;
            }
        };
        match build::build(project, &guest) {
            BuildOutcome::Built(component) => built.push(component),
            BuildOutcome::Skipped(missing) => eprintln!("skipping guest {}: {missing}", guest.name),
            BuildOutcome::Failed(message) => {
                eprintln!("skipping guest {}: the build failed: {message}", guest.name)
            }
        }
    }
    built
}

fn main() {
    let project = Project::from_build_dir();
    let limits = Limits::default();
    let host = WasmtimeHost::new(HostConfig::new(project.cache_dir("wasmtime")))
        .expect("the wasmtime engine");
    let mut sessions = Vec::new();
    for built in built_guests(&project) {
        let component = host
            .load_component(&built.component)
            .expect("the compiled component");
        let pre = host
            .pre_instantiate_with(&component, &built.capabilities)
            .expect("pre-instantiation");
        println!(
            "{}: {} ({} bytes)",
            built.guest,
            built.component.display(),
            built.size
        );
        sessions.push((built, WasmtimeSession::new(pre, limits)));
    }

    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    for (label, document) in documents::all() {
        let mut group = criterion.benchmark_group(format!("hot-{label}"));
        group.throughput(Throughput::Bytes(document.len() as u64));
        if document.len() > 64 * 1024 {
            // Flat sampling: ten samples of equal size, instead of linear
            // sampling's 55 iterations, which an interpreted guest takes
            // minutes to run on 1 MB.
            group.sample_size(10).sampling_mode(SamplingMode::Flat);
        }
        group.bench_function("native-rust", |bench| {
            bench.iter(|| json_format::format(black_box(&document), None));
        });
        let call = Call::Format {
            input: document.clone(),
            options: None,
        };
        for (built, session) in &mut sessions {
            // A guest that runs out of fuel on this document would measure
            // its trap; the table reports the trap instead.
            if let Outcome::Trap(message) = session.call(&call) {
                eprintln!(
                    "skipping wasmtime-{} on {label}: it traps: {}",
                    built.guest,
                    message.lines().next().unwrap_or_default()
                );
                continue;
            }
            group.bench_function(format!("wasmtime-{}", built.guest), |bench| {
                bench.iter(|| session.call(black_box(&call)));
            });
        }
        group.finish();
    }

    let mut group = criterion.benchmark_group("instantiate");
    for (built, session) in &mut sessions {
        group.bench_function(format!("wasmtime-{}", built.guest), |bench| {
            bench.iter(|| session.instantiate_once().expect("instantiation"));
        });
    }
    group.finish();

    let mut group = criterion.benchmark_group("cold-start");
    let call = Call::Format {
        input: documents::SMALL.to_owned(),
        options: None,
    };
    for (built, _) in &sessions {
        group.bench_function(format!("wasmtime-{}", built.guest), |bench| {
            bench.iter(|| {
                let component = host
                    .load_component(&built.component)
                    .expect("the cached component");
                let pre = host
                    .pre_instantiate_with(&component, &built.capabilities)
                    .expect("pre-instantiation");
                WasmtimeSession::new(pre, limits).call(&call)
            });
        });
    }
    group.finish();
    criterion.final_summary();
}
