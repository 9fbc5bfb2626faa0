//! The `wasmtime` host column: components run embedded in Rust.
//!
//! Nothing is generated per contract: the functions a component exports are
//! found from its type, checked against the contract's WIT at load, and
//! called with `Func::call` on typed values ([`values`] converts them to and
//! from wasmtime's `Val`).
//!
//! Each component is compiled once and its compiled artefact is cached on disk
//! by content hash; every session pre-instantiates it with the pooling
//! allocator, and every call runs with a fuel budget and a memory limit.
//!
//! A guest gets no capabilities by default.  Only the WASI interfaces of the
//! capabilities its manifest grants are linked (and `wasi:io`, which carries
//! no authority of its own); every other import is defined as a function that
//! traps with a `capability denied: <interface>#<function>` message naming
//! where to grant it.  A granted capability still gets nothing of the host's:
//! no preopens, no environment or arguments, no network, an empty stdin and
//! stdout and stderr that go nowhere.

use std::{
    collections::HashMap,
    fs,
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
    sync::Arc,
};

use anyhow::Context as _;
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, StoreLimits,
    StoreLimitsBuilder,
    component::{
        Component, ComponentExportIndex, Func, Instance, InstancePre, Linker, ResourceTable,
        ResourceType, Val,
        types::{self, ComponentItem},
    },
};
use wasmtime_wasi::{
    WasiCtx, WasiCtxView, WasiView,
    cli::{WasiCli, WasiCliView as _},
    clocks::{WasiClocks, WasiClocksView as _},
    filesystem::{WasiFilesystem, WasiFilesystemView as _},
    p2::bindings as wasi,
    random::{WasiRandom, WasiRandomView as _},
    sockets::{WasiSockets, WasiSocketsView as _},
};
use witness_host_api::{
    Answer, Call, Capabilities, Capability, Function, FunctionKey, GuestArtifact, Host, HostError,
    Invocation, Limits, Outcome, Probe, ProbeAnswer, ProbeValue, Session, Unavailable,
};

mod values;

pub use values::{from_val, to_val, type_of};

/// An exported function as this host found it in a component.
#[derive(Clone, Debug)]
struct Export {
    /// Where wasmtime finds it in every instance.
    index: ComponentExportIndex,
    /// Its signature, as wasmtime sees its types.
    function: Function,
    /// How many results it has (zero or one).
    results: usize,
}

/// A pre-instantiated component and the functions it exports, found from
/// its type: nothing is generated per contract.
#[derive(Clone)]
pub struct GuestPre {
    pre: InstancePre<GuestState>,
    exports: Arc<HashMap<FunctionKey, Export>>,
}

impl GuestPre {
    fn engine(&self) -> &Engine {
        self.pre.engine()
    }

    /// Every function the component exports, as this host sees its types,
    /// sorted by interface and name.
    pub fn functions(&self) -> Vec<Function> {
        let mut functions: Vec<Function> = self
            .exports
            .values()
            .map(|export| export.function.clone())
            .collect();
        functions.sort_by(|a, b| a.key.cmp(&b.key));
        functions
    }

    /// Checks that the component exports every function of `expected`, with
    /// the types the WIT gives it.
    ///
    /// # Errors
    /// The first function that is missing or typed otherwise, and what the
    /// component exports instead.
    pub fn check_exports(&self, expected: &[Function]) -> anyhow::Result<()> {
        for function in expected {
            match self.exports.get(&function.key) {
                None => {
                    let exported: Vec<String> = self
                        .functions()
                        .iter()
                        .map(|function| function.key.to_string())
                        .collect();
                    let exported = if exported.is_empty() {
                        "no functions".to_owned()
                    } else {
                        exported.join(", ")
                    };
                    anyhow::bail!(
                        "the component does not export {}; it exports {exported}",
                        function.key
                    );
                }
                Some(export) if export.function != *function => anyhow::bail!(
                    "the component exports {} as `{}`, but the WIT says `{}`",
                    function.key,
                    export.function,
                    function
                ),
                Some(_) => {}
            }
        }
        Ok(())
    }
}

