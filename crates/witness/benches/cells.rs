//! Criterion benchmarks of the wasmtime cell against the native baseline,
//! measured side by side in one run: hot `format` on a ~200 B and a ~1 MB
//! document, instantiation with the pooling allocator, cold start from the
//! compiled cache, and property-suite throughput.
//!
//! Run with `cargo xtask bench`.

use std::{hint::black_box, time::Duration};

use criterion::{BenchmarkId, Criterion, Throughput};
use witness::{
    build::{self, BuildOutcome},
    guest,
    host_api::{Call, FormatOptions, Limits},
    project::Project,
    suite::{self, Cell, CorpusSource, SuiteConfig, SuiteKind},
};
use witness_host_wasmtime::{HostConfig, WasmtimeHost, WasmtimeSession};

const DOC_200B: &str = r#"{"id": 1042, "name": "witness", "tags": ["wasm", "component", "json"], "ok": true, "ratio": 1.5e-3, "owner": {"login": "bench", "since": "2026-11-25"}, "scores": [1, 2, 3, 5, 8, 13], "note": null}"#;

fn large_document(bytes: usize) -> String {
    let mut text = String::from("[");
    let mut index = 0;
    while text.len() < bytes {
        if index > 0 {
            text.push(',');
        }
        text.push_str(&format!(
            r#"{{"index": {index}, "name": "item \u00e9 {index}", "values": [1.5, -2e10, true, null], "nested": {{"z": "last", "a": "first"}}}}"#
        ));
        index += 1;
    }
    text.push(']');
    text
}

fn main() {
    let project = Project::from_build_dir();
    let guest = guest::load(&project.guests_dir().join("rust")).expect("guests/rust/guest.toml");
    let built = match build::build(&project, &guest) {
        BuildOutcome::Built(built) => built,
        other => panic!("the Rust guest did not build: {other:?}"),
    };
    let limits = Limits::default();
    let mut config = HostConfig::new(project.cache_dir("wasmtime"));
    config.limits = limits;
    let host = WasmtimeHost::new(config).expect("engine");
    let component = host.load_component(&built.component).expect("component");
    let pre = host.pre_instantiate(&component).expect("pre-instantiate");
    let mut session = WasmtimeSession::new(pre.clone(), limits);
    let options = Some(FormatOptions { indent: 2, sort_keys: true });
    println!("component: {} ({} bytes)", built.component.display(), built.size);

    let mut criterion = Criterion::default()
        .configure_from_args()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));

    for (label, document) in [("200B", DOC_200B.to_owned()), ("1MB", large_document(1 << 20))] {
        let mut group = criterion.benchmark_group(format!("format-{label}"));
        group.throughput(Throughput::Bytes(document.len() as u64));
        if label == "1MB" {
            group.sample_size(20);
        }
        group.bench_function(BenchmarkId::new("native", label), |bench| {
            bench.iter(|| {
                json_format::format(
                    black_box(&document),
                    Some(json_format::FormatOptions { indent: 2, sort_keys: true }),
                )
            });
        });
        let call = Call::Format { input: document.clone(), options };
        group.bench_function(BenchmarkId::new("rust::wasmtime", label), |bench| {
            bench.iter(|| session.call(black_box(&call)));
        });
        group.finish();
    }

    let mut group = criterion.benchmark_group("instantiate");
    group.bench_function("rust::wasmtime pooling", |bench| {
        bench.iter(|| session.instantiate_once().expect("instantiate"));
    });
    group.bench_function("rust::wasmtime cold start (cached artefact, instantiate, first call)", |bench| {
        let call = Call::Format { input: DOC_200B.to_owned(), options };
        bench.iter(|| {
            let component = host.load_component(&built.component).expect("cached component");
            let pre = host.pre_instantiate(&component).expect("pre-instantiate");
            WasmtimeSession::new(pre, limits).call(&call)
        });
    });
    group.finish();

    let mut group = criterion.benchmark_group("property-cases");
    group.sample_size(10);
    const CASES: usize = 1000;
    group.throughput(Throughput::Elements(CASES as u64));
    let cell = Cell { guest: "rust".to_owned(), host: "wasmtime".to_owned() };
    for suite_kind in [SuiteKind::Valid, SuiteKind::Invalid, SuiteKind::Arbitrary] {
        let config = SuiteConfig {
            cases: CASES,
            seed: 7,
            corpus: CorpusSource::User(project.corpus_dir()),
            regressions_dir: None,
            record: false,
        };
        group.bench_function(BenchmarkId::new("rust::wasmtime", suite_kind.name()), |bench| {
            bench.iter(|| suite::run(suite_kind, &mut session, &cell, &config).expect("suite"));
        });
    }
    group.finish();
    criterion.final_summary();
}
