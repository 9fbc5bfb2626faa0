//! Contracts: `contracts/<name>/`, each a WIT world under test with its data.
//!
//! `contract.toml` names the WIT package and the world; `wit/` holds the
//! package with its `deps/`.  A guest names its contract in its manifest
//! (`contract = "json-tools"`), and the name is looked up in the `contracts/`
//! directory of the guest's nearest ancestor that has one, so a user's
//! repository (or a test fixture) can carry contracts of its own.
//!
//! What the harness does with a contract is decided by its [`Plugin`]: the
//! contracts witness ships with Rust code of their own (json-tools and its
//! pipeline) get their suites; every other contract gets the generic
//! `differential` suite, generated from its WIT alone.

use std::{
    collections::HashMap,
    fmt, fs,
    hash::{Hash, Hasher},
    path::{Path, PathBuf},
    sync::{Arc, Mutex, OnceLock},
};

use anyhow::Context as _;
use serde::Deserialize;
use witness_host_api::Function;

use crate::project::Project;

/// `contracts/<name>/contract.toml`, as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ContractToml {
    /// One line, for people.
    pub description: String,
    /// The WIT package under test, with its version:
    /// `example:json-tools@1.0.0`.
    pub package: String,
    /// The world of that package that every guest implements.
    pub world: String,
    /// Where the WIT is, relative to the contract's directory: `wit` by
    /// default; `witness init` points it at the repository's own `wit/`
    /// (`../../wit`), so that the WIT has one home.
    pub wit: Option<PathBuf>,
    /// The guest whose answers decide a disagreement, if any; without one, a
    /// disagreement is decided by a strict majority of the voters.
    pub reference: Option<String>,
    /// The contract whose world this one's guests import: each guest of this
    /// contract is linked with every guest of that one (wac-graph) into a row
    /// of its own (`contracts/json-pipeline/contract.md`).
    pub composes: Option<String>,
}

/// The Rust code witness has for a contract beyond its WIT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Plugin {
    /// `json-tools`: the corpus, its snapshots, the oracle's suites, and
    /// `json-format` as a native voter.
    JsonTools,
    /// `json-pipeline`: the same suites through `normalize`.
    JsonPipeline,
    /// Any other contract: the `differential` suite, from the WIT alone.
    Generic,
}

/// A loaded contract: cheap to clone, compared by its directory.
#[derive(Clone)]
pub struct Contract(Arc<Loaded>);

struct Loaded {
    name: String,
    dir: PathBuf,
    toml: ContractToml,
    functions: Vec<Function>,
    /// The names the world exports: interfaces (also those with types only)
    /// by their full name, and the world's own functions.
    exports: Vec<String>,
}

impl PartialEq for Contract {
    fn eq(&self, other: &Contract) -> bool {
        self.0.dir == other.0.dir
    }
}

impl Eq for Contract {}

impl Hash for Contract {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.dir.hash(state);
    }
}

impl fmt::Debug for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Contract({})", self.0.dir.display())
    }
}

impl fmt::Display for Contract {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.name)
    }
}

impl serde::Serialize for Contract {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.name)
    }
}

impl Contract {
    /// Its name: the directory's.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    /// `contracts/<name>/`.
    pub fn dir(&self) -> &Path {
        &self.0.dir
    }

    /// `contracts/<name>/wit/`, or where `wit` in its `contract.toml` says.
    pub fn wit_dir(&self) -> PathBuf {
        wit_dir(&self.0.dir, &self.0.toml)
    }

    /// `contracts/<name>/regressions/`: minimal failing cases, replayed
    /// first.
    pub fn regressions_dir(&self) -> PathBuf {
        self.0.dir.join("regressions")
    }

    /// The world's name in the WIT.
    pub fn world(&self) -> &str {
        &self.0.toml.world
    }

    /// The WIT package, with its version.
    pub fn package(&self) -> &str {
        &self.0.toml.package
    }

    /// The one-line description.
    pub fn description(&self) -> &str {
        &self.0.toml.description
    }