/// Every function a component exports, directly or in an exported instance.
fn find_exports(engine: &Engine, component: &Component) -> HashMap<FunctionKey, Export> {
    let mut exports = HashMap::new();
    let mut add = |interface: Option<&str>,
                   name: &str,
                   index: ComponentExportIndex,
                   func: &types::ComponentFunc| {
        let function = Function {
            key: FunctionKey::new(interface, name),
            params: func
                .params()
                .map(|(name, ty)| (name.to_owned(), type_of(&ty)))
                .collect(),
            result: func.results().next().map(|ty| type_of(&ty)),
        };
        let results = func.results().len();
        exports.insert(
            function.key.clone(),
            Export {
                index,
                function,
                results,
            },
        );
    };
    for (name, item) in component.component_type().exports(engine) {
        match item.ty {
            ComponentItem::ComponentFunc(func) => {
                if let Some(index) = component.get_export_index(None, name) {
                    add(None, name, index, &func);
                }
            }
            ComponentItem::ComponentInstance(instance) => {
                let Some(instance_index) = component.get_export_index(None, name) else {
                    continue;
                };
                for (function_name, item) in instance.exports(engine) {
                    let ComponentItem::ComponentFunc(func) = item.ty else {
                        continue;
                    };
                    if let Some(index) =
                        component.get_export_index(Some(&instance_index), function_name)
                    {
                        add(Some(name), function_name, index, &func);
                    }
                }
            }
            _ => {}
        }
    }
    exports
}

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
        HostConfig {
            cache_dir: cache_dir.into(),
            limits: Limits::default(),
            max_instances: 64,
        }
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
        let engine = Engine::new(&wasm_config)
            .map_err(anyhow::Error::from)
            .context("creating the wasmtime engine")?;
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
        self.engine
            .precompile_compatibility_hash()
            .hash(&mut compat);
        let name = format!(
            "{}-{:016x}.cwasm",
            blake3::hash(bytes).to_hex(),
            compat.finish()
        );
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

    /// Pre-instantiates a component that is granted no capabilities.
    ///
    /// # Errors
    /// As [`WasmtimeHost::pre_instantiate_with`].
    pub fn pre_instantiate(&self, component: &Component) -> anyhow::Result<GuestPre> {
        self.pre_instantiate_with(component, &Capabilities::default())
    }

    /// Pre-instantiates a component, linking the WASI interfaces of the
    /// granted capabilities and a trapping stub for every other import, and
    /// finds the functions it exports.
    ///
    /// # Errors
    /// When an import cannot be defined or the component cannot be
    /// pre-instantiated.
    pub fn pre_instantiate_with(
        &self,
        component: &Component,
        capabilities: &Capabilities,
    ) -> anyhow::Result<GuestPre> {
        let mut linker = Linker::<GuestState>::new(&self.engine);
        let imports: Vec<(String, ComponentItem)> = component
            .component_type()
            .imports(&self.engine)
            .map(|(name, import)| (name.to_owned(), import.ty))
            .collect();
        if !imports.is_empty() {
            link_granted(&mut linker, capabilities)
                .map_err(anyhow::Error::from)
                .context("linking the granted WASI interfaces")?;
            deny_the_rest(&mut linker, &self.engine, &imports, capabilities)
                .map_err(anyhow::Error::from)
                .context("defining the denied imports")?;
        }
        let pre = linker
            .instantiate_pre(component)
            .map_err(anyhow::Error::from)?;
        Ok(GuestPre {
            pre,
            exports: Arc::new(find_exports(&self.engine, component)),
        })
    }

    /// How many component instances are alive in the pooling allocator, over
    /// every session of this host: a session holds at most one.
    pub fn live_instances(&self) -> Option<u64> {
        self.engine
            .pooling_allocator_metrics()
            .map(|metrics| metrics.component_instances())
    }

    /// The imports of a component, by name, for reports.
    pub fn imports(&self, component: &Component) -> Vec<String> {
        let ty = component.component_type();
        ty.imports(&self.engine)
            .map(|(name, _)| name.to_owned())
            .collect()
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
        let pre = self
            .pre_instantiate_with(&component, &guest.capabilities)
            .map_err(load_error)?;
        pre.check_exports(&guest.exports).map_err(load_error)?;
        let mut session = WasmtimeSession {
            pre,
            limits: self.config.limits,
            live: None,
        };
        // Instantiate now, so that a component that cannot start is a load
        // error of the cell rather than a trap in every case.
        session
            .instance()
            .map_err(|err| load_error(anyhow::Error::msg(error_message(&err))))?;
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
            // No preopens, no environment, no arguments, no network; stdin is
            // empty and stdout and stderr discard what they are given.
            let ctx = WasiCtx::builder()
                .allow_tcp(false)
                .allow_udp(false)
                .allow_ip_name_lookup(false)
                .build();
            Box::new(WasiState {
                ctx,
                table: ResourceTable::new(),
            })
        });
        WasiCtxView {
            ctx: &mut wasi.ctx,
            table: &mut wasi.table,
        }
    }
}

