//! Criterion benchmarks of composition: what a call across a
//! component-to-component link costs, against the same calls made by the
//! host, in the same run of the embedded wasmtime host.
//!
//! `normalize` makes five calls of the linked formatter (`format`, `minify`,
//! and three for the invariants: `contracts/json-pipeline/contract.md`).  So each group has:
//!
//! - `host-5-calls/<formatter>`: the host makes the same five calls, in the
//!   same order on the same texts, on the plain formatter guest;
//! - `host-2-calls/<formatter>`: the host makes only `format` (sorted) and
//!   `minify`, what a host-side pipeline without the checks would make;
//! - `composed/pipeline-<p>+<f>`: the host makes one `normalize` call of the
//!   composed component, which makes the five calls inside wasm.
//!
//! on the 200 B document (`norm-200B`) and on `0` (`norm-tiny`), where every
//! call is so cheap that the difference is the calls' own cost.  Run it with
//! `cargo bench --profile dev -p witness --bench composition`; it prints the
//! composed components' sizes first.

use std::{hint::black_box, time::Duration};

use criterion::Criterion;
use witness::{
    build::{self, BuildOutcome, Built},
    compose, guest,
    host_api::{Call, FormatOptions, Limits, Outcome},
    project::Project,
};
use witness_host_wasmtime::{HostConfig, WasmtimeHost, WasmtimeSession};

#[path = "../../bench/src/documents.rs"]
#[allow(dead_code)]
mod documents;

/// The formatters and pipelines measured: the two that import nothing, so
/// that WASI plays no part.
const FORMATTERS: [&str; 2] = ["rust", "c"];
const PIPELINES: [&str; 2] = ["rust", "c"];

const SORTED: Option<FormatOptions> = Some(FormatOptions {
    indent: 2,
    sort_keys: true,
});

fn build_or_exit(project: &Project, dir: &std::path::Path) -> Built {
    let guest = guest::load(dir).unwrap_or_else(|err| panic!("{err}"));
    match build::build(project, &guest) {
        BuildOutcome::Built(built) => built,
        BuildOutcome::Skipped(missing) => {
            panic!("{} cannot be built here: {missing}", dir.display())
        }
        BuildOutcome::Failed(message) => panic!("{message}"),
    }
}

fn ok(outcome: Outcome) -> String {
    match outcome {
        Outcome::Ok(text) => text,
        other => panic!("expected ok, got {other:?}"),
    }
}

/// The five calls `normalize` makes, on the texts it makes them on.
fn five_calls(document: &str) -> Vec<Call> {
    let formatted = json_format::format(
        document,
        Some(json_format::FormatOptions {
            indent: 2,
            sort_keys: true,
        }),
    )
    .expect("a valid document");
    let minified = json_format::minify(&formatted).expect("valid");
    vec![
        Call::Format {
            input: document.to_owned(),
            options: SORTED,
        },
        Call::Minify {
            input: formatted.clone(),
        },
        Call::Format {
            input: formatted,
            options: SORTED,
        },
        Call::Minify {
            input: minified.clone(),
        },
        Call::Format {
            input: minified,
            options: SORTED,
        },
    ]
}

fn main() {
    let project = Project::from_build_dir();
    let limits = Limits::default();
    let host = WasmtimeHost::new(HostConfig::new(project.cache_dir("wasmtime")))
        .expect("the wasmtime engine");
    let open = |built: &Built| {
        let component = host
            .load_component(&built.component)
            .expect("the compiled component");
        WasmtimeSession::new(
            host.pre_instantiate_with(&component, &built.capabilities)
                .expect("pre"),
            limits,
        )
    };

    let formatters: Vec<Built> = FORMATTERS
        .iter()
        .map(|name| build_or_exit(&project, &project.guests_dir().join(name)))
        .collect();
    let pipelines: Vec<Built> = PIPELINES
        .iter()
        .map(|name| build_or_exit(&project, &project.pipelines_dir().join(name)))
        .collect();
    for built in formatters.iter().chain(&pipelines) {
        println!("part {}: {} bytes", built.component.display(), built.size);
    }
    let mut composed = Vec::new();
    for (pipeline_name, pipeline) in PIPELINES.iter().zip(&pipelines) {
        for (formatter_name, formatter) in FORMATTERS.iter().zip(&formatters) {
            let name = compose::composed_name(pipeline_name, formatter_name);
            let built =
                compose::compose(&project, pipeline, formatter, &name).expect("the composition");
            println!(
                "composed {name}: {} bytes, imports {:?}",
                built.size, built.imports
            );
            composed.push(built);
        }
    }

    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    for (label, document) in [("200B", documents::SMALL), ("tiny", "0")] {
        let mut group = criterion.benchmark_group(format!("norm-{label}"));
        let calls = five_calls(document);
        let expected = json_format::minify(calls[2].input()).expect("valid");
        for (name, built) in FORMATTERS.iter().zip(&formatters) {
            let mut session = open(built);
            group.bench_function(format!("host-5-calls/{name}"), |bench| {
                bench.iter(|| {
                    for call in &calls {
                        black_box(session.call(black_box(call)));
                    }
                });
            });
            group.bench_function(format!("host-2-calls/{name}"), |bench| {
                bench.iter(|| {
                    let formatted = ok(session.call(black_box(&calls[0])));
                    ok(session.call(&Call::Minify { input: formatted }))
                });
            });
        }
        let call = Call::Normalize {
            input: document.to_owned(),
        };
        for built in &composed {
            let mut session = open(built);
            assert_eq!(ok(session.call(&call)), expected, "{}", built.guest);
            group.bench_function(format!("composed/{}", built.guest), |bench| {
                bench.iter(|| session.call(black_box(&call)));
            });
        }
        group.finish();
    }
    criterion.final_summary();
}
