//! Guests: discovered from `guests/<name>/guest.toml`, probed for their
//! toolchains.
//!
//! The manifest is the data; the build steps are commands.  Nothing in the
//! harness knows which language a guest is written in.

use std::{
    collections::{BTreeMap, HashMap},
    fs,
    path::{Path, PathBuf},
    process::Command,
    sync::{Mutex, OnceLock},
};

use serde::Deserialize;
use witness_host_api::{Capabilities, Capability};

use crate::{contract::Contract, project::Project};

/// A mistake in a guest manifest, or a guest directory that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The manifest's path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid manifest.
    #[error("{path}: {message}")]
    Invalid {
        /// The manifest's path.
        path: PathBuf,
        /// What is wrong, with line and column where TOML gives them.
        message: String,
    },
}

impl ManifestError {
    /// The manifest's path.
    pub fn path(&self) -> &Path {
        match self {
            ManifestError::Read { path, .. } | ManifestError::Invalid { path, .. } => path,
        }
    }

    /// The name of the guest (or pipeline) whose manifest this is: its
    /// directory's name, which is what names its row when the manifest
    /// cannot be read.
    pub fn dir_name(&self) -> String {
        self.path()
            .parent()
            .and_then(|dir| dir.file_name())
            .map_or_else(
                || "?".to_owned(),
                |name| name.to_string_lossy().into_owned(),
            )
    }
}

/// `guest.toml`, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Manifest {
    /// The language, for people.
    pub language: String,
    /// The contract the component implements, by name: `contracts/<name>/`
    /// in the nearest directory above the guest that has it.
    pub contract: String,
    /// Every tool the build needs.
    #[serde(default)]
    pub toolchain: Vec<ToolProbe>,
    /// How to build the component.
    pub build: BuildRecipe,
    /// The guest's own unit tests, in its own language.
    pub unit_tests: Option<UnitTests>,
    /// What `witness new-guest` runs once, before the first build, to write
    /// the files that the user then fills in (the stubs of a template for
    /// any contract); never run again.
    pub scaffold: Option<Scaffold>,
    /// What the guest may call beyond its own code; nothing by default.
    #[serde(default)]
    pub capabilities: CapabilityGrants,
}

/// The `[capabilities]` table: `grant = ["clocks", "random"]`.  Everything
/// not granted is denied: a call to it traps with a message naming it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CapabilityGrants {
    /// The granted capabilities (see [`Capability`]).
    #[serde(default)]
    pub grant: Vec<Capability>,
}

/// The `[unit-tests]` table: commands that run the guest's own tests (for
/// example `go test ./...`); each must exit 0.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UnitTests {
    /// Commands, each an argv, run in order from the guest directory.
    pub steps: Vec<Vec<String>>,
    /// Extra environment for every step.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// The `[scaffold]` table: commands `witness new-guest` runs once in the
/// new guest's directory, with the build's variables and `WITNESS_EXPORTS`,
/// the path of a JSON file that lists the contract's exports
/// (docs/guest-manifest.md).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Scaffold {
    /// Commands, each an argv, run in order from the guest directory.
    pub steps: Vec<Vec<String>>,
    /// Extra environment for every step.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
}

/// A tool a guest's build needs, and how to check it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ToolProbe {
    /// The command to run; it must exit 0.
    pub probe: Vec<String>,
    /// The least version: the first dotted number in the probe's output must
    /// be at least this.
    pub minimum: Option<String>,
    /// Text the probe's output must contain.
    pub expect: Option<String>,
    /// How to install the tool.
    pub hint: String,
}

/// The `[build]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildRecipe {
    /// Globs, relative to the guest directory, of the files that feed the
    /// build cache's hash.
    pub inputs: Vec<String>,
    /// Extra environment for every step.
    #[serde(default)]
    pub env: BTreeMap<String, String>,
    /// Commands, each an argv, run in order from the guest directory.
    pub steps: Vec<Vec<String>>,
    /// The component the steps produce.
    pub component: Option<String>,
    /// Or: the core module the steps produce, to be made a component.
    pub componentize: Option<Componentize>,
}

