//! Host columns that run guests in another process: `node` (jco), `browser`
//! (jco in headless Chromium) and `python` (wasmtime-py), and any other
//! command that speaks the witness host protocol.
//!
//! Each (host, guest) pair gets one long-lived process.  The harness sends
//! it batches of calls as JSON lines on stdin, and reads one outcome line per
//! call from its stdout before the batch's deadline; `docs/host-protocol.md`
//! is the protocol's normative text.  A process that crashes, hangs past the
//! deadline or prints anything but protocol lines is killed with its whole
//! process group, and the batch fails with [`HostError::Crashed`] carrying
//! the tail of its stderr.
//!
//! The hosts differ only in data: how to probe and set up their tools, how
//! to prepare a component (transpile it, or name a compile cache), and the
//! command line that starts the process.

mod browser;
mod interrupt;
mod prepare;
mod process;
mod protocol;
mod setup;

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    process::Command,
    sync::{Arc, Mutex, OnceLock},
    time::{Duration, Instant},
};

use witness_host_api::{
    Answer, Call, Capabilities, Function, FunctionKey, GuestArtifact, Host, HostError, Invocation,
    Limits, Outcome, Probe, ProbeAnswer, Session, Type, Unavailable,
};

pub use crate::interrupt::kill_all_host_groups;
pub use crate::protocol::{EnforcedLimits, Ready};
use crate::{process::HostProcess, setup::NodeTools};

/// Where an external host finds its scripts and keeps its state, and the
/// limits it applies.
#[derive(Clone, Debug)]
pub struct Config {
    /// The repository root: the hosts' scripts are under `hosts/`.
    pub root: PathBuf,
    /// Where setup state and caches live, normally `<root>/target/witness`:
    /// `venv/`, `locks/`, and under `cache/` the jco output (`jco/`) and
    /// the components compiled by wasmtime-py (`wasmtime-py/`).
    pub work_dir: PathBuf,
    /// The limits passed to every host process; the batch deadline is
    /// enforced here, the rest by the hosts that can (see [`Ready::limits`]).
    pub limits: Limits,
    /// How long a host process may take to print its ready line.
    pub startup_deadline: Duration,
    /// The Chromium of the browser host; `None` looks for `chromium` on
    /// `PATH` and then `/usr/bin/chromium`.
    pub chromium: Option<PathBuf>,
}

impl Config {
    /// The configuration for the repository at `root`, with default limits.
    pub fn new(root: impl Into<PathBuf>) -> Config {
        let root = root.into();
        Config {
            work_dir: root.join("target").join("witness"),
            root,
            limits: Limits::default(),
            // Generous, because a cold start compiles the guest: wasmtime-py
            // needs a while for a componentize-py guest of tens of megabytes.
            startup_deadline: Duration::from_secs(180),
            chromium: None,
        }
    }

    /// The configuration for the repository this crate was built in.
    pub fn for_this_repository() -> Config {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        Config::new(manifest_dir.join("..").join(".."))
    }
}

/// Which external host, with what it needs that the others don't.
#[derive(Clone, Debug)]
enum Kind {
    Node,
    Browser,
    Python,
    Command { program: PathBuf, args: Vec<String> },
}

/// What a successful probe found, kept for [`Host::open`].
#[derive(Clone, Debug)]
enum Tools {
    Node(NodeTools),
    Browser { node: NodeTools, chromium: PathBuf },
    Python { python: PathBuf },
    Command,
}

/// A host column whose guests run in an external process.
pub struct ExternalHost {
    name: String,
    kind: Kind,
    config: Config,
    tools: OnceLock<Result<Tools, Unavailable>>,
    /// The browser column's one Chromium, started by its first session.
    /// Each session holds it too, so that it outlives the host while any
    /// session uses it.
    browser_server: Mutex<Option<Arc<browser::BrowserServer>>>,
}

impl ExternalHost {
    /// The `node` host: jco-transpiled guests in Node.js, by
    /// `hosts/node/runner.mjs`.
    pub fn node(config: Config) -> ExternalHost {
        ExternalHost::with_kind("node", Kind::Node, config)
    }

    /// The `browser` host: jco-transpiled guests in headless Chromium, by
    /// `hosts/browser/driver.mjs`, which speaks DevTools to it.
    pub fn browser(config: Config) -> ExternalHost {
        ExternalHost::with_kind("browser", Kind::Browser, config)
    }

