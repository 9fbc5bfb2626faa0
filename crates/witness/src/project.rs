//! Where things are: the project's root, its `witness.toml`, and the stable
//! output directories.

use std::{
    fs,
    path::{Path, PathBuf},
    sync::{Arc, OnceLock},
};

use serde::Deserialize;

/// The file that makes a directory a witness project.
pub const CONFIG_FILE: &str = "witness.toml";

/// `witness.toml`, as written (`docs/project.md`).  Every key is optional;
/// an absent one means this repository's layout.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectToml {
    /// The project's contracts, by name, each `contracts/<name>/` with a
    /// `contract.toml`; every directory under `contracts/` that has one when
    /// absent.
    pub contracts: Option<Vec<String>>,
    /// The guests' directories, each with a `guest.toml`: paths relative to
    /// the project's root, where `*`, `?` and `[…]` match within one path
    /// component.  `["guests/*", "contracts/*/guests/*"]` when absent.
    pub guests: Option<Vec<String>>,
    /// The pipelines' directories (guests of a contract that composes
    /// another), as `guests`.  `["pipelines/*"]` when absent.
    pub pipelines: Option<Vec<String>>,
}

/// Where the tool's own files are for this process, when not in the
/// checkout this crate was compiled in ([`set_tool_root`]).
static TOOL_ROOT: OnceLock<PathBuf> = OnceLock::new();

/// Makes `dir` the home of witness's own files (`hosts/`, `templates/`) for
/// every project this process opens: an installed `witness` unpacks them
/// from its binary.  The first call wins.
pub fn set_tool_root(dir: PathBuf) {
    let _ = TOOL_ROOT.set(dir);
}

/// The home of witness's own files: what [`set_tool_root`] set, else the
/// checkout this crate was compiled in.
fn tool_root_dir() -> PathBuf {
    TOOL_ROOT.get().cloned().unwrap_or_else(build_dir_root)
}

/// The guests' directories when `witness.toml` does not say.
const DEFAULT_GUESTS: [&str; 2] = ["guests/*", "contracts/*/guests/*"];
/// The pipelines' directories when `witness.toml` does not say.
const DEFAULT_PIPELINES: [&str; 1] = ["pipelines/*"];

/// A project that cannot be opened: no `witness.toml`, or one that does not
/// parse or names what is not there.  The message names the file.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ProjectError(String);

/// The layout of a project (its contracts, guests and outputs), and of the
/// witness checkout whose tools serve it (the host programs, the templates).
/// For witness's own repository the two are one directory.
#[derive(Clone, Debug)]
pub struct Project {
    root: PathBuf,
    tool_root: PathBuf,
    config: Arc<ProjectToml>,
}

