//! The one plug-in shape for host columns.
//!
//! A host (wasmtime embedded in Rust, Node through jco, Python through
//! wasmtime-py, ...) opens a [`Session`] per guest component and answers
//! batches of [`Call`]s with [`Outcome`]s.  The harness never knows how a host
//! runs a component, and a host never knows which language a guest was
//! written in.
//!
//! Calls come in two shapes while the contract becomes a plug-in: the typed
//! [`Invocation`] of any exported function with [`Value`] arguments, which
//! the wasmtime host makes natively, and json-tools' own [`Call`], which
//! [`Call::invocation`] and [`Outcome::of_answer`] translate to and from it.

use std::{path::PathBuf, time::Duration};

use serde::{Deserialize, Serialize};
pub use witness_value::{Function, FunctionKey, Type, Value};

/// The interface a json-tools formatter exports (`contracts/json-tools/wit/json-tools.wit`).
pub const FORMATTER_INTERFACE: &str = "example:json-tools/formatter@1.0.0";

/// The interface a pipeline exports (`contracts/json-pipeline/wit/pipeline.wit`).
pub const NORMALIZER_INTERFACE: &str = "example:pipeline/normalizer@1.0.0";

/// One typed call of an exported function.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invocation {
    /// The function.
    pub function: FunctionKey,
    /// Its arguments, one per parameter.
    pub args: Vec<Value>,
    /// How many calls' worth of fuel it gets (see [`Call::fuel_calls`]).
    pub fuel_calls: u64,
}

/// What one typed call gave.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// The function returned, with its result if it has one.
    Returned(Option<Value>),
    /// The guest trapped (or ran out of fuel, memory or time), or the call
    /// could not be made; the message is the host's.
    Trapped(String),
}

/// `format-options` of `example:json-tools/formatter@1.0.0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FormatOptions {
    /// Spaces per nesting level; more than 16 is an `invalid options` error.
    pub indent: u32,
    /// Order object members by the decoded value of their keys.
    #[serde(rename = "sort-keys")]
    pub sort_keys: bool,
}

/// One call of an exported function of a contract: the formatter's `format`
/// and `minify` (world `json-processor`), or the pipeline's `normalize`
/// (world `example:pipeline/pipeline`, `contracts/json-pipeline/contract.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "fn", rename_all = "kebab-case")]
pub enum Call {
    /// `format(input, options)`.
    Format {
        /// The document, as a WIT string.
        input: String,
        /// `none` means indent 2 without sorting.
        options: Option<FormatOptions>,
    },
    /// `minify(input)`.
    Minify {
        /// The document, as a WIT string.
        input: String,
    },
    /// `normalize(input)` of `example:pipeline/normalizer@1.0.0`.
    Normalize {
        /// The document, as a WIT string.
        input: String,
    },
}

impl Call {
    /// The function's name in the WIT (and the protocol's `fn`).
    pub fn function(&self) -> &'static str {
        match self {
            Call::Format { .. } => "format",
            Call::Minify { .. } => "minify",
            Call::Normalize { .. } => "normalize",
        }
    }

    /// How many calls' worth of fuel this call gets: one, except `normalize`,
    /// which makes five calls of the formatter it is linked with
    /// (`contracts/json-pipeline/contract.md`) and so gets the fuel of the five calls that
    /// a host would make for the same work.
    pub fn fuel_calls(&self) -> u64 {
        match self {
            Call::Format { .. } | Call::Minify { .. } => 1,
            Call::Normalize { .. } => 5,
        }
    }

    /// The input document of the call.
    pub fn input(&self) -> &str {
        match self {
            Call::Format { input, .. } | Call::Minify { input } | Call::Normalize { input } => {
                input
            }
        }
    }

    /// The json-tools call an [`Invocation`] makes, if it is one: the
    /// inverse of [`Call::invocation`].
    pub fn of_invocation(invocation: &Invocation) -> Option<Call> {
        let interface = invocation.function.interface.as_deref()?;
        let input = match invocation.args.first()? {
            Value::String(input) => input.clone(),
            _ => return None,
        };
        match (
            interface,
            invocation.function.name.as_str(),
            &invocation.args[1..],
        ) {
            (FORMATTER_INTERFACE, "format", [Value::Option(options)]) => {
                let options = match options.as_deref() {
                    None => None,
                    Some(Value::Record(fields)) => match fields.as_slice() {
                        [
                            (indent_name, Value::U32(indent)),
                            (sort_name, Value::Bool(sort_keys)),
                        ] if indent_name == "indent" && sort_name == "sort-keys" => {
                            Some(FormatOptions {
                                indent: *indent,
                                sort_keys: *sort_keys,
                            })
                        }
                        _ => return None,
                    },
                    Some(_) => return None,
                };
                Some(Call::Format { input, options })
            }
            (FORMATTER_INTERFACE, "minify", []) => Some(Call::Minify { input }),
            (NORMALIZER_INTERFACE, "normalize", []) => Some(Call::Normalize { input }),
            _ => None,
        }
    }

    /// The same call as a typed [`Invocation`] of the exported function.
    pub fn invocation(&self) -> Invocation {
        let input = Value::String(self.input().to_owned());
        let (interface, args) = match self {
            Call::Format { options, .. } => {
                let options = Value::Option(options.map(|FormatOptions { indent, sort_keys }| {
                    Box::new(Value::Record(vec![
                        ("indent".to_owned(), Value::U32(indent)),
                        ("sort-keys".to_owned(), Value::Bool(sort_keys)),
                    ]))
                }));
                (FORMATTER_INTERFACE, vec![input, options])
            }
            Call::Minify { .. } => (FORMATTER_INTERFACE, vec![input]),
            Call::Normalize { .. } => (NORMALIZER_INTERFACE, vec![input]),
        };
        Invocation {
            function: FunctionKey::new(Some(interface), self.function()),
            args,
            fuel_calls: self.fuel_calls(),
        }
    }
}