    /// The `python` host: guests in wasmtime-py, by `hosts/python/runner.py`
    /// in the venv `target/witness/venv`.
    pub fn python(config: Config) -> ExternalHost {
        ExternalHost::with_kind("python", Kind::Python, config)
    }

    /// A host that is any command speaking the protocol: it is started as
    /// `program args... COMPONENT --fuel-per-call N --memory-bytes N`, with
    /// the repository root as its working directory, and needs no setup.
    pub fn command(
        name: impl Into<String>,
        program: impl Into<PathBuf>,
        args: Vec<String>,
        config: Config,
    ) -> ExternalHost {
        ExternalHost::with_kind(
            &name.into(),
            Kind::Command {
                program: program.into(),
                args,
            },
            config,
        )
    }

    /// The names of the hosts this crate provides, in matrix order.
    pub const NAMES: [&'static str; 3] = ["node", "browser", "python"];

    /// The host named `name`, one of [`ExternalHost::NAMES`].
    pub fn by_name(name: &str, config: Config) -> Option<ExternalHost> {
        match name {
            "node" => Some(ExternalHost::node(config)),
            "browser" => Some(ExternalHost::browser(config)),
            "python" => Some(ExternalHost::python(config)),
            _ => None,
        }
    }

    /// The node, browser and python hosts.
    pub fn all(config: &Config) -> Vec<ExternalHost> {
        vec![
            ExternalHost::node(config.clone()),
            ExternalHost::browser(config.clone()),
            ExternalHost::python(config.clone()),
        ]
    }

    fn with_kind(name: &str, kind: Kind, config: Config) -> ExternalHost {
        ExternalHost {
            name: name.to_owned(),
            kind,
            config,
            tools: OnceLock::new(),
            browser_server: Mutex::new(None),
        }
    }

    /// Opens a session, with the host's [`Ready`] line available on it.
    ///
    /// # Errors
    /// [`HostError::Load`] when the host is unavailable, the component can't
    /// be prepared, or the host process fails to load it.
    pub fn open_external(&self, guest: &GuestArtifact) -> Result<ExternalSession, HostError> {
        let load_error = |message: String| HostError::Load {
            host: self.name.clone(),
            guest: guest.name.clone(),
            message,
        };
        let tools = self
            .tools()
            .map_err(|unavailable| load_error(unavailable.to_string()))?;
        let root = &self.config.root;
        let limits = &self.config.limits;
        let mut browser_server = None;
        let mut command = match (&self.kind, tools) {
            (Kind::Node, Tools::Node(node)) => {
                let transpiled = self.transpile(node, guest).map_err(load_error)?;
                let mut command = Command::new(&node.node);
                // Node 20 needs the flag for guests whose core modules use
                // extended constant expressions (componentize-py's do).
                command
                    .arg("--experimental-wasm-extended-const")
                    .arg(root.join("hosts/node/runner.mjs"))
                    .arg(transpiled);
                command
            }
            (Kind::Browser, Tools::Browser { node, chromium }) => {
                let transpiled = self.transpile(node, guest).map_err(load_error)?;
                // The column's one Chromium; the session gets a browser
                // context of its own in it.
                let server = self
                    .shared_chromium(&node.node, chromium)
                    .map_err(load_error)?;
                let mut command = Command::new(&node.node);
                command
                    .args(node.websocket_flags())
                    .arg(root.join("hosts/browser/driver.mjs"))
                    .arg(transpiled)
                    .arg("--cdp-endpoint")
                    .arg(server.endpoint());
                browser_server = Some(server);
                command
            }
            (Kind::Python, Tools::Python { python }) => {
                let compiled = prepare::python_compiled_cache(
                    &guest.component,
                    &root.join("hosts/python/requirements.txt"),
                    &self.config.work_dir.join("cache").join("wasmtime-py"),
                )
                .map_err(load_error)?;
                let mut command = Command::new(python);
                command
                    .arg(root.join("hosts/python/runner.py"))
                    .arg(&guest.component)
                    .arg("--compiled-cache")
                    .arg(compiled);
                command
            }
            (Kind::Command { program, args }, Tools::Command) => {
                let mut command = Command::new(program);
                command.args(args).arg(&guest.component);
                command
            }
            (kind, tools) => {
                return Err(load_error(format!(
                    "internal: {kind:?} was probed as {tools:?}"
                )));
            }
        };
        if !guest.exports.is_empty() {
            let functions = self.functions_file(&guest.exports).map_err(load_error)?;
            command.arg("--functions").arg(functions);
        }
        command
            .arg("--fuel-per-call")
            .arg(limits.fuel_per_call.to_string())
            .arg("--memory-bytes")
            .arg(limits.memory_bytes.to_string())
            .arg("--allow-imports")
            .arg(guest.capabilities.allowed_interfaces().join(","))
            .current_dir(root);

        let started = Instant::now();
        let (process, ready) =
            HostProcess::start(command, self.config.startup_deadline).map_err(|failure| {
                // A guest that calls a denied capability while it starts
                // can't be loaded; say which capability and where to grant it.
                let denied = guest
                    .capabilities
                    .explain(&failure.message)
                    .map(|denial| format!("{denial}\n"))
                    .unwrap_or_default();
                load_error(format!(
                    "{denied}{}\n--- host stderr ---\n{}",
                    failure.message, failure.stderr
                ))
            })?;
        let protocol = ready.protocol.unwrap_or(1);
        if protocol == 2 {
            check_functions(&ready, &guest.exports).map_err(load_error)?;
        }
        Ok(ExternalSession {
            protocol,
            results: guest
                .exports
                .iter()
                .map(|function| (function.key.clone(), function.result.clone()))
                .collect(),
            host: self.name.clone(),
            guest: guest.name.clone(),
            process: Some(process),
            ready,
            startup: started.elapsed(),
            batch_deadline: limits.batch_deadline,
            next_batch: 0,
            capabilities: guest.capabilities.clone(),
            _browser_server: browser_server,
        })
    }

    /// The DevTools endpoint of the browser column's Chromium, started now
    /// if it is not running (the first session, or Chromium died).
    fn shared_chromium(
        &self,
        node: &Path,
        chromium: &Path,
    ) -> Result<Arc<browser::BrowserServer>, String> {
        let mut server = self
            .browser_server
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(running) = server.as_ref()
            && running.is_running()
        {
            return Ok(Arc::clone(running));
        }
        // A dead server is reaped, and its profile removed, when the last
        // session that used it is gone.
        let started = Arc::new(browser::BrowserServer::start(
            node,
            &self.config.root.join("hosts/browser/server.mjs"),
            chromium,
            self.config.startup_deadline,
        )?);
        *server = Some(Arc::clone(&started));
        Ok(started)
    }

    /// The process group of the browser column's shared Chromium (its
    /// server and every Chromium process), while one runs.
    pub fn shared_browser_group(&self) -> Option<i32> {
        self.browser_server
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .as_ref()
            .filter(|server| server.is_running())
            .and_then(|server| server.group())
    }

    /// Probes once and remembers the result.
    fn tools(&self) -> Result<&Tools, Unavailable> {
        self.tools
            .get_or_init(|| self.probe_and_set_up())
            .as_ref()
            .map_err(Clone::clone)
    }

    fn probe_and_set_up(&self) -> Result<Tools, Unavailable> {
        let root = &self.config.root;
        let work_dir = &self.config.work_dir;
        match &self.kind {
            Kind::Node => {
                let node = setup::probe_node()?;
                setup::ensure_npm_ci(&node, &root.join("hosts/node"), work_dir)?;
                Ok(Tools::Node(node))
            }
            Kind::Browser => {
                let node = setup::probe_node()?;
                node.require_websocket()?;
                let (chromium, _version) = setup::probe_chromium(self.config.chromium.as_deref())?;
                // jco comes from the node host's packages, the browser build
                // of the WASI shim from the browser's.
                setup::ensure_npm_ci(&node, &root.join("hosts/node"), work_dir)?;
                setup::ensure_npm_ci(&node, &root.join("hosts/browser"), work_dir)?;
                Ok(Tools::Browser { node, chromium })
            }
            Kind::Python => {
                let venv = setup::ensure_venv(
                    &root.join("hosts/python/requirements.txt"),
                    &work_dir.join("venv"),
                    work_dir,
                )?;
                Ok(Tools::Python {
                    python: venv.python,
                })
            }
            Kind::Command { program, .. } => {
                match setup::find_program(&program.to_string_lossy()) {
                    Some(_) => Ok(Tools::Command),
                    None => Err(Unavailable {
                        reason: format!("{} not found", program.display()),
                        hint: format!("install {} or put it on PATH", program.display()),
                    }),
                }
            }
        }
    }

    /// Writes the signatures a protocol 2 host is given (`--functions`),
    /// named by their content's hash, once.
    fn functions_file(&self, functions: &[Function]) -> Result<PathBuf, String> {
        let json = serde_json::json!({
            "functions": functions.iter().map(witness_value::wire::function_to_json).collect::<Vec<_>>(),
        });
        let text = json.to_string();
        let dir = self.config.work_dir.join("cache").join("functions");
        let path = dir.join(format!("{}.json", blake3::hash(text.as_bytes()).to_hex()));
        if path.is_file() {
            return Ok(path);
        }
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            let mut temp = tempfile::NamedTempFile::new_in(&dir)?;
            std::io::Write::write_all(&mut temp, text.as_bytes())?;
            temp.persist(&path).map_err(|error| error.error)?;
            Ok(())
        };
        write().map_err(|error| format!("cannot write {}: {error}", path.display()))?;
        Ok(path)
    }