/// The `[build.componentize]` table: a core module to wrap as a component.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Componentize {
    /// The core module.
    pub module: String,
    /// Which WASI preview1 adapter: `reactor` or `command`.
    pub adapter: Adapter,
}

/// The WASI preview1 adapters that `wasi-preview1-component-adapter-provider`
/// ships.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Adapter {
    /// For libraries: no `_start`.
    Reactor,
    /// For programs with a `_start`.
    Command,
}

/// A discovered guest.
#[derive(Clone, Debug)]
pub struct Guest {
    /// The directory's name.
    pub name: String,
    /// `guests/<name>/`.
    pub dir: PathBuf,
    /// `guests/<name>/guest.toml`.
    pub manifest_path: PathBuf,
    /// The manifest's text, which feeds the build hash.
    pub manifest_text: String,
    /// The parsed manifest.
    pub manifest: Manifest,
    /// The contract it names.
    pub contract: Contract,
    /// Where its build outputs go; `None` is [`Guest::out_dir`]'s default.
    pub out_dir: Option<PathBuf>,
}

/// Why a guest cannot be built here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingTool {
    /// For example `go not found` or `go 1.22.1 is older than 1.25`.
    pub reason: String,
    /// The manifest's install hint.
    pub hint: String,
}

impl std::fmt::Display for MissingTool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.reason, self.hint)
    }
}

/// Finds every guest: each directory with a `guest.toml` that the project's
/// `witness.toml` lists (by default, under `guests/` and under a contract's
/// own `contracts/<name>/guests/`), sorted by name.
///
/// A directory whose manifest is broken, or whose name another guest has
/// already, is returned as an error beside the good ones, so that one bad
/// guest does not hide the others.
///
/// # Errors
/// Never today; the `Result` is kept for the callers, which report a
/// project that cannot be read.
pub fn discover(project: &Project) -> std::io::Result<Vec<Result<Guest, ManifestError>>> {
    let mut dirs: Vec<PathBuf> = project.guest_dirs();
    let name = |dir: &PathBuf| dir.file_name().map(std::ffi::OsStr::to_os_string);
    dirs.sort_by(|a, b| name(a).cmp(&name(b)).then_with(|| a.cmp(b)));
    let mut seen: HashMap<std::ffi::OsString, PathBuf> = HashMap::new();
    Ok(dirs
        .into_iter()
        .map(|dir| {
            if let Some(first) = name(&dir).and_then(|name| seen.get(&name)) {
                return Err(ManifestError::Invalid {
                    path: dir.join("guest.toml"),
                    message: format!(
                        "the guest name is taken by {}; a row's name is its directory's, so rename one",
                        first.display()
                    ),
                });
            }
            if let Some(key) = name(&dir) {
                seen.insert(key, dir.clone());
            }
            load(&dir)
        })
        .collect())
}

/// Finds every pipeline: each directory that the project's `witness.toml`
/// lists as a pipeline (by default, under `pipelines/`) with a `guest.toml`
/// whose contract composes another (`json-pipeline` composes `json-tools`),
/// sorted by name, built into `target/witness/pipelines/<name>/`.  A
/// pipeline is not a row of its own: [`crate::compose`] links it with every
/// formatter guest.
///
/// # Errors
/// Never today, as [`discover`].
pub fn discover_pipelines(project: &Project) -> std::io::Result<Vec<Result<Guest, ManifestError>>> {
    let out_root = project.out_dir().join("pipelines");
    let found = load_in(project.pipeline_dirs(), &out_root);
    Ok(found
        .into_iter()
        .map(|pipeline| {
            let pipeline = pipeline?;
            if pipeline.contract.composes().is_none() {
                return Err(ManifestError::Invalid {
                    path: pipeline.manifest_path.clone(),
                    message: format!(
                        "a manifest under pipelines/ needs a contract that composes another; `{}` does not (`composes` in its contract.toml)",
                        pipeline.contract
                    ),
                });
            }
            Ok(pipeline)
        })
        .collect())
}

