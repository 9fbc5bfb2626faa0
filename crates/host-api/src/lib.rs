//! The one plug-in shape for host columns.
//!
//! A host (wasmtime embedded in Rust, Node through jco, Python through
//! wasmtime-py, ...) opens a [`Session`] per guest component and answers
//! batches of [`Call`]s with [`Outcome`]s.  The harness never knows how a host
//! runs a component, and a host never knows which language a guest was
//! written in.

use std::{path::PathBuf, time::Duration};

use serde::{Deserialize, Serialize};

/// `format-options` of `example:json-tools/formatter@1.0.0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FormatOptions {
    /// Spaces per nesting level; more than 16 is an `invalid options` error.
    pub indent: u32,
    /// Order object members by the decoded value of their keys.
    #[serde(rename = "sort-keys")]
    pub sort_keys: bool,
}

/// One call of an exported function of the contract.
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
}

impl Call {
    /// The input document of the call.
    pub fn input(&self) -> &str {
        match self {
            Call::Format { input, .. } | Call::Minify { input } => input,
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
    #[error("host `{host}` failed running guest `{guest}`: {message}\n--- host stderr ---\n{stderr}")]
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
}