    fn transpile(&self, node: &NodeTools, guest: &GuestArtifact) -> Result<PathBuf, String> {
        prepare::transpile(
            &node.node,
            &self.config.root.join("hosts/node"),
            &guest.component,
            &self.config.work_dir.join("cache").join("jco"),
        )
    }
}

impl Host for ExternalHost {
    fn name(&self) -> &str {
        &self.name
    }

    /// Checks the host's tools and does its one-time setup (`npm ci`, the
    /// venv) if its stamp is stale; the result is remembered.
    fn probe(&self) -> Result<(), Unavailable> {
        self.tools().map(|_| ())
    }

    fn open(&self, guest: &GuestArtifact) -> Result<Box<dyn Session>, HostError> {
        Ok(Box::new(self.open_external(guest)?))
    }
}

/// Checks a protocol 2 ready line's functions against the WIT's: each must be
/// there, with the same types.
fn check_functions(ready: &Ready, expected: &[Function]) -> Result<(), String> {
    let reported = ready
        .functions
        .as_deref()
        .ok_or("the ready line says protocol 2 but lists no functions")?;
    let found: Vec<Function> = reported
        .iter()
        .map(|json| {
            witness_value::wire::function_from_json(json).map_err(|error| {
                format!("the ready line lists a function it cannot spell: {error}")
            })
        })
        .collect::<Result<_, _>>()?;
    for function in expected {
        match found.iter().find(|found| found.key == function.key) {
            None => {
                let listed: Vec<String> = found.iter().map(|found| found.key.to_string()).collect();
                let listed = if listed.is_empty() {
                    "none of them".to_owned()
                } else {
                    listed.join(", ")
                };
                return Err(format!(
                    "the component does not export {}; of the contract's functions it exports {listed}",
                    function.key
                ));
            }
            Some(found) if found != function => {
                return Err(format!(
                    "the host sees {} as `{found}`, but the WIT says `{function}`",
                    function.key
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// One guest loaded in one external host process.
///
/// Dropping the session closes the process's stdin, gives it a moment to
/// exit, and then kills its process group, so nothing outlives it.
pub struct ExternalSession {
    /// The protocol the host speaks: 1 (json-tools calls only) or 2.
    protocol: u32,
    /// The result type of every function of the contract, by which a
    /// protocol 2 answer is read.
    results: HashMap<FunctionKey, Option<Type>>,
    host: String,
    guest: String,
    /// `None` once a batch failed: the process is gone.
    process: Option<HostProcess>,
    ready: Ready,
    startup: Duration,
    batch_deadline: Duration,
    next_batch: u64,
    /// The guest's capabilities, to name them in the message of a denied call.
    capabilities: Capabilities,
    /// The browser column's Chromium, kept running while this session is.
    /// Declared after `process`, so that the driver is gone first.
    _browser_server: Option<Arc<browser::BrowserServer>>,
}

impl ExternalSession {
    /// The host's ready line: its runtime's versions and the limits it
    /// enforces.
    pub fn ready(&self) -> &Ready {
        &self.ready
    }

    /// How long the host process took from start to its ready line.
    pub fn startup(&self) -> Duration {
        self.startup
    }

    /// The host process's id, which is also its process group's id; `None`
    /// once a batch failed and the process was killed.
    pub fn pid(&self) -> Option<u32> {
        self.process.as_ref().map(HostProcess::id)
    }
}

impl ExternalSession {
    fn crashed(&self, message: String, stderr: String) -> HostError {
        HostError::Crashed {
            host: self.host.clone(),
            guest: self.guest.clone(),
            message,
            stderr,
        }
    }

    /// The live process and the next batch's id and deadline.
    fn next_batch(&mut self) -> Result<(&mut HostProcess, u64, Instant), HostError> {
        let batch_id = self.next_batch;
        self.next_batch += 1;
        let deadline = Instant::now() + self.batch_deadline;
        if self.process.is_none() {
            return Err(self.crashed(
                "the session already failed; its host process is gone".into(),
                String::new(),
            ));
        }
        let process = self.process.as_mut().expect("checked above");
        Ok((process, batch_id, deadline))
    }

    /// A failed batch: the process is gone, and the error says which batch.
    fn batch_failed(
        &mut self,
        batch_id: u64,
        n_calls: usize,
        failure: process::Failure,
    ) -> HostError {
        self.process = None;
        let message = format!("batch {batch_id} of {n_calls} calls: {}", failure.message);
        self.crashed(message, failure.stderr)
    }

    /// A trap's message, with a denied capability named and where to grant it.
    fn explain(&self, message: String) -> String {
        self.capabilities.explain(&message).unwrap_or(message)
    }
}

impl Session for ExternalSession {
    fn call_batch(&mut self, calls: &[Call]) -> Result<Vec<Outcome>, HostError> {
        if self.protocol == 2 {
            let invocations: Vec<Invocation> = calls.iter().map(Call::invocation).collect();
            let answers = self.call_values(&invocations)?;
            return Ok(answers.into_iter().map(Outcome::of_answer).collect());
        }
        let (process, batch_id, deadline) = self.next_batch()?;
        match process.exchange(batch_id, calls, deadline) {
            Ok(outcomes) => Ok(outcomes
                .into_iter()
                .map(|outcome| match outcome {
                    Outcome::Trap(message) => Outcome::Trap(self.explain(message)),
                    outcome => outcome,
                })
                .collect()),
            Err(failure) => Err(self.batch_failed(batch_id, calls.len(), failure)),
        }
    }

    fn call_values(&mut self, invocations: &[Invocation]) -> Result<Vec<Answer>, HostError> {
        if self.protocol != 2 {
            return Err(self.crashed(
                format!(
                    "the host speaks protocol {}, which has no typed calls (docs/host-protocol.md, \"Protocol 2\")",
                    self.protocol
                ),
                String::new(),
            ));
        }
        let mut results = Vec::with_capacity(invocations.len());
        for invocation in invocations {
            let Some(result) = self.results.get(&invocation.function) else {
                return Err(self.crashed(
                    format!("{} is not a function of the contract", invocation.function),
                    String::new(),
                ));
            };
            results.push(result.clone());
        }
        let result_refs: Vec<Option<&Type>> = results.iter().map(Option::as_ref).collect();
        let (process, batch_id, deadline) = self.next_batch()?;
        match process.exchange_typed(batch_id, invocations, &result_refs, deadline) {
            Ok(answers) => Ok(answers
                .into_iter()
                .map(|answer| match answer {
                    Answer::Trapped(message) => Answer::Trapped(self.explain(message)),
                    answer => answer,
                })
                .collect()),
            Err(failure) => Err(self.batch_failed(batch_id, invocations.len(), failure)),
        }
    }

    fn probe(&mut self, probe: &Probe) -> Result<ProbeAnswer, HostError> {
        if self.protocol != 2 {
            return Err(self.crashed(
                format!(
                    "the host speaks protocol {}, which has no probes (docs/host-protocol.md, \"Probes\")",
                    self.protocol
                ),
                String::new(),
            ));
        }
        let Some(result) = self.results.get(&probe.invocation.function).cloned() else {
            return Err(self.crashed(
                format!(
                    "{} is not a function of the contract",
                    probe.invocation.function
                ),
                String::new(),
            ));
        };
        let (process, batch_id, deadline) = self.next_batch()?;
        match process.exchange_probe(batch_id, probe, result.as_ref(), deadline) {
            Ok(ProbeAnswer::Ran(Answer::Trapped(message))) => {
                Ok(ProbeAnswer::Ran(Answer::Trapped(self.explain(message))))
            }
            Ok(answer) => Ok(answer),
            Err(failure) => Err(self.batch_failed(batch_id, 1, failure)),
        }
    }
}

#[cfg(test)]
mod tests;