/// Finds the guest-like directories under any `dir` (for example the hostile
/// fixtures in `tests/fixtures/hostile/`): each subdirectory with a
/// `guest.toml`, sorted by name, built into `out_root/<name>/` so that they
/// never share an output directory with a guest.
///
/// # Errors
/// When `dir` itself cannot be read.
pub fn discover_in(
    dir: &Path,
    out_root: &Path,
) -> std::io::Result<Vec<Result<Guest, ManifestError>>> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.join("guest.toml").is_file())
        .collect();
    dirs.sort();
    Ok(load_in(dirs, out_root))
}

/// Loads the guest-like directories `dirs`, each built into
/// `out_root/<name>/`.
fn load_in(dirs: Vec<PathBuf>, out_root: &Path) -> Vec<Result<Guest, ManifestError>> {
    dirs.into_iter()
        .map(|dir| {
            let mut guest = load(&dir)?;
            guest.out_dir = Some(out_root.join(&guest.name));
            Ok(guest)
        })
        .collect()
}

/// Reads the guest in `dir`.
///
/// # Errors
/// [`ManifestError`] naming the manifest file.
pub fn load(dir: &Path) -> Result<Guest, ManifestError> {
    let manifest_path = dir.join("guest.toml");
    let manifest_text =
        fs::read_to_string(&manifest_path).map_err(|source| ManifestError::Read {
            path: manifest_path.clone(),
            source,
        })?;
    let invalid = |message: String| ManifestError::Invalid {
        path: manifest_path.clone(),
        message,
    };
    let manifest: Manifest =
        toml::from_str(&manifest_text).map_err(|err| invalid(err.to_string()))?;
    if manifest.build.component.is_some() == manifest.build.componentize.is_some() {
        return Err(invalid(
            "[build] needs exactly one of `component` and `[build.componentize]`".to_owned(),
        ));
    }
    if let Some(step) = manifest.build.steps.iter().position(Vec::is_empty) {
        return Err(invalid(format!(
            "[build] step {} is an empty command",
            step + 1
        )));
    }
    if let Some(step) = manifest
        .unit_tests
        .iter()
        .flat_map(|tests| &tests.steps)
        .position(Vec::is_empty)
    {
        return Err(invalid(format!(
            "[unit-tests] step {} is an empty command",
            step + 1
        )));
    }
    if let Some(step) = manifest
        .scaffold
        .iter()
        .flat_map(|scaffold| &scaffold.steps)
        .position(Vec::is_empty)
    {
        return Err(invalid(format!(
            "[scaffold] step {} is an empty command",
            step + 1
        )));
    }
    if let Some(index) = manifest
        .toolchain
        .iter()
        .position(|tool| tool.probe.is_empty())
    {
        return Err(invalid(format!(
            "[[toolchain]] entry {} has an empty probe",
            index + 1
        )));
    }
    let name = dir
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| invalid("the guest directory's name is not UTF-8".to_owned()))?
        .to_owned();
    let contract =
        crate::contract::find(dir, &manifest.contract).map_err(|err| invalid(err.to_string()))?;
    Ok(Guest {
        name,
        dir: dir.to_path_buf(),
        manifest_path,
        manifest_text,
        manifest,
        contract,
        out_dir: None,
    })
}

impl Guest {
    /// Runs every toolchain probe; returns their outputs (which feed the build
    /// hash) or the first tool that is missing.
    ///
    /// # Errors
    /// [`MissingTool`] with the manifest's install hint.
    pub fn probe_toolchain(&self) -> Result<Vec<String>, MissingTool> {
        self.manifest.toolchain.iter().map(probe_tool).collect()
    }

