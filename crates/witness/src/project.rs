//! Where things are: the repository root and the stable output directories.

use std::path::{Path, PathBuf};

/// The layout of a project (its contracts, guests and outputs), and of the
/// witness checkout whose tools serve it (the host programs, the templates).
/// For witness's own repository the two are one directory.
#[derive(Clone, Debug)]
pub struct Project {
    root: PathBuf,
    tool_root: PathBuf,
}

impl Project {
    /// The project at `root`, served by the witness checkout at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Project {
        let root = root.into();
        Project {
            tool_root: root.clone(),
            root,
        }
    }

    /// The project this crate was compiled in (the workspace root).
    pub fn from_build_dir() -> Project {
        Project::new(build_dir_root())
    }

    /// A user's project at `root` (its `contracts/`, `guests/`, and
    /// `target/witness/` for its outputs), served by the witness checkout
    /// this crate was compiled in.
    pub fn user(root: impl Into<PathBuf>) -> Project {
        Project {
            root: root.into(),
            tool_root: build_dir_root(),
        }
    }

    /// The project's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The witness checkout: `hosts/` (the external hosts' programs, their
    /// lock files and setup state) and `templates/`.
    pub fn tool_root(&self) -> &Path {
        &self.tool_root
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

/// The workspace root this crate was compiled in.
fn build_dir_root() -> PathBuf {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir
        .ancestors()
        .nth(2)
        .unwrap_or(crate_dir)
        .to_path_buf()
}