/// A live instance, the store it lives in, and the functions looked up in it
/// so far.
struct Live {
    store: Store<GuestState>,
    instance: Instance,
    funcs: HashMap<FunctionKey, Func>,
}

/// One guest in the wasmtime host: a pre-instantiated component and the
/// current instance, replaced after a trap.
pub struct WasmtimeSession {
    pre: GuestPre,
    limits: Limits,
    live: Option<Live>,
}

impl WasmtimeSession {
    /// Creates a session for `pre` with `limits` for every call.
    pub fn new(pre: GuestPre, limits: Limits) -> WasmtimeSession {
        WasmtimeSession {
            pre,
            limits,
            live: None,
        }
    }

    /// Creates a fresh instance in a fresh store and drops it: what replacing
    /// a trapped instance costs, for benchmarks.
    ///
    /// # Errors
    /// When instantiation fails.
    pub fn instantiate_once(&mut self) -> anyhow::Result<()> {
        self.live = None;
        self.instance().map(drop).map_err(anyhow::Error::from)
    }

    fn instance(&mut self) -> wasmtime::Result<&mut Live> {
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
            let instance = self.pre.pre.instantiate(&mut store)?;
            self.live = Some(Live {
                store,
                instance,
                funcs: HashMap::new(),
            });
        }
        Ok(self.live.as_mut().expect("just created"))
    }

    /// The functions the component exports, as this host sees them.
    pub fn functions(&self) -> Vec<Function> {
        self.pre.functions()
    }

    /// Runs one json-tools call, as the typed [`Invocation`] it is.
    pub fn call(&mut self, call: &Call) -> Outcome {
        Outcome::of_answer(self.invoke(call.invocation()))
    }

    /// Runs one typed call with `Func::call`; a trap drops the instance, so
    /// the next call gets a new one.
    pub fn invoke(&mut self, invocation: Invocation) -> Answer {
        let mut invocation = invocation;
        let params: Vec<Val> = std::mem::take(&mut invocation.args)
            .into_iter()
            .map(to_val)
            .collect();
        match self.invoke_vals(&invocation, &params) {
            ProbeAnswer::Ran(answer) => answer,
            // Values made from witness's own typed `Value`s are refused only
            // when they do not fit the function, which a trap reports.
            ProbeAnswer::Rejected(message) => Answer::Trapped(message),
        }
    }

    /// Calls `invocation`'s function with `params`: what the guest
    /// answered, or the call refused before the guest ran (an error that
    /// is not a trap: wasmtime type-checks every `Val` first).
    fn invoke_vals(&mut self, invocation: &Invocation, params: &[Val]) -> ProbeAnswer {
        let Some(export) = self.pre.exports.get(&invocation.function) else {
            return ProbeAnswer::Ran(Answer::Trapped(format!(
                "the component does not export {}",
                invocation.function
            )));
        };
        let (index, n_results) = (export.index, export.results);
        let fuel = self
            .limits
            .fuel_per_call
            .saturating_mul(invocation.fuel_calls);
        let mut results = vec![Val::Bool(false); n_results];
        let result = self.instance().and_then(|live| {
            live.store.set_fuel(fuel)?;
            let func = match live.funcs.get(&invocation.function) {
                Some(func) => *func,
                None => {
                    let func = live
                        .instance
                        .get_func(&mut live.store, index)
                        .ok_or_else(|| wasmtime::Error::msg("the export is not a function"))?;
                    live.funcs.insert(invocation.function.clone(), func);
                    func
                }
            };
            func.call(&mut live.store, params, &mut results)
        });
        match result {
            Ok(()) => ProbeAnswer::Ran(match results.pop().map(from_val).transpose() {
                Ok(value) => Answer::Returned(value),
                Err(kind) => Answer::Trapped(format!(
                    "{} returned {kind}, which witness cannot carry yet",
                    invocation.function
                )),
            }),
            Err(err) => {
                // A trapped instance cannot be entered again.
                self.live = None;
                // Anything that happened inside the guest is a trap, or
                // carries the guest's backtrace.
                let trapped = err.downcast_ref::<wasmtime::Trap>().is_some()
                    || err.downcast_ref::<wasmtime::WasmBacktrace>().is_some()
                    || err.downcast_ref::<CapabilityDenied>().is_some();
                if trapped {
                    ProbeAnswer::Ran(Answer::Trapped(error_message(&err)))
                } else {
                    ProbeAnswer::Rejected(error_message(&err))
                }
            }
        }
    }
}

/// A call of an import that the guest was not granted.
#[derive(Debug)]
struct CapabilityDenied(String);

impl std::fmt::Display for CapabilityDenied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CapabilityDenied {}