    /// Where this guest's build outputs go: `target/witness/guests/<name>/`
    /// unless its discovery put them elsewhere (a pipeline's go to
    /// `target/witness/pipelines/<name>/`, since it may share its name with a
    /// guest).
    pub fn out_dir(&self, project: &Project) -> PathBuf {
        self.out_dir
            .clone()
            .unwrap_or_else(|| project.guest_out_dir(&self.name))
    }

    /// The capabilities its manifest grants; denial messages name the
    /// manifest relative to the project root.
    pub fn capabilities(&self, project: &Project) -> Capabilities {
        let manifest = self
            .manifest_path
            .strip_prefix(project.root())
            .unwrap_or(&self.manifest_path);
        Capabilities {
            granted: self.manifest.capabilities.grant.iter().copied().collect(),
            manifest: Some(manifest.to_path_buf()),
        }
    }

    /// Replaces `${WITNESS_*}` variables in a manifest string.
    pub fn expand(&self, project: &Project, text: &str) -> String {
        self.variables(project)
            .iter()
            .fold(text.to_owned(), |text, (name, value)| {
                text.replace(&format!("${{{name}}}"), value)
            })
    }

    /// The `WITNESS_*` variables of this guest's build.
    pub fn variables(&self, project: &Project) -> Vec<(&'static str, String)> {
        vec![
            ("WITNESS_ROOT", project.root().display().to_string()),
            ("WITNESS_OUT", self.out_dir(project).display().to_string()),
            ("WITNESS_WIT", self.contract.wit_dir().display().to_string()),
            ("WITNESS_WORLD", self.contract.world().to_owned()),
            ("WITNESS_TOOLS", tools_dir(project).display().to_string()),
        ]
    }
}

fn probe_tool(tool: &ToolProbe) -> Result<String, MissingTool> {
    let program = &tool.probe[0];
    let missing = |reason: String| MissingTool {
        reason,
        hint: tool.hint.clone(),
    };
    let (success, text) =
        run_probe(&tool.probe).ok_or_else(|| missing(format!("{program} not found")))?;
    if !success {
        let first_line = text.lines().next().unwrap_or("").trim();
        return Err(missing(format!(
            "`{}` failed: {first_line}",
            tool.probe.join(" ")
        )));
    }
    if let Some(expect) = &tool.expect
        && !text.contains(expect.as_str())
    {
        return Err(missing(format!(
            "`{}` does not list {expect}",
            tool.probe.join(" ")
        )));
    }
    if let Some(minimum) = &tool.minimum {
        let found = first_version(&text)
            .ok_or_else(|| missing(format!("`{}` printed no version", tool.probe.join(" "))))?;
        if compare_versions(&found, minimum).is_lt() {
            return Err(missing(format!(
                "{program} {found} is older than {minimum}"
            )));
        }
    }
    Ok(text)
}

/// Runs a probe command once per process and remembers whether it exited 0
/// and what it printed (stdout, then stderr); `None` when it cannot start.
/// Many manifests probe the same tool (`cargo --version` for every Rust
/// guest, pipeline and fixture), and a probe through a version manager's
/// shim (rustup, pyenv) costs a tenth of a second or more.
fn run_probe(command: &[String]) -> Option<(bool, String)> {
    type Probes = Mutex<HashMap<Vec<String>, Option<(bool, String)>>>;
    static PROBES: OnceLock<Probes> = OnceLock::new();
    let probes = PROBES.get_or_init(Probes::default);
    if let Some(known) = probes.lock().expect("probes lock").get(command) {
        return known.clone();
    }
    let result = Command::new(&command[0])
        .args(&command[1..])
        .output()
        .ok()
        .map(|output| {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            (output.status.success(), text)
        });
    probes
        .lock()
        .expect("probes lock")
        .insert(command.to_vec(), result.clone());
    result
}

