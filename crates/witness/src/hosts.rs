//! The host columns witness knows, in matrix order.

use std::sync::Arc;

use witness_host_api::{Host, Limits};
pub use witness_host_external::{self as external, ExternalHost, ExternalSession};
use witness_host_wasmtime::HostConfig;
pub use witness_host_wasmtime::{self as wasmtime, WasmtimeHost};

use crate::project::Project;

/// The names of every host column, in matrix order.
pub const NAMES: [&str; 4] = ["wasmtime", "node", "browser", "python"];

/// Creates the host named `name`.
///
/// # Errors
/// When the name is unknown or the host cannot be created.
pub fn create(project: &Project, name: &str, limits: Limits) -> anyhow::Result<Arc<dyn Host>> {
    if name == "wasmtime" {
        return Ok(Arc::new(create_wasmtime(project, limits)?));
    }
    match create_external(project, name, limits) {
        Some(host) => Ok(Arc::new(host)),
        None => anyhow::bail!("unknown host `{name}` (known: {})", NAMES.join(", ")),
    }
}

/// Creates the `wasmtime` host, for callers that need more than [`Host`]
/// (its live instances, for example).
///
/// # Errors
/// When wasmtime rejects the configuration.
pub fn create_wasmtime(project: &Project, limits: Limits) -> anyhow::Result<WasmtimeHost> {
    let mut config = HostConfig::new(project.cache_dir("wasmtime"));
    config.limits = limits;
    WasmtimeHost::new(config)
}

/// Creates the external host named `name` (`node`, `browser` or `python`),
/// for callers that need more than [`Host`] (its ready line, its process id).
pub fn create_external(project: &Project, name: &str, limits: Limits) -> Option<ExternalHost> {
    // The host programs and their setup (npm packages, the venv) belong to
    // the witness checkout, shared by every project it serves.
    let mut config = external::Config::new(project.tool_root());
    config.work_dir = Project::new(project.tool_root()).out_dir();
    config.limits = limits;
    ExternalHost::by_name(name, config)
}