/// A trap's message: a denied capability says only that (the backtrace adds
/// nothing a person needs); any other trap gives its root cause (the trap, or
/// the memory limit's refusal), then the context chain with the wasm
/// backtrace.
fn error_message(err: &wasmtime::Error) -> String {
    if let Some(denied) = err.downcast_ref::<CapabilityDenied>() {
        return denied.0.clone();
    }
    format!("{}: {err:#}", err.root_cause())
}

/// Links `wasi:io` and the interfaces of every granted capability, as
/// `wasmtime_wasi::p2::add_to_linker_sync` would link all of them.
fn link_granted(
    linker: &mut Linker<GuestState>,
    capabilities: &Capabilities,
) -> wasmtime::Result<()> {
    type State = GuestState;
    let l = linker;
    wasi::sync::io::error::add_to_linker::<State, HasTable>(l, |state| state.ctx().table)?;
    wasi::sync::io::poll::add_to_linker::<State, HasTable>(l, |state| state.ctx().table)?;
    wasi::sync::io::streams::add_to_linker::<State, HasTable>(l, |state| state.ctx().table)?;
    for capability in &capabilities.granted {
        match capability {
            Capability::Clocks => {
                wasi::clocks::wall_clock::add_to_linker::<State, WasiClocks>(l, State::clocks)?;
                wasi::clocks::monotonic_clock::add_to_linker::<State, WasiClocks>(
                    l,
                    State::clocks,
                )?;
            }
            Capability::Random => {
                wasi::random::random::add_to_linker::<State, WasiRandom>(l, State::random)?;
                wasi::random::insecure::add_to_linker::<State, WasiRandom>(l, State::random)?;
                wasi::random::insecure_seed::add_to_linker::<State, WasiRandom>(l, State::random)?;
            }
            Capability::Environment => {
                wasi::cli::environment::add_to_linker::<State, WasiCli>(l, State::cli)?
            }
            Capability::Exit => wasi::cli::exit::add_to_linker::<State, WasiCli>(l, State::cli)?,
            Capability::Stdio => {
                wasi::cli::stdin::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::stdout::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::stderr::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::terminal_input::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::terminal_output::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::terminal_stdin::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::terminal_stdout::add_to_linker::<State, WasiCli>(l, State::cli)?;
                wasi::cli::terminal_stderr::add_to_linker::<State, WasiCli>(l, State::cli)?;
            }
            Capability::Filesystem => {
                wasi::sync::filesystem::types::add_to_linker::<State, WasiFilesystem>(
                    l,
                    State::filesystem,
                )?;
                wasi::filesystem::preopens::add_to_linker::<State, WasiFilesystem>(
                    l,
                    State::filesystem,
                )?;
            }
            Capability::Sockets => {
                let options = wasi::sockets::network::LinkOptions::default();
                wasi::sockets::network::add_to_linker::<State, WasiSockets>(
                    l,
                    &options,
                    State::sockets,
                )?;
                wasi::sockets::instance_network::add_to_linker::<State, WasiSockets>(
                    l,
                    State::sockets,
                )?;
                wasi::sync::sockets::tcp::add_to_linker::<State, WasiSockets>(l, State::sockets)?;
                wasi::sockets::tcp_create_socket::add_to_linker::<State, WasiSockets>(
                    l,
                    State::sockets,
                )?;
                wasi::sync::sockets::udp::add_to_linker::<State, WasiSockets>(l, State::sockets)?;
                wasi::sync::sockets::udp_create_socket::add_to_linker::<State, WasiSockets>(
                    l,
                    State::sockets,
                )?;
                wasi::sockets::ip_name_lookup::add_to_linker::<State, WasiSockets>(
                    l,
                    State::sockets,
                )?;
            }
        }
    }
    Ok(())
}

/// The `wasi:io` host traits are implemented on the resource table.
struct HasTable;

impl wasmtime::component::HasData for HasTable {
    type Data<'a> = &'a mut ResourceTable;
}