/// What one call gave.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "value", rename_all = "kebab-case")]
pub enum Outcome {
    /// The guest returned `ok(value)`.
    Ok(String),
    /// The guest returned `err(message)`.
    Err(String),
    /// The guest trapped (or ran out of fuel, memory or time); the message is
    /// the host's.
    Trap(String),
}

impl Outcome {
    /// The outcome of a json-tools call from its typed answer: `ok(s)` and
    /// `err(s)` of a `result<string, string>`; anything else the function
    /// could not have returned, so it is a trap that says what came back.
    pub fn of_answer(answer: Answer) -> Outcome {
        let value = match answer {
            Answer::Trapped(message) => return Outcome::Trap(message),
            Answer::Returned(value) => value,
        };
        let not_a_result = |returned: String| {
            Outcome::Trap(format!(
                "the function returned {returned}, not a result<string, string>"
            ))
        };
        let Some(Value::Result(result)) = value else {
            return not_a_result(value.map_or_else(
                || "nothing".to_owned(),
                |value| witness_value::wave::to_string(&value),
            ));
        };
        match result {
            Ok(Some(payload)) => match *payload {
                Value::String(text) => Outcome::Ok(text),
                other => not_a_result(witness_value::wave::to_string(&Value::ok(Some(other)))),
            },
            Err(Some(payload)) => match *payload {
                Value::String(text) => Outcome::Err(text),
                other => not_a_result(witness_value::wave::to_string(&Value::err(Some(other)))),
            },
            Ok(None) => not_a_result("ok".to_owned()),
            Err(None) => not_a_result("err".to_owned()),
        }
    }
}

/// Resource limits a host applies to every call, where it can.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Fuel (roughly, wasm instructions) one call may use.
    pub fuel_per_call: u64,
    /// Linear memory (in bytes) one instance may grow to.
    pub memory_bytes: usize,
    /// Wall-clock time one batch of calls may take in an external host.
    pub batch_deadline: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            fuel_per_call: 2_000_000_000,
            memory_bytes: 256 << 20,
            batch_deadline: Duration::from_secs(60),
        }
    }
}

/// A guest component ready to run.
#[derive(Clone, Debug)]
pub struct GuestArtifact {
    /// The guest's name, the directory name under `guests/`.
    pub name: String,
    /// The component file.
    pub component: PathBuf,
    /// What the guest may call beyond its own code; nothing by default.
    pub capabilities: Capabilities,
    /// The functions the contract's world exports, as its WIT says: a host
    /// refuses to load a component that lacks one or types it otherwise.
    /// Empty means that the component is checked against nothing.
    pub exports: Vec<Function>,
}

impl GuestArtifact {
    /// A guest that is granted no capabilities.
    pub fn new(name: impl Into<String>, component: impl Into<PathBuf>) -> GuestArtifact {
        GuestArtifact {
            name: name.into(),
            component: component.into(),
            capabilities: Capabilities::default(),
            exports: Vec::new(),
        }
    }

    /// The same guest, checked against these exported functions at load.
    pub fn with_exports(mut self, exports: Vec<Function>) -> GuestArtifact {
        self.exports = exports;
        self
    }
}

