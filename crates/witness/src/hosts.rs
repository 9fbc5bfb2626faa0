//! The host columns witness knows, in matrix order.

use std::sync::Arc;

use witness_host_api::{Host, Limits};
use witness_host_external::ExternalHost;
use witness_host_wasmtime::{HostConfig, WasmtimeHost};

use crate::project::Project;

/// The names of every host column, in matrix order.
pub const NAMES: [&str; 4] = ["wasmtime", "node", "browser", "python"];

/// Creates the host named `name`.
///
/// # Errors
/// When the name is unknown or the host cannot be created.
pub fn create(project: &Project, name: &str, limits: Limits) -> anyhow::Result<Arc<dyn Host>> {
    if name == "wasmtime" {
        let mut config = HostConfig::new(project.cache_dir("wasmtime"));
        config.limits = limits;
        return Ok(Arc::new(WasmtimeHost::new(config)?));
    }
    let mut config = witness_host_external::Config::new(project.root());
    config.work_dir = project.out_dir();
    config.limits = limits;
    match ExternalHost::by_name(name, config) {
        Some(host) => Ok(Arc::new(host)),
        None => anyhow::bail!("unknown host `{name}` (known: {})", NAMES.join(", ")),
    }
}