/// The first dotted number (`1.25.3`, `1.26`) in `text`.
fn first_version(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|start| {
        if !bytes[start].is_ascii_digit() || (start > 0 && bytes[start - 1].is_ascii_digit()) {
            return None;
        }
        let len = bytes[start..]
            .iter()
            .take_while(|byte| byte.is_ascii_digit() || **byte == b'.')
            .count();
        let candidate = text[start..start + len].trim_end_matches('.');
        candidate.contains('.').then(|| candidate.to_owned())
    })
}

fn compare_versions(found: &str, minimum: &str) -> std::cmp::Ordering {
    let parse = |version: &str| -> Vec<u64> {
        version
            .split('.')
            .map(|part| part.parse().unwrap_or(0))
            .collect()
    };
    let (found, minimum) = (parse(found), parse(minimum));
    let len = found.len().max(minimum.len());
    let pad = |mut parts: Vec<u64>| {
        parts.resize(len, 0);
        parts
    };
    pad(found).cmp(&pad(minimum))
}

/// Where builds install the generators they pin (`${WITNESS_TOOLS}` in a
/// manifest): `WITNESS_TOOLS_DIR` if set, so that several projects can share
/// one install, else the project's `target/tools`.
pub fn tools_dir(project: &Project) -> PathBuf {
    std::env::var_os("WITNESS_TOOLS_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(
            || project.root().join("target").join("tools"),
            PathBuf::from,
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch project with the contracts `t` and `p` (which composes
    /// `t`).
    fn scratch() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (name, composes) in [("t", ""), ("p", "composes = \"t\"\n")] {
            let contract = dir.path().join("contracts").join(name);
            fs::create_dir_all(contract.join("wit")).expect("mkdir");
            fs::write(
                contract.join("contract.toml"),
                format!(
                    "description = \"d\"\npackage = \"t:{name}@1.0.0\"\nworld = \"w\"\n{composes}"
                ),
            )
            .expect("write");
            fs::write(
                contract.join("wit").join("w.wit"),
                format!("package t:{name}@1.0.0;\nworld w {{ export f: func() -> u8; }}\n"),
            )
            .expect("write");
        }
        dir
    }

    const MANIFEST: &str = "language = \"X\"\ncontract = \"t\"\n[build]\ninputs = []\nsteps = []\ncomponent = \"a.wasm\"\n";

    #[test]
    fn versions_are_found_and_compared() {
        assert_eq!(
            first_version("go version go1.26.8 linux/amd64").as_deref(),
            Some("1.26.8")
        );
        assert_eq!(
            first_version("cargo 1.95.0 (f2d3ce0bd 2026-03-21)").as_deref(),
            Some("1.95.0")
        );
        assert_eq!(first_version("no version here 42"), None);
        assert!(compare_versions("1.26.8", "1.25").is_gt());
        assert!(compare_versions("1.9", "1.25").is_lt());
        assert!(compare_versions("1.25", "1.25.0").is_eq());
    }

    #[test]
    fn a_manifest_with_both_component_and_componentize_is_rejected() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(
            dir.path().join("guest.toml"),
            r#"language = "X"
contract = "t"
[build]
inputs = []
steps = [["true"]]
component = "a.wasm"
[build.componentize]
module = "a.wasm"
adapter = "reactor"
"#,
        )
        .expect("write manifest");
        let err = load(dir.path()).expect_err("must be rejected");
        let message = err.to_string();
        assert!(message.contains("guest.toml"), "{message}");
        assert!(message.contains("exactly one"), "{message}");
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(
            dir.path().join("guest.toml"),
            "language = \"X\"\nbuidl = 1\n",
        )
        .expect("write");
        let message = load(dir.path()).expect_err("must be rejected").to_string();
        assert!(
            message.contains("buidl") && message.contains("line 2"),
            "{message}"
        );
    }

    #[test]
    fn capabilities_are_denied_unless_granted() {
        let project = scratch();
        let dir = project.path().join("g");
        fs::create_dir(&dir).expect("mkdir");
        let manifest = MANIFEST;
        fs::write(dir.join("guest.toml"), manifest).expect("write");
        let guest = load(&dir).expect("a valid manifest");
        assert_eq!(guest.contract.name(), "t");
        assert!(guest.manifest.capabilities.grant.is_empty());

        let granted = format!("{manifest}[capabilities]\ngrant = [\"clocks\", \"random\"]\n");
        fs::write(dir.join("guest.toml"), granted).expect("write");
        let guest = load(&dir).expect("a valid manifest");
        assert_eq!(
            guest.manifest.capabilities.grant,
            [Capability::Clocks, Capability::Random]
        );

        let misspelt = format!("{manifest}[capabilities]\ngrant = [\"clock\"]\n");
        fs::write(dir.join("guest.toml"), misspelt).expect("write");
        let message = load(&dir).expect_err("an unknown capability").to_string();
        assert!(
            message.contains("guest.toml")
                && message.contains("clock")
                && message.contains("clocks"),
            "{message}"
        );
    }

    #[test]
    fn a_pipeline_never_shares_a_guests_output_directory() {
        let dir = scratch();
        let project = Project::new(dir.path());
        for (parent, contract) in [("guests", "t"), ("pipelines", "p")] {
            let rust = dir.path().join(parent).join("rust");
            fs::create_dir_all(&rust).expect("mkdir");
            fs::write(
                rust.join("guest.toml"),
                MANIFEST.replace("\"t\"", &format!("\"{contract}\"")),
            )
            .expect("write");
        }
        let pipelines = discover_pipelines(&project).expect("reads pipelines/");
        let pipeline = pipelines[0].as_ref().expect("a valid manifest");
        assert_eq!(pipeline.contract.composes(), Some("t"));
        assert_eq!(
            pipeline.out_dir(&project),
            dir.path().join("target/witness/pipelines/rust")
        );
        let guests = discover(&project).expect("reads guests/");
        let guest = guests[0].as_ref().expect("a valid manifest");
        assert_eq!(guest.out_dir(&project), project.guest_out_dir("rust"));
    }

    #[test]
    fn an_unknown_contract_is_named_with_the_manifest() {
        let dir = scratch();
        let guest = dir.path().join("guests").join("g");
        fs::create_dir_all(&guest).expect("mkdir");
        fs::write(
            guest.join("guest.toml"),
            MANIFEST.replace("\"t\"", "\"json-toolz\""),
        )
        .expect("write");
        let message = load(&guest).expect_err("an unknown contract").to_string();
        assert!(message.contains("guests/g/guest.toml"), "{message}");
        assert!(
            message.contains("names the contract `json-toolz`") && message.ends_with("holds: p, t"),
            "{message}"
        );
        // A guest under `pipelines/` whose contract composes nothing.
        let pipeline = dir.path().join("pipelines").join("q");
        fs::create_dir_all(&pipeline).expect("mkdir");
        fs::write(pipeline.join("guest.toml"), MANIFEST).expect("write");
        let found = discover_pipelines(&Project::new(dir.path())).expect("reads pipelines/");
        let message = found[0].as_ref().expect_err("composes nothing").to_string();
        assert!(message.contains("`t` does not"), "{message}");
    }

    #[test]
    fn a_missing_tool_is_reported_with_its_hint() {
        let tool = ToolProbe {
            probe: vec!["witness-no-such-tool".to_owned(), "--version".to_owned()],
            minimum: None,
            expect: None,
            hint: "install it".to_owned(),
        };
        let missing = probe_tool(&tool).expect_err("not installed");
        assert_eq!(
            missing.to_string(),
            "witness-no-such-tool not found (install it)"
        );
    }
}
