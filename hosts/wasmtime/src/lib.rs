//! The `wasmtime` host column: json-tools components run embedded in Rust.
//!
//! Each component is compiled once and its compiled artefact is cached on disk
//! by content hash; every session pre-instantiates it with the pooling
//! allocator, and every call runs with a fuel budget and a memory limit.  A
//! guest gets no capabilities: WASI is linked only when the component imports
//! it, and then with no preopens, environment, arguments or network.

use std::{
    fs,
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
};

use anyhow::Context as _;
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, StoreLimits,
    StoreLimitsBuilder,
    component::{Component, Linker, ResourceTable},
};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use witness_host_api::{
    Call, FormatOptions, GuestArtifact, Host, HostError, Limits, Outcome, Session, Unavailable,
};

mod bindings {
    //! Typed bindings for the `json-processor` world.
    #![allow(missing_docs)]
    wasmtime::component::bindgen!({
        path: "../../wit",
        world: "json-processor",
    });
}

use bindings::{JsonProcessor, JsonProcessorPre, exports::example::json_tools::formatter};

/// How to build a [`WasmtimeHost`].
#[derive(Clone, Debug)]
pub struct HostConfig {
    /// Where compiled components are cached, keyed by content hash.
    pub cache_dir: PathBuf,
    /// Fuel and memory limits for every call.
    pub limits: Limits,
    /// How many instances may be alive at once (the pooling allocator's size).
    pub max_instances: u32,
}

impl HostConfig {
    /// A configuration with default limits that caches under `cache_dir`.
    pub fn new(cache_dir: impl Into<PathBuf>) -> HostConfig {
        HostConfig { cache_dir: cache_dir.into(), limits: Limits::default(), max_instances: 64 }
    }
}

/// The wasmtime host: one engine, shared by every session.
pub struct WasmtimeHost {
    engine: Engine,
    config: HostConfig,
}

impl WasmtimeHost {
    /// Creates the engine: Cranelift, fuel metering and the pooling allocator.
    ///
    /// # Errors
    /// When wasmtime rejects the configuration (for example, when the pooling
    /// allocator cannot reserve its address space).
    pub fn new(config: HostConfig) -> anyhow::Result<WasmtimeHost> {
        let mut pooling = PoolingAllocationConfig::default();
        pooling
            .total_component_instances(config.max_instances)
            .total_core_instances(config.max_instances * 8)
            .total_memories(config.max_instances * 2)
            .total_tables(config.max_instances * 8)
            .max_memory_size(config.limits.memory_bytes);
        let mut wasm_config = Config::new();
        wasm_config
            .consume_fuel(true)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling));
        let engine = Engine::new(&wasm_config).map_err(anyhow::Error::from).context("creating the wasmtime engine")?;
        Ok(WasmtimeHost { engine, config })
    }

    /// The engine, for benchmarks that measure instantiation on their own.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Loads a component: from the compiled cache when possible, otherwise
    /// compiles it and writes the cache entry atomically.
    ///
    /// # Errors
    /// When the file cannot be read or is not a valid component.
    pub fn load_component(&self, path: &Path) -> anyhow::Result<Component> {
        let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let cached = self.cache_path(&bytes);
        if cached.exists() {
            // SAFETY: the file was written by `Component::serialize` of an
            // engine with the same compatibility hash (it is in the name), and
            // it was moved into place atomically, so it is never half-written.
            #[allow(unsafe_code)]
            match unsafe { Component::deserialize_file(&self.engine, &cached) } {
                Ok(component) => return Ok(component),
                // A stale or damaged entry is not fatal: compile afresh.
                Err(_) => drop(fs::remove_file(&cached)),
            }
        }
        let component = Component::new(&self.engine, &bytes)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("compiling {}", path.display()))?;
        self.write_cache(&cached, &component)
            .with_context(|| format!("caching the compiled component in {}", cached.display()))?;
        Ok(component)
    }

    fn cache_path(&self, bytes: &[u8]) -> PathBuf {
        let mut compat = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut compat);
        let name =
            format!("{}-{:016x}.cwasm", blake3::hash(bytes).to_hex(), compat.finish());
        self.config.cache_dir.join(name)
    }

    fn write_cache(&self, cached: &Path, component: &Component) -> anyhow::Result<()> {
        fs::create_dir_all(&self.config.cache_dir)?;
        let serialized = component.serialize()?;
        let mut temp = tempfile::NamedTempFile::new_in(&self.config.cache_dir)?;
        std::io::Write::write_all(&mut temp, &serialized)?;
        temp.persist(cached)?;
        Ok(())
    }

    /// Pre-instantiates a component, linking WASI only if it imports anything.
    ///
    /// # Errors
    /// When the component is not of the `json-processor` world or imports
    /// something that the host does not provide.
    pub fn pre_instantiate(&self, component: &Component) -> anyhow::Result<JsonProcessorPre<GuestState>> {
        let mut linker = Linker::<GuestState>::new(&self.engine);
        if component.component_type().imports(&self.engine).next().is_some() {
            wasmtime_wasi::p2::add_to_linker_sync(&mut linker)
                .map_err(anyhow::Error::from)
                .context("linking WASI for a guest that imports it")?;
        }
        let instance_pre = linker.instantiate_pre(component)?;
        JsonProcessorPre::new(instance_pre)
            .map_err(anyhow::Error::from)
            .context("the component does not export the `json-processor` world")
    }

    /// The imports of a component, by name, for reports.
    pub fn imports(&self, component: &Component) -> Vec<String> {
        let ty = component.component_type();
        ty.imports(&self.engine).map(|(name, _)| name.to_owned()).collect()
    }
}