impl Project {
    /// The project at `root` with this repository's layout, served by the
    /// witness checkout at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Project {
        let root = root.into();
        Project {
            tool_root: root.clone(),
            root,
            config: Arc::default(),
        }
    }

    /// The project this crate was compiled in (the workspace root), with its
    /// `witness.toml` (a tidy test checks that it opens).
    pub fn from_build_dir() -> Project {
        let root = build_dir_root();
        Project::open(&root).unwrap_or_else(|_| Project {
            tool_root: tool_root_dir(),
            root,
            config: Arc::default(),
        })
    }

    /// A user's project at `root` (its `contracts/`, `guests/`, and
    /// `target/witness/` for its outputs), with this repository's layout,
    /// served by the witness checkout this crate was compiled in.
    pub fn user(root: impl Into<PathBuf>) -> Project {
        Project {
            root: root.into(),
            tool_root: tool_root_dir(),
            config: Arc::default(),
        }
    }

    /// The project at `root` as its `witness.toml` describes it, served by
    /// the witness checkout this crate was compiled in.  Without a
    /// `witness.toml`, a directory with `contracts/` is a project with this
    /// repository's layout.
    ///
    /// # Errors
    /// When `root` has neither, or its `witness.toml` does not parse, names
    /// a contract that is not in `contracts/`, or has a `guests` or
    /// `pipelines` entry that matches no directory with a `guest.toml`.
    pub fn open(root: &Path) -> Result<Project, ProjectError> {
        let root = root
            .canonicalize()
            .map_err(|err| ProjectError(format!("{}: {err}", root.display())))?;
        let path = root.join(CONFIG_FILE);
        let config = match fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<ProjectToml>(&text)
                .map_err(|err| ProjectError(format!("{}: {err}", path.display())))?,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                if !root.join("contracts").is_dir() {
                    return Err(ProjectError(format!(
                        "{}: no {CONFIG_FILE} and no contracts/ directory; run `witness init` there to make one from your WIT (docs/project.md)",
                        root.display()
                    )));
                }
                ProjectToml::default()
            }
            Err(err) => return Err(ProjectError(format!("{}: {err}", path.display()))),
        };
        let project = Project {
            tool_root: tool_root_dir(),
            root,
            config: Arc::new(config),
        };
        project.check(&path)?;
        Ok(project)
    }

    /// The project that `start` is in: the nearest ancestor of `start` (or
    /// `start` itself) that has a `witness.toml`.
    ///
    /// # Errors
    /// When there is none, or it does not open ([`Project::open`]).
    pub fn find(start: &Path) -> Result<Project, ProjectError> {
        match start
            .ancestors()
            .find(|dir| dir.join(CONFIG_FILE).is_file())
        {
            Some(root) => Project::open(root),
            None => Err(ProjectError(format!(
                "no {CONFIG_FILE} in {} or any directory above it; run `witness init` in your repository (it reads your wit/), or pass --project DIR (docs/project.md)",
                start.display()
            ))),
        }
    }

    /// Checks what `witness.toml` (at `path`) names against the disk.
    fn check(&self, path: &Path) -> Result<(), ProjectError> {
        for name in self.config.contracts.iter().flatten() {
            let dir = self.contracts_dir().join(name);
            if !dir.join("contract.toml").is_file() {
                return Err(ProjectError(format!(
                    "{}: `contracts` names `{name}`, but {} has no contract.toml (a contract is contracts/<name>/ with a contract.toml and its WIT; `witness init` makes one)",
                    path.display(),
                    dir.display()
                )));
            }
        }
        for (key, patterns) in [
            ("guests", &self.config.guests),
            ("pipelines", &self.config.pipelines),
        ] {
            for pattern in patterns.iter().flatten() {
                if expand(&self.root, pattern).is_empty() {
                    return Err(ProjectError(format!(
                        "{}: the `{key}` entry `{pattern}` matches no directory with a guest.toml under {}",
                        path.display(),
                        self.root.display()
                    )));
                }
            }
        }
        Ok(())
    }

    /// Every guest's directory, as `witness.toml`'s `guests` says, sorted.
    pub fn guest_dirs(&self) -> Vec<PathBuf> {
        self.dirs(self.config.guests.as_deref(), &DEFAULT_GUESTS)
    }

    /// Every pipeline's directory, as `witness.toml`'s `pipelines` says,
    /// sorted.
    pub fn pipeline_dirs(&self) -> Vec<PathBuf> {
        self.dirs(self.config.pipelines.as_deref(), &DEFAULT_PIPELINES)
    }

    fn dirs(&self, written: Option<&[String]>, default: &[&str]) -> Vec<PathBuf> {
        let patterns: Vec<&str> = match written {
            Some(written) => written.iter().map(String::as_str).collect(),
            None => default.to_vec(),
        };
        let mut dirs: Vec<PathBuf> = patterns
            .into_iter()
            .flat_map(|pattern| expand(&self.root, pattern))
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// The contracts `witness.toml` names, if it names them.
    pub fn contract_names(&self) -> Option<&[String]> {
        self.config.contracts.as_deref()
    }

    /// The project's root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The home of witness's own files: `hosts/` (the external hosts'
    /// programs, their lock files and setup state) and `templates/`; the
    /// checkout, or what an installed `witness` unpacked ([`set_tool_root`]).
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

/// The directories under `root` that `pattern` matches and that hold a
/// `guest.toml`.  `*`, `?` and `[…]` match within one path component
/// (globset), and a component that matches nothing ends that branch.
fn expand(root: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut found = vec![root.to_path_buf()];
    for component in pattern.split('/').filter(|c| !c.is_empty() && *c != ".") {
        let glob = component.contains(['*', '?', '[']);
        let matcher = glob
            .then(|| globset::Glob::new(component).ok())
            .flatten()
            .map(|glob| glob.compile_matcher());
        found = found
            .into_iter()
            .flat_map(|dir| -> Vec<PathBuf> {
                match &matcher {
                    None => vec![dir.join(component)],
                    Some(matcher) => fs::read_dir(&dir)
                        .into_iter()
                        .flatten()
                        .filter_map(Result::ok)
                        .filter(|entry| matcher.is_match(entry.file_name()))
                        .map(|entry| entry.path())
                        .collect(),
                }
            })
            .collect();
    }
    found.retain(|dir| dir.join("guest.toml").is_file());
    found
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_repository_opens_by_its_witness_toml() {
        let project = Project::open(&build_dir_root()).expect("witness.toml opens");
        assert_eq!(
            project.contract_names(),
            Some(
                &[
                    "all-types".to_owned(),
                    "json-pipeline".to_owned(),
                    "json-tools".to_owned()
                ][..]
            )
        );
        let dirs = project.guest_dirs();
        for guest in [
            "guests/rust",
            "guests/tinygo",
            "contracts/all-types/guests/all-types-c",
        ] {
            assert!(
                dirs.contains(&project.root().join(guest)),
                "{guest} in {dirs:?}"
            );
        }
        assert_eq!(
            project.pipeline_dirs(),
            [
                project.root().join("pipelines/c"),
                project.root().join("pipelines/rust")
            ]
        );
    }

    #[test]
    fn a_bad_witness_toml_is_refused_naming_the_file() {
        let temp = tempfile::tempdir().expect("tempdir");
        let root = temp.path();
        let open = |text: &str| {
            fs::write(root.join(CONFIG_FILE), text).expect("write");
            Project::open(root)
                .map(|_| ())
                .map_err(|err| err.to_string())
        };
        let err = open("contracts = [\"nope\"]\n").expect_err("a missing contract");
        assert!(
            err.contains("witness.toml: `contracts` names `nope`"),
            "{err}"
        );
        let err = open("guests = [\"g/*\"]\n").expect_err("a glob that matches nothing");
        assert!(
            err.contains("the `guests` entry `g/*` matches no directory"),
            "{err}"
        );
        let err = open("gests = []\n").expect_err("an unknown key");
        assert!(
            err.contains("witness.toml") && err.contains("unknown field `gests`"),
            "{err}"
        );
        fs::create_dir_all(root.join("g/one")).expect("mkdir");
        fs::write(root.join("g/one/guest.toml"), "").expect("write");
        let project = {
            fs::write(root.join(CONFIG_FILE), "guests = [\"g/*\"]\n").expect("write");
            Project::open(root).expect("opens")
        };
        assert_eq!(project.guest_dirs(), [project.root().join("g/one")]);
        fs::remove_file(root.join(CONFIG_FILE)).expect("rm");
        let err = Project::find(&root.join("g/one"))
            .map(|_| ())
            .expect_err("no witness.toml above");
        assert!(err.to_string().contains("run `witness init`"), "{err}");
    }
}