/// A group of WASI interfaces that a guest's manifest may grant
/// (`[capabilities] grant = [...]` in `guest.toml`).
///
/// A granted capability still gives the guest nothing of the host's: no
/// preopened directories, an empty environment and no arguments, no network,
/// an empty stdin and discarded (or logged) stdout and stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Capability {
    /// `wasi:clocks/wall-clock`, `wasi:clocks/monotonic-clock`: the host's clocks.
    Clocks,
    /// `wasi:random/random`, `insecure`, `insecure-seed`.
    Random,
    /// `wasi:cli/environment`: always empty.
    Environment,
    /// `wasi:cli/exit`: ending the instance, which is a trap.
    Exit,
    /// `wasi:cli/stdin`, `stdout`, `stderr` and the `terminal-*` interfaces.
    Stdio,
    /// `wasi:filesystem/types`, `wasi:filesystem/preopens`: no preopens.
    Filesystem,
    /// `wasi:sockets/*`: every address is denied.
    Sockets,
}

/// Interfaces every guest may import: they carry no authority of their own
/// (their resources only come from other interfaces).
pub const ALWAYS_ALLOWED: [&str; 3] = ["wasi:io/error", "wasi:io/poll", "wasi:io/streams"];

impl Capability {
    /// Every capability, in the order of the docs.
    pub const ALL: [Capability; 7] = [
        Capability::Clocks,
        Capability::Random,
        Capability::Environment,
        Capability::Exit,
        Capability::Stdio,
        Capability::Filesystem,
        Capability::Sockets,
    ];

    /// The name used in `guest.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Capability::Clocks => "clocks",
            Capability::Random => "random",
            Capability::Environment => "environment",
            Capability::Exit => "exit",
            Capability::Stdio => "stdio",
            Capability::Filesystem => "filesystem",
            Capability::Sockets => "sockets",
        }
    }

    /// The WASI interfaces it grants, without versions.
    pub fn interfaces(self) -> &'static [&'static str] {
        match self {
            Capability::Clocks => &["wasi:clocks/wall-clock", "wasi:clocks/monotonic-clock"],
            Capability::Random => &[
                "wasi:random/random",
                "wasi:random/insecure",
                "wasi:random/insecure-seed",
            ],
            Capability::Environment => &["wasi:cli/environment"],
            Capability::Exit => &["wasi:cli/exit"],
            Capability::Stdio => &[
                "wasi:cli/stdin",
                "wasi:cli/stdout",
                "wasi:cli/stderr",
                "wasi:cli/terminal-input",
                "wasi:cli/terminal-output",
                "wasi:cli/terminal-stdin",
                "wasi:cli/terminal-stdout",
                "wasi:cli/terminal-stderr",
            ],
            Capability::Filesystem => &["wasi:filesystem/types", "wasi:filesystem/preopens"],
            Capability::Sockets => &[
                "wasi:sockets/network",
                "wasi:sockets/instance-network",
                "wasi:sockets/tcp",
                "wasi:sockets/tcp-create-socket",
                "wasi:sockets/udp",
                "wasi:sockets/udp-create-socket",
                "wasi:sockets/ip-name-lookup",
            ],
        }
    }

    /// The capability that grants an imported interface (with or without a
    /// `@version`), if any does.
    pub fn of_interface(interface: &str) -> Option<Capability> {
        let unversioned = unversioned(interface);
        Capability::ALL
            .into_iter()
            .find(|capability| capability.interfaces().contains(&unversioned))
    }
}

impl std::fmt::Display for Capability {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An interface name without its `@version`.
pub fn unversioned(interface: &str) -> &str {
    interface
        .split_once('@')
        .map_or(interface, |(name, _version)| name)
}

/// The capabilities granted to a guest, and where they are declared (named in
/// the message of a denied call).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Capabilities {
    /// The granted capabilities; empty by default.
    pub granted: std::collections::BTreeSet<Capability>,
    /// The guest's manifest, for example `guests/go/guest.toml`.
    pub manifest: Option<PathBuf>,
}

impl Capabilities {
    /// Whether the guest may call functions of `interface` (with or without a
    /// `@version`).
    pub fn allows(&self, interface: &str) -> bool {
        ALWAYS_ALLOWED.contains(&unversioned(interface))
            || Capability::of_interface(interface)
                .is_some_and(|capability| self.granted.contains(&capability))
    }

