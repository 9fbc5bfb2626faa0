//! Where the hot path's time goes in wasmtime: a guest's `format` in engines
//! that differ from the wasmtime host's in one setting at a time (fuel or
//! epoch interruption, the memory reservation that decides whether loads and
//! stores need explicit bounds checks), against the native formatter, call for call in CPU time;
//! and how often the guest's memory grows.  A profiling aid for
//! `docs/bench.md`:
//!
//! ```sh
//! cargo run --profile dev -p witness-bench --example fuel [-- GUEST]
//! ```

use std::{hint::black_box, time::Duration};

use anyhow::Context as _;
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, ResourceLimiter, Store,
    component::{Component, ComponentType, Linker, Lower, TypedFunc},
};
use witness::project::Project;
use witness_bench::{documents, inprocess::timed, stats::Summary};

/// `format-options` of the contract.
#[derive(ComponentType, Lower, Clone, Copy)]
#[component(record)]
struct FormatOptions {
    indent: u32,
    #[component(name = "sort-keys")]
    sort_keys: bool,
}

type Format = TypedFunc<(String, Option<FormatOptions>), (Result<String, String>,)>;

/// Counts the guest's `memory.grow`s and remembers its memory's size.
#[derive(Default)]
struct Growth {
    grows: usize,
    bytes: usize,
}

impl ResourceLimiter for Growth {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.grows += 1;
        self.bytes = self.bytes.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(true)
    }
}

fn format_func(
    engine: &Engine,
    component: &Component,
    store: &mut Store<Growth>,
) -> anyhow::Result<Format> {
    let linker = Linker::<Growth>::new(engine);
    let instance = linker.instantiate(&mut *store, component)?;
    let interface = instance
        .get_export_index(&mut *store, None, "example:json-tools/formatter@1.0.0")
        .context("the formatter interface")?;
    let index = instance
        .get_export_index(&mut *store, Some(&interface), "format")
        .context("format")?;
    Ok(instance.get_typed_func(&mut *store, index)?)
}

/// The engine configurations compared: the wasmtime host's own (pooling
/// allocator with a 256 MiB memory reservation, fuel), then one change at a
/// time.
fn variants() -> Vec<(&'static str, Config)> {
    let host_like = |fuel: bool, reservation: Option<usize>, epoch: bool| {
        let mut pooling = PoolingAllocationConfig::default();
        pooling
            .total_component_instances(8)
            .total_core_instances(64)
            .total_memories(16)
            .total_tables(64);
        if let Some(bytes) = reservation {
            pooling.max_memory_size(bytes);
        }
        let mut config = Config::new();
        config
            .consume_fuel(fuel)
            .epoch_interruption(epoch)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
        config
    };
    vec![
        (
            "host: pooling 256MiB + fuel",
            host_like(true, Some(256 << 20), false),
        ),
        (
            "pooling 256MiB, no fuel",
            host_like(false, Some(256 << 20), false),
        ),
        (
            "pooling 256MiB + epoch",
            host_like(false, Some(256 << 20), true),
        ),
        ("pooling 4GiB + fuel", host_like(true, None, false)),
    ]
}

fn main() -> anyhow::Result<()> {
    let guest = std::env::args().nth(1).unwrap_or_else(|| "rust".to_owned());
    let project = Project::from_build_dir();
    let path = project.guest_out_dir(&guest).join("component.wasm");
    let bytes = std::fs::read(&path)
        .with_context(|| format!("reading {} (run cargo xtask build)", path.display()))?;
    let mut engines = Vec::new();
    for (name, config) in variants() {
        let engine = Engine::new(&config)?;
        let component = Component::new(&engine, &bytes)?;
        let mut store = Store::new(&engine, Growth::default());
        store.limiter(|growth| growth);
        if name.contains("+ fuel") {
            store.set_fuel(u64::MAX)?;
        }
        if name.contains("+ epoch") {
            store.set_epoch_deadline(u64::MAX);
        }
        let func = format_func(&engine, &component, &mut store)?;
        engines.push((name, store, func));
    }
    println!(
        "median CPU time per call, and its ratio to the native formatter's, calls interleaved one for one"
    );
    for (label, document) in documents::all() {
        let calls = if document.len() > 64 * 1024 {
            40
        } else {
            5_000
        };
        let mut native = Vec::new();
        let mut samples = vec![Vec::new(); engines.len()];
        for _ in 0..calls {
            // `timed` subtracts what reading the clocks costs.
            let (_, _, cpu) = timed(|| json_format::format(black_box(&document), None).ok());
            native.push(cpu);
            for ((_, store, func), samples) in engines.iter_mut().zip(samples.iter_mut()) {
                let input = document.clone();
                let (result, _, cpu) = timed(|| func.call(&mut *store, (input, None)));
                samples.push(cpu);
                black_box(result?).0.map_err(anyhow::Error::msg)?;
            }
        }
        let median = |samples: &[Duration]| {
            Summary::of(samples).map_or(f64::NAN, |summary| summary.median_ns)
        };
        let native = median(&native);
        println!("{label}: native {native:.0} ns");
        for ((name, _, _), samples) in engines.iter().zip(&samples) {
            let cell = median(samples);
            println!("  {name:<30} {cell:>11.0} ns {:>6.2}×", cell / native);
        }
    }
    for (name, store, _) in &engines {
        let growth = store.data();
        println!(
            "{name}: the guest's memory grew {} times, to {} KiB",
            growth.grows,
            growth.bytes / 1024
        );
    }
    Ok(())
}