    /// The reference guest, if the contract names one.
    pub fn reference(&self) -> Option<&str> {
        self.0.toml.reference.as_deref()
    }

    /// The contract whose guests this one's are linked with, if any.
    pub fn composes(&self) -> Option<&str> {
        self.0.toml.composes.as_deref()
    }

    /// The functions the world exports, as the WIT says, in its order.
    pub fn functions(&self) -> &[Function] {
        &self.0.functions
    }

    /// The names a component of this world exports: its interfaces, and its
    /// functions of the world itself.
    pub fn export_names(&self) -> Vec<String> {
        self.0.exports.clone()
    }

    /// The world's exports as JSON, for a template's scaffold steps
    /// (`WITNESS_EXPORTS`, docs/guest-manifest.md): its exported interfaces,
    /// each with its short name and functions, then the world's own
    /// functions.  A function is its WIT name and its parameters' names.
    ///
    /// ```json
    /// {"package": "example:words@0.1.0", "world": "words",
    ///  "interfaces": [{"interface": "example:words/text@0.1.0", "name": "text",
    ///                  "functions": [{"name": "split", "params": ["s"], "result": true}]}],
    ///  "functions": []}
    /// ```
    pub fn exports_json(&self) -> String {
        let function = |function: &Function| {
            serde_json::json!({
                "name": function.key.name,
                "params": function.params.iter().map(|(name, _)| name).collect::<Vec<_>>(),
                "result": function.result.is_some(),
            })
        };
        let mut interfaces = Vec::new();
        let mut functions = Vec::new();
        for export in &self.0.exports {
            let world_function = self
                .0
                .functions
                .iter()
                .find(|f| f.key.interface.is_none() && f.key.name == *export);
            if let Some(found) = world_function {
                functions.push(function(found));
                continue;
            }
            let short = export
                .rsplit_once('/')
                .map_or(export.as_str(), |(_, name)| name);
            let short = short.split_once('@').map_or(short, |(name, _)| name);
            interfaces.push(serde_json::json!({
                "interface": export,
                "name": short,
                "functions": self
                    .0
                    .functions
                    .iter()
                    .filter(|f| f.key.interface.as_deref() == Some(export.as_str()))
                    .map(function)
                    .collect::<Vec<_>>(),
            }));
        }
        let json = serde_json::json!({
            "package": self.package(),
            "world": self.world(),
            "interfaces": interfaces,
            "functions": functions,
        });
        serde_json::to_string_pretty(&json).expect("a JSON value serializes")
    }

    /// What witness does with it beyond the WIT.
    pub fn plugin(&self) -> Plugin {
        match (self.name(), self.package()) {
            ("json-tools", "example:json-tools@1.0.0") => Plugin::JsonTools,
            ("json-pipeline", "example:pipeline@1.0.0") => Plugin::JsonPipeline,
            _ => Plugin::Generic,
        }
    }
}

/// A contract that cannot be had, naming the file and the problem.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ContractError(String);

/// The contract `dir` (`contracts/<name>/`), read and checked once per
/// process: its `contract.toml`, and its WIT (which must parse, hold the
/// package it names, and have the world).
///
/// # Errors
/// [`ContractError`], naming the file and the problem.
pub fn load(dir: &Path) -> Result<Contract, ContractError> {
    type Cache = Mutex<HashMap<PathBuf, Result<Contract, String>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Cache::default);
    let key = dir.to_path_buf();
    if let Some(found) = cache
        .lock()
        .unwrap_or_else(|err| err.into_inner())
        .get(&key)
    {
        return found.clone().map_err(ContractError);
    }
    let loaded = load_uncached(dir).map_err(|err| format!("{err:#}"));
    cache
        .lock()
        .unwrap_or_else(|err| err.into_inner())
        .insert(key, loaded.clone());
    loaded.map_err(ContractError)
}

/// The contract's WIT directory: `dir/wit`, or `dir/<wit>` as its
/// `contract.toml` says.
fn wit_dir(dir: &Path, toml: &ContractToml) -> PathBuf {
    dir.join(toml.wit.as_deref().unwrap_or(Path::new("wit")))
}