/// Defines every import that [`link_granted`] did not: each function traps
/// with [`Capabilities::denial`], and each resource that the denied
/// interface introduces gets a placeholder type, since nothing can make one.
///
/// (Not `Linker::define_unknown_imports_as_traps`: it misses definitions made
/// for an older semver-compatible version, so it would stub out the granted
/// interfaces of a guest that imports a newer WASI 0.2 release.)
fn deny_the_rest(
    linker: &mut Linker<GuestState>,
    engine: &Engine,
    imports: &[(String, ComponentItem)],
    capabilities: &Capabilities,
) -> wasmtime::Result<()> {
    // Resources in import order: a resource seen before is an alias (`use`)
    // of one that an earlier import defines, and must not be redefined.
    let mut seen: Vec<ResourceType> = Vec::new();
    for (name, item) in imports {
        match item {
            ComponentItem::ComponentInstance(instance) => {
                let exports: Vec<(String, ComponentItem)> = instance
                    .exports(engine)
                    .map(|(export, item)| (export.to_owned(), item.ty))
                    .collect();
                if capabilities.allows(name) {
                    seen.extend(exports.into_iter().filter_map(|(_, item)| match item {
                        ComponentItem::Resource(resource) => Some(resource),
                        _ => None,
                    }));
                    continue;
                }
                let mut linker_instance = linker.instance(name)?;
                for (export, item) in exports {
                    match item {
                        ComponentItem::ComponentFunc(_) => {
                            let message = capabilities.denial(name, &export);
                            linker_instance.func_new(&export, move |_, _, _, _| {
                                Err(wasmtime::Error::new(CapabilityDenied(message.clone())))
                            })?;
                        }
                        ComponentItem::Resource(resource) if !seen.contains(&resource) => {
                            linker_instance.resource(
                                &export,
                                ResourceType::host::<()>(),
                                |_, _| Ok(()),
                            )?;
                            seen.push(resource);
                        }
                        _ => {}
                    }
                }
            }
            ComponentItem::ComponentFunc(_) => {
                let message = format!(
                    "capability denied: the function import `{name}`; no capability grants it"
                );
                linker.root().func_new(name, move |_, _, _, _| {
                    Err(wasmtime::Error::new(CapabilityDenied(message.clone())))
                })?;
            }
            ComponentItem::Resource(resource) if !seen.contains(resource) => {
                linker
                    .root()
                    .resource(name, ResourceType::host::<()>(), |_, _| Ok(()))?;
                seen.push(*resource);
            }
            // Types need no definition; modules and components can't be
            // provided, and instantiation says so.
            _ => {}
        }
    }
    Ok(())
}

impl Session for WasmtimeSession {
    fn call_batch(&mut self, calls: &[Call]) -> Result<Vec<Outcome>, HostError> {
        Ok(calls.iter().map(|call| self.call(call)).collect())
    }

    fn call_values(&mut self, invocations: &[Invocation]) -> Result<Vec<Answer>, HostError> {
        Ok(invocations
            .iter()
            .map(|invocation| self.invoke(invocation.clone()))
            .collect())
    }

    fn probe(&mut self, probe: &Probe) -> Result<ProbeAnswer, HostError> {
        let Some(val) = probe_val(&probe.value) else {
            return Ok(ProbeAnswer::Rejected(format!(
                "not expressible: no `wasmtime::component::Val` can hold {:?} (Rust's types refuse it before any call)",
                probe.value
            )));
        };
        let mut invocation = probe.invocation.clone();
        let mut params: Vec<Val> = std::mem::take(&mut invocation.args)
            .into_iter()
            .map(to_val)
            .collect();
        let Some(slot) = params.get_mut(probe.arg) else {
            return Ok(ProbeAnswer::Rejected(format!(
                "the function has no argument {}",
                probe.arg
            )));
        };
        *slot = val;
        Ok(self.invoke_vals(&invocation, &params))
    }
}

/// What a Rust user of wasmtime's `Val` would pass for a probe's value: the
/// nearest `Val` that holds it (a wider integer, a float, a string of two
/// chars for a `char`, flags or an enum case by name); `None` where no
/// `Val` can hold it (an integer beyond 64 bits, a lone surrogate).
fn probe_val(value: &ProbeValue) -> Option<Val> {
    match value {
        ProbeValue::Int(text) => {
            let n: i128 = text.parse().ok()?;
            if let Ok(n) = u32::try_from(n) {
                Some(Val::U32(n))
            } else if let Ok(n) = i32::try_from(n) {
                Some(Val::S32(n))
            } else if let Ok(n) = u64::try_from(n) {
                Some(Val::U64(n))
            } else {
                i64::try_from(n).ok().map(Val::S64)
            }
        }
        ProbeValue::Float(x) => Some(Val::Float64(*x)),
        ProbeValue::CodePoints(points) => {
            let text: Option<String> = points.iter().map(|point| char::from_u32(*point)).collect();
            match text {
                Some(text) if text.chars().count() == 1 => text.chars().next().map(Val::Char),
                Some(text) => Some(Val::String(text)),
                None => None,
            }
        }
        ProbeValue::Flags(names) => Some(Val::Flags(names.clone())),
        ProbeValue::Enum(name) => Some(Val::Enum(name.clone())),
    }
}