    /// Every interface the guest may import, without versions, sorted: what
    /// an external host is told to link (`--allow-imports`).
    pub fn allowed_interfaces(&self) -> Vec<&'static str> {
        let mut interfaces: Vec<&'static str> = ALWAYS_ALLOWED.to_vec();
        for capability in &self.granted {
            interfaces.extend(capability.interfaces());
        }
        interfaces.sort_unstable();
        interfaces
    }

    /// A host's message that says `capability denied: <interface>#<function>`
    /// (as the external hosts' stubs do), as [`Capabilities::denial`] says it,
    /// naming the capability and where to grant it; `None` for any other
    /// message.
    pub fn explain(&self, message: &str) -> Option<String> {
        const MARKER: &str = "capability denied: ";
        let rest = &message[message.find(MARKER)? + MARKER.len()..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ';' | ')' | '"' | '\''))
            .unwrap_or(rest.len());
        let (interface, function) = rest[..end].split_once('#')?;
        Some(self.denial(interface, function))
    }

    /// The message of a call to `function` of the denied `interface`: it
    /// names the function, the capability and where to grant it.
    pub fn denial(&self, interface: &str, function: &str) -> String {
        let manifest = self.manifest.as_ref().map_or_else(
            || "the guest's guest.toml".to_owned(),
            |path| path.display().to_string(),
        );
        match Capability::of_interface(interface) {
            Some(capability) => format!(
                "capability denied: {interface}#{function}; grant \"{capability}\" in {manifest} [capabilities]"
            ),
            None => format!(
                "capability denied: {interface}#{function}; no capability grants {}, so no host provides it",
                unversioned(interface)
            ),
        }
    }
}

/// Why a host column cannot run on this machine.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{reason} ({hint})")]
pub struct Unavailable {
    /// What is missing, for example `node not found`.
    pub reason: String,
    /// How to get it, for example `apt-get install nodejs`.
    pub hint: String,
}

/// A value outside its type, as a user of a host's value API would write it
/// (docs/host-protocol.md, "Probes").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProbeValue {
    /// An integer, in decimal (it may be out of any 64-bit range).
    Int(String),
    /// A number with a fraction.
    Float(f64),
    /// A string of these code points; a surrogate stands alone.
    CodePoints(Vec<u32>),
    /// A flags value with these names set, unknown names included.
    Flags(Vec<String>),
    /// An enum case of this name.
    Enum(String),
}

/// A call whose argument `arg` is replaced by an out-of-type value.
#[derive(Clone, Debug)]
pub struct Probe {
    /// The call, with a valid value for every argument.
    pub invocation: Invocation,
    /// The index of the argument the probe replaces.
    pub arg: usize,
    /// What replaces it.
    pub value: ProbeValue,
}

/// What a host did with a [`Probe`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProbeAnswer {
    /// The host's value API refused the call before the guest ran: what
    /// the component model requires.
    Rejected(String),
    /// The call ran: the guest got some value in place of the probe.
    Ran(Answer),
}

/// A failure of the host itself, as opposed to an [`Outcome`] of the guest.
#[derive(Debug, thiserror::Error)]
pub enum HostError {
    /// The component could not be loaded, compiled or instantiated.
    #[error("host `{host}` could not load guest `{guest}`: {message}")]
    Load {
        /// The host's name.
        host: String,
        /// The guest's name.
        guest: String,
        /// What went wrong.
        message: String,
    },
    /// An external host process died, hung past its deadline or broke the
    /// protocol; `stderr` is what it printed.
    #[error(
        "host `{host}` failed running guest `{guest}`: {message}\n--- host stderr ---\n{stderr}"
    )]
    Crashed {
        /// The host's name.
        host: String,
        /// The guest's name.
        guest: String,
        /// What went wrong.
        message: String,
        /// The tail of the host process's standard error.
        stderr: String,
    },
}

/// A host column.
pub trait Host: Send + Sync {
    /// The column's name, for example `wasmtime` or `node`.
    fn name(&self) -> &str;

    /// Checks that this host can run here.
    ///
    /// # Errors
    /// [`Unavailable`] names what is missing and how to install it.
    fn probe(&self) -> Result<(), Unavailable>;

    /// Loads a guest component and returns a session that answers calls.
    ///
    /// # Errors
    /// [`HostError::Load`] when the component cannot be loaded.
    fn open(&self, guest: &GuestArtifact) -> Result<Box<dyn Session>, HostError>;
}

/// One loaded guest in one host.
pub trait Session: Send {
    /// Answers a batch of calls, one outcome per call, in order.
    ///
    /// A trap is an [`Outcome::Trap`] for that call; the session replaces the
    /// trapped instance and goes on with the next call.
    ///
    /// # Errors
    /// A [`HostError`] when the host itself failed: the batch's outcomes are
    /// unknown, and the session must not be used again.
    fn call_batch(&mut self, calls: &[Call]) -> Result<Vec<Outcome>, HostError>;

