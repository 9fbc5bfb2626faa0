//! Where things are: the repository root and the stable output directories.

use std::path::{Path, PathBuf};

/// The repository's layout, found from the root.
#[derive(Clone, Debug)]
pub struct Project {
    root: PathBuf,
}

impl Project {
    /// The project at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Project {
        Project { root: root.into() }
    }

    /// The project this crate was compiled in (the workspace root).
    pub fn from_build_dir() -> Project {
        let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        Project::new(crate_dir.ancestors().nth(2).unwrap_or(crate_dir))
    }

    /// The repository root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `contracts/`, one directory per contract.
    pub fn contracts_dir(&self) -> PathBuf {
        self.root.join("contracts")
    }

    /// `guests/`, one directory per guest.
    pub fn guests_dir(&self) -> PathBuf {
        self.root.join("guests")
    }

    /// `pipelines/`, one directory per pipeline (world `pipeline`).
    pub fn pipelines_dir(&self) -> PathBuf {
        self.root.join("pipelines")
    }

    /// `target/witness/composed/<name>/`, one stable place per composed
    /// component (`pipeline-rust+go`).
    pub fn composed_out_dir(&self, name: &str) -> PathBuf {
        self.out_dir().join("composed").join(name)
    }

    /// `target/witness/`, everything witness writes.
    pub fn out_dir(&self) -> PathBuf {
        self.root.join("target").join("witness")
    }

    /// `target/witness/guests/<name>/`, one stable place per guest's artefacts.
    pub fn guest_out_dir(&self, guest: &str) -> PathBuf {
        self.out_dir().join("guests").join(guest)
    }

    /// `target/witness/cache/<what>/`, content-addressed caches.
    pub fn cache_dir(&self, what: &str) -> PathBuf {
        self.out_dir().join("cache").join(what)
    }
}