fn load_uncached(dir: &Path) -> anyhow::Result<Contract> {
    let path = dir.join("contract.toml");
    let text = fs::read_to_string(&path).with_context(|| format!("{}", path.display()))?;
    let toml: ContractToml =
        toml::from_str(&text).with_context(|| format!("{}", path.display()))?;
    let name = dir
        .file_name()
        .and_then(|name| name.to_str())
        .with_context(|| format!("{}: the directory's name is not UTF-8", dir.display()))?
        .to_owned();
    let wit_dir = wit_dir(dir, &toml);
    let mut resolve = wit_parser::Resolve::new();
    let (package, _) = resolve
        .push_path(&wit_dir)
        .with_context(|| format!("{}: the WIT does not parse", wit_dir.display()))?;
    let found = resolve.packages[package].name.to_string();
    if found != toml.package {
        anyhow::bail!(
            "{}: `package = \"{}\"`, but {} holds the package {found}",
            path.display(),
            toml.package,
            wit_dir.display()
        );
    }
    let world = &toml.world;
    let world_id = resolve.select_world(&[package], Some(world)).map_err(|_| {
        let worlds: Vec<&str> = resolve.packages[package]
            .worlds
            .keys()
            .map(String::as_str)
            .collect();
        anyhow::anyhow!(
            "{}: `world = \"{world}\"`, but the package {found} has no such world (it has: {})",
            path.display(),
            if worlds.is_empty() {
                "none".to_owned()
            } else {
                worlds.join(", ")
            }
        )
    })?;
    let functions = Function::exports(&resolve, world_id)
        .with_context(|| format!("{}: world `{world}`", wit_dir.display()))?;
    let exports = resolve.worlds[world_id]
        .exports
        .iter()
        .map(|(key, item)| match (key, item) {
            (wit_parser::WorldKey::Interface(id), _) => resolve.id_of(*id).unwrap_or_default(),
            (wit_parser::WorldKey::Name(name), _) => name.clone(),
        })
        .collect();
    Ok(Contract(Arc::new(Loaded {
        name,
        dir: dir.to_path_buf(),
        toml,
        functions,
        exports,
    })))
}

/// The contract `name` as a guest in `guest_dir` sees it: `contracts/<name>/`
/// in the nearest ancestor of `guest_dir` that has it.
///
/// # Errors
/// When no ancestor has it (listing the contracts the nearest `contracts/`
/// holds), or it does not load.
pub fn find(guest_dir: &Path, name: &str) -> Result<Contract, ContractError> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        return Err(ContractError(format!(
            "`contract = \"{name}\"` is not a contract's name (letters, digits, `-` and `_`)"
        )));
    }
    let mut nearest: Option<PathBuf> = None;
    for ancestor in guest_dir.ancestors() {
        let contracts = ancestor.join("contracts");
        if contracts.join(name).join("contract.toml").is_file() {
            return load(&contracts.join(name));
        }
        if nearest.is_none() && contracts.is_dir() {
            nearest = Some(contracts);
        }
    }
    let known = nearest
        .as_deref()
        .map(|contracts| {
            let names = names_in(contracts);
            format!(
                "; {} holds: {}",
                contracts.display(),
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            )
        })
        .unwrap_or_default();
    Err(ContractError(format!(
        "names the contract `{name}`, but no directory above it has `contracts/{name}/contract.toml`{known}"
    )))
}

/// Every contract of a project: those its `witness.toml` names, or else each
/// directory under `contracts/` with a `contract.toml`, sorted by name; one
/// that does not load is an error beside the others.
pub fn discover(project: &Project) -> Vec<Result<Contract, ContractError>> {
    let dir = project.contracts_dir();
    let mut names = match project.contract_names() {
        Some(names) => names.to_vec(),
        None => names_in(&dir),
    };
    names.sort();
    names
        .into_iter()
        .map(|name| load(&dir.join(name)))
        .collect()
}

fn names_in(contracts: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(contracts)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|entry| entry.path().join("contract.toml").is_file())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .collect();
    names.sort();
    names
}

