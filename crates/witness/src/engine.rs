//! The one engine both front ends drive: every guest is built, every
//! composed row linked and every host created and probed at most once per
//! process, on first use, whoever asks first.
//!
//! The xtask asks for everything up front (`matrix::build_rows`); the `it`
//! binary asks lazily, from whichever trial runs first, and listing its
//! trials asks for nothing.  Both get the same answers from the same code.

use std::{
    collections::BTreeMap,
    sync::{Arc, Mutex, OnceLock},
};

use witness_host_api::{Host, Limits};

use crate::{
    build::{self, BuildOutcome, Built},
    compose,
    guest::Guest,
    hosts,
    project::Project,
};

/// Why a row has no component.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotBuilt {
    /// A toolchain is missing here: what, with its install hint.
    Skipped(String),
    /// The build, or the link of a composed row, failed: why.
    Failed(String),
}

impl std::fmt::Display for NotBuilt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotBuilt::Skipped(reason) => write!(f, "skipped: {reason}"),
            NotBuilt::Failed(message) => f.write_str(message),
        }
    }
}

type Slot<T> = Arc<OnceLock<T>>;

/// Slots by key, each filled once.
type Slots<T> = Mutex<BTreeMap<String, Slot<T>>>;

/// Builds, links and hosts, each made once.
pub struct Engine {
    project: Project,
    limits: Limits,
    builds: Slots<Result<Built, NotBuilt>>,
    hosts: Slots<Result<Arc<dyn Host>, String>>,
}

impl Engine {
    /// An engine for `project`, whose hosts apply `limits`.
    pub fn new(project: Project, limits: Limits) -> Engine {
        Engine {
            project,
            limits,
            builds: Mutex::default(),
            hosts: Mutex::default(),
        }
    }

    /// The project.
    pub fn project(&self) -> &Project {
        &self.project
    }

    fn slot<T>(map: &Slots<T>, key: String) -> Slot<T> {
        Arc::clone(
            map.lock()
                .unwrap_or_else(|err| err.into_inner())
                .entry(key)
                .or_default(),
        )
    }

    /// A guest or a pipeline, built (or found fresh by its stamp) once; the
    /// key is its directory, since a pipeline and a guest may share a name.
    ///
    /// # Errors
    /// [`NotBuilt`]: a missing toolchain, or a failed build.
    pub fn built(&self, guest: &Guest) -> Result<Built, NotBuilt> {
        let slot = Engine::slot(&self.builds, guest.dir.display().to_string());
        slot.get_or_init(|| match build::build(&self.project, guest) {
            BuildOutcome::Built(built) => Ok(built),
            BuildOutcome::Skipped(missing) => Err(NotBuilt::Skipped(missing.to_string())),
            BuildOutcome::Failed(message) => Err(NotBuilt::Failed(message)),
        })
        .clone()
    }

    /// `pipeline` linked with the formatter guest `formatter`, as the row
    /// [`compose::composed_name`] names, once.
    ///
    /// # Errors
    /// [`NotBuilt`]: a part that is not built (named), or a failed link.
    pub fn composed(&self, pipeline: &Guest, formatter: &Guest) -> Result<Built, NotBuilt> {
        let name = compose::composed_name(&pipeline.name, &formatter.name);
        let part = |role: &str, guest: &Guest| {
            self.built(guest).map_err(|err| match err {
                NotBuilt::Skipped(reason) => {
                    NotBuilt::Skipped(format!("{role} `{}`: {reason}", guest.name))
                }
                NotBuilt::Failed(message) => {
                    NotBuilt::Failed(format!("{role} `{}`: {message}", guest.name))
                }
            })
        };
        let pipeline_built = part("pipeline", pipeline)?;
        let formatter_built = part("formatter", formatter)?;
        let slot = Engine::slot(&self.builds, name.clone());
        slot.get_or_init(|| {
            compose::compose(&self.project, &pipeline_built, &formatter_built, &name)
                .map_err(|err| NotBuilt::Failed(format!("composing `{name}`: {err:#}")))
        })
        .clone()
    }

    /// The host `name`, created and probed once.
    ///
    /// # Errors
    /// `skipped: host … unavailable: …` when its probe fails, or why it
    /// could not be created.
    pub fn host(&self, name: &str) -> Result<Arc<dyn Host>, String> {
        let slot = Engine::slot(&self.hosts, name.to_owned());
        slot.get_or_init(|| {
            let host = hosts::create(&self.project, name, self.limits)
                .map_err(|err| format!("{err:#}"))?;
            host.probe().map_err(|unavailable| {
                format!("skipped: host `{name}` unavailable: {unavailable}")
            })?;
            Ok(host)
        })
        .clone()
    }
}