impl Host for WasmtimeHost {
    fn name(&self) -> &str {
        "wasmtime"
    }

    fn probe(&self) -> Result<(), Unavailable> {
        // Embedded: if this code runs, the host is here.
        Ok(())
    }

    fn open(&self, guest: &GuestArtifact) -> Result<Box<dyn Session>, HostError> {
        let load_error = |err: anyhow::Error| HostError::Load {
            host: "wasmtime".to_owned(),
            guest: guest.name.clone(),
            message: format!("{}: {err:#}", guest.component.display()),
        };
        let component = self.load_component(&guest.component).map_err(load_error)?;
        let pre = self.pre_instantiate(&component).map_err(load_error)?;
        let mut session = WasmtimeSession { pre, limits: self.config.limits, live: None };
        // Instantiate now, so that a component that cannot start is a load
        // error of the cell rather than a trap in every case.
        session.instance().map_err(load_error)?;
        Ok(Box::new(session))
    }
}

/// What a guest's store holds: its limits and, for guests that import WASI, an
/// empty WASI context.
pub struct GuestState {
    limits: StoreLimits,
    wasi: Option<Box<WasiState>>,
}

/// WASI's state, built only for guests that import WASI: building a
/// `WasiCtx` costs more than instantiating a guest that imports nothing.
struct WasiState {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl WasiView for GuestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        let wasi = self.wasi.get_or_insert_with(|| {
            // No preopens, no environment, no arguments, no network.
            Box::new(WasiState { ctx: WasiCtx::builder().build(), table: ResourceTable::new() })
        });
        WasiCtxView { ctx: &mut wasi.ctx, table: &mut wasi.table }
    }
}

/// A live instance and the store it lives in.
struct Live {
    store: Store<GuestState>,
    processor: JsonProcessor,
}

/// One guest in the wasmtime host: a pre-instantiated component and the
/// current instance, replaced after a trap.
pub struct WasmtimeSession {
    pre: JsonProcessorPre<GuestState>,
    limits: Limits,
    live: Option<Live>,
}

impl WasmtimeSession {
    /// Creates a session for `pre` with `limits` for every call.
    pub fn new(pre: JsonProcessorPre<GuestState>, limits: Limits) -> WasmtimeSession {
        WasmtimeSession { pre, limits, live: None }
    }

    /// Creates a fresh instance in a fresh store and drops it: what replacing
    /// a trapped instance costs, for benchmarks.
    ///
    /// # Errors
    /// When instantiation fails.
    pub fn instantiate_once(&mut self) -> anyhow::Result<()> {
        self.live = None;
        self.instance().map(drop)
    }

    fn instance(&mut self) -> anyhow::Result<&mut Live> {
        if self.live.is_none() {
            let state = GuestState {
                limits: StoreLimitsBuilder::new()
                    .memory_size(self.limits.memory_bytes)
                    .instances(64)
                    .trap_on_grow_failure(true)
                    .build(),
                wasi: None,
            };
            let mut store = Store::new(self.pre.engine(), state);
            store.limiter(|state| &mut state.limits);
            store.set_fuel(self.limits.fuel_per_call)?;
            let processor = self.pre.instantiate(&mut store)?;
            self.live = Some(Live { store, processor });
        }
        Ok(self.live.as_mut().expect("just created"))
    }

    /// Runs one call; a trap drops the instance, so the next call gets a new one.
    pub fn call(&mut self, call: &Call) -> Outcome {
        let fuel = self.limits.fuel_per_call;
        let result = self.instance().and_then(|live| {
            live.store.set_fuel(fuel)?;
            let formatter = live.processor.example_json_tools_formatter();
            match call {
                Call::Format { input, options } => {
                    let options = options.map(|FormatOptions { indent, sort_keys }| {
                        formatter::FormatOptions { indent, sort_keys }
                    });
                    formatter.call_format(&mut live.store, input, options).map_err(anyhow::Error::from)
                }
                Call::Minify { input } => formatter.call_minify(&mut live.store, input).map_err(anyhow::Error::from),
            }
        });
        match result {
            Ok(Ok(value)) => Outcome::Ok(value),
            Ok(Err(message)) => Outcome::Err(message),
            Err(err) => {
                // A trapped instance cannot be entered again.
                self.live = None;
                Outcome::Trap(trap_message(&err))
            }
        }
    }
}

/// The trap's own description, then its context chain, without a backtrace.
fn trap_message(err: &anyhow::Error) -> String {
    match err.downcast_ref::<wasmtime::Trap>() {
        Some(trap) => format!("{trap}: {err:#}"),
        None => format!("{err:#}"),
    }
}

impl Session for WasmtimeSession {
    fn call_batch(&mut self, calls: &[Call]) -> Result<Vec<Outcome>, HostError> {
        Ok(calls.iter().map(|call| self.call(call)).collect())
    }
}