/// The contract `name` of the project.
///
/// # Errors
/// As [`load`], or when the project has no such contract.
pub fn named(project: &Project, name: &str) -> Result<Contract, ContractError> {
    find(project.root(), name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formatter_world_exports_format_and_minify() {
        let project = Project::from_build_dir();
        let json_tools = named(&project, "json-tools").expect("json-tools loads");
        assert_eq!(json_tools.plugin(), Plugin::JsonTools);
        let signatures: Vec<String> = json_tools
            .functions()
            .iter()
            .map(|function| format!("{}: {function}", function.key))
            .collect();
        assert_eq!(
            signatures,
            [
                "example:json-tools/formatter@1.0.0#format: format: func(input: string, options: option<record { indent: u32, sort-keys: bool }>) -> result<string, string>",
                "example:json-tools/formatter@1.0.0#minify: minify: func(input: string) -> result<string, string>",
            ]
        );
        assert_eq!(
            json_tools.export_names(),
            ["example:json-tools/formatter@1.0.0"]
        );
        let pipeline = named(&project, "json-pipeline").expect("json-pipeline loads");
        assert_eq!(pipeline.composes(), Some("json-tools"));
        assert_eq!(
            pipeline.functions()[0].key.to_string(),
            "example:pipeline/normalizer@1.0.0#normalize"
        );
    }

    fn scratch(toml: &str, wit: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temp dir");
        let contract = dir.path().join("contracts").join("c");
        fs::create_dir_all(contract.join("wit")).expect("mkdir");
        fs::write(contract.join("contract.toml"), toml).expect("write");
        fs::write(contract.join("wit").join("c.wit"), wit).expect("write");
        dir
    }

    const WIT: &str =
        "package t:c@1.0.0;\ninterface i { f: func(x: u8) -> u8; }\nworld w { export i; }\n";

    #[test]
    fn bad_contracts_name_the_file_and_the_problem() {
        let cases = [
            (
                "description = \"d\"\npackage = \"t:c@1.0.0\"\nworld = \"nope\"\n",
                WIT,
                "`world = \"nope\"`, but the package t:c@1.0.0 has no such world (it has: w)",
            ),
            (
                "description = \"d\"\npackage = \"t:other@1.0.0\"\nworld = \"w\"\n",
                WIT,
                "`package = \"t:other@1.0.0\"`, but",
            ),
            (
                "description = \"d\"\npackage = \"t:c@1.0.0\"\nworld = \"w\"\n",
                "package t:c@1.0.0;\ninterface i { f: func(x: u8) -> ; }\n",
                "the WIT does not parse",
            ),
            (
                "description = \"d\"\npackage = \"t:c@1.0.0\"\nwrold = \"w\"\n",
                WIT,
                "unknown field `wrold`",
            ),
        ];
        for (toml, wit, expected) in cases {
            let dir = scratch(toml, wit);
            let guest = dir.path().join("guests").join("g");
            let err = find(&guest, "c").expect_err("a bad contract");
            let message = err.to_string();
            assert!(message.contains(expected), "{message}");
            assert!(
                message.contains("contracts/c"),
                "names the contract: {message}"
            );
        }
    }

    #[test]
    fn an_unknown_contract_lists_the_known_ones() {
        let dir = scratch(
            "description = \"d\"\npackage = \"t:c@1.0.0\"\nworld = \"w\"\n",
            WIT,
        );
        let found = find(&dir.path().join("guests/g"), "c").expect("loads");
        assert_eq!(found.export_names(), ["t:c/i@1.0.0"]);
        assert_eq!(found.plugin(), Plugin::Generic);
        let err = find(&dir.path().join("guests/g"), "json-toolz").expect_err("unknown");
        let message = err.to_string();
        assert!(message.contains("`json-toolz`"), "{message}");
        assert!(message.ends_with("holds: c"), "{message}");
        let err = find(&dir.path().join("guests/g"), "../c").expect_err("not a name");
        assert!(err.to_string().contains("not a contract's name"), "{err}");
    }
}