    /// Answers a batch of typed calls, one answer per call, in order; a
    /// trap replaces the instance, as in [`Session::call_batch`].
    ///
    /// # Errors
    /// A [`HostError`] when the host itself failed, or cannot make typed
    /// calls at all (an external host that speaks only protocol 1).
    fn call_values(&mut self, invocations: &[Invocation]) -> Result<Vec<Answer>, HostError>;

    /// Sends a value outside its type through the host's own value API.
    ///
    /// # Errors
    /// A [`HostError`] when the host itself failed (an external host whose
    /// process died on the probe: the session must not be used again), or
    /// cannot send probes at all.
    fn probe(&mut self, probe: &Probe) -> Result<ProbeAnswer, HostError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_invocations_translate_both_ways() {
        let calls = [
            Call::Format {
                input: "[1]".into(),
                options: Some(FormatOptions {
                    indent: 17,
                    sort_keys: true,
                }),
            },
            Call::Format {
                input: String::new(),
                options: None,
            },
            Call::Minify { input: "{}".into() },
            Call::Normalize {
                input: "\u{1f600}".into(),
            },
        ];
        for call in calls {
            let invocation = call.invocation();
            assert_eq!(Call::of_invocation(&invocation), Some(call));
        }
        let mut other = Call::Minify { input: "x".into() }.invocation();
        other.function.name = "shrink".into();
        assert_eq!(Call::of_invocation(&other), None);
    }

    #[test]
    fn only_a_string_result_is_an_outcome() {
        let ok = Answer::Returned(Some(Value::ok(Some(Value::String("[]".into())))));
        assert_eq!(Outcome::of_answer(ok), Outcome::Ok("[]".into()));
        let err = Answer::Returned(Some(Value::err(Some(Value::String("at byte 0: x".into())))));
        assert_eq!(Outcome::of_answer(err), Outcome::Err("at byte 0: x".into()));
        assert_eq!(
            Outcome::of_answer(Answer::Returned(Some(Value::U8(1)))),
            Outcome::Trap("the function returned 1, not a result<string, string>".into())
        );
        assert_eq!(
            Outcome::of_answer(Answer::Returned(Some(Value::ok(None)))),
            Outcome::Trap("the function returned ok, not a result<string, string>".into())
        );
    }

    fn granted(capabilities: &[Capability]) -> Capabilities {
        Capabilities {
            granted: capabilities.iter().copied().collect(),
            manifest: Some(PathBuf::from("guests/x/guest.toml")),
        }
    }

    #[test]
    fn nothing_but_io_is_allowed_by_default() {
        let none = Capabilities::default();
        assert!(none.allows("wasi:io/streams@0.2.6"));
        assert!(!none.allows("wasi:clocks/wall-clock@0.2.6"));
        assert!(!none.allows("wasi:http/types@0.2.6"));
        assert_eq!(
            none.allowed_interfaces(),
            ["wasi:io/error", "wasi:io/poll", "wasi:io/streams"]
        );
        let clocks = granted(&[Capability::Clocks]);
        assert!(clocks.allows("wasi:clocks/wall-clock@0.2.12"));
        assert!(clocks.allows("wasi:clocks/monotonic-clock"));
        assert!(!clocks.allows("wasi:random/random@0.2.6"));
    }

    #[test]
    fn a_denial_names_the_function_the_capability_and_the_manifest() {
        let none = granted(&[]);
        assert_eq!(
            none.denial("wasi:clocks/wall-clock@0.2.6", "now"),
            "capability denied: wasi:clocks/wall-clock@0.2.6#now; grant \"clocks\" in guests/x/guest.toml [capabilities]"
        );
        assert_eq!(
            none.denial("wasi:http/types@0.2.6", "new-fields"),
            "capability denied: wasi:http/types@0.2.6#new-fields; no capability grants wasi:http/types, so no host provides it"
        );
    }

    #[test]
    fn a_hosts_denial_is_explained() {
        let none = granted(&[]);
        assert_eq!(
            none.explain("Error: capability denied: wasi:cli/environment#get-environment")
                .as_deref(),
            Some(
                "capability denied: wasi:cli/environment#get-environment; grant \"environment\" in guests/x/guest.toml [capabilities]"
            )
        );
        assert_eq!(none.explain("RuntimeError: unreachable"), None);
    }

    #[test]
    fn every_interface_belongs_to_one_capability() {
        for capability in Capability::ALL {
            for interface in capability.interfaces() {
                assert_eq!(
                    Capability::of_interface(interface),
                    Some(capability),
                    "{interface}"
                );
            }
        }
    }
}
