//! Building guests: run the manifest's steps, make a component if the steps
//! produced a core module, validate it, and skip all of it when the inputs and
//! the toolchain are unchanged.
//!
//! Every guest's artefacts live in one stable place,
//! `target/witness/guests/<name>/`: `component.wasm`, `build.log` and the
//! `stamp` with the hash of what built it.

use std::{
    fs,
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context as _, bail};
use globset::GlobBuilder;
use serde::Serialize;
use walkdir::WalkDir;
use witness_host_api::{Capabilities, GuestArtifact};

use crate::{
    contract::Contract,
    guest::{Adapter, Guest, MissingTool},
    project::Project,
};

/// A built guest component.
#[derive(Clone, Debug, Serialize)]
pub struct Built {
    /// The guest's name.
    pub guest: String,
    /// `target/witness/guests/<name>/component.wasm`.
    pub component: PathBuf,
    /// Its size in bytes.
    pub size: u64,
    /// The component's imports, by name.
    pub imports: Vec<String>,
    /// The component's exports, by name.
    pub exports: Vec<String>,
    /// Whether this run built it (false: the cache was fresh).
    pub rebuilt: bool,
    /// How long the build took (zero when cached).
    pub build_time: Duration,
    /// What its manifest grants.
    pub capabilities: Capabilities,
    /// The contract it implements: what it exports, and which suites it runs.
    pub contract: Contract,
    /// The functions its world exports, as the WIT says: what every host
    /// checks the component against at load.
    #[serde(skip)]
    pub functions: Vec<witness_host_api::Function>,
}

impl Built {
    /// Imports or exports that exceed what the contract's world needs: any
    /// capability beyond pure computation, and any export besides the world's.
    pub fn flags(&self) -> Vec<String> {
        let capability = |name: &str| {
            [
                "wasi:filesystem",
                "wasi:sockets",
                "wasi:cli/environment",
                "wasi:http",
            ]
            .iter()
            .any(|prefix| name.starts_with(prefix))
        };
        let mut flags: Vec<String> = self
            .imports
            .iter()
            .filter(|name| capability(name))
            .map(|name| format!("imports {name}"))
            .collect();
        let exports = self.contract.export_names();
        flags.extend(
            self.exports
                .iter()
                .filter(|name| !exports.contains(name))
                .map(|name| format!("exports {name}")),
        );
        flags
    }

    /// What a host needs to run it.
    pub fn artifact(&self) -> GuestArtifact {
        GuestArtifact {
            name: self.guest.clone(),
            component: self.component.clone(),
            capabilities: self.capabilities.clone(),
            exports: self.functions.clone(),
        }
    }
}

/// What building one guest came to.
#[derive(Debug)]
pub enum BuildOutcome {
    /// The component is ready.
    Built(Built),
    /// The toolchain is missing here; the guest's cells are skipped.
    Skipped(MissingTool),
    /// The build ran and failed; the guest's cells fail.
    Failed(String),
}

/// Builds `guest` unless its stamp says nothing changed.
pub fn build(project: &Project, guest: &Guest) -> BuildOutcome {
    let probes = match guest.probe_toolchain() {
        Ok(probes) => probes,
        Err(missing) => return BuildOutcome::Skipped(missing),
    };
    match build_with(project, guest, &probes) {
        Ok(built) => BuildOutcome::Built(built),
        Err(err) => BuildOutcome::Failed(format!("guest `{}`: {err:#}", guest.name)),
    }
}

fn build_with(project: &Project, guest: &Guest, probes: &[String]) -> anyhow::Result<Built> {
    let out_dir = guest.out_dir(project);
    let component = out_dir.join("component.wasm");
    let stamp = out_dir.join("stamp");
    let hash = input_hash(project, guest, probes)?;
    if component.is_file() && fs::read_to_string(&stamp).is_ok_and(|old| old == hash) {
        return inspect(project, guest, &component, false, Duration::ZERO);
    }
    // Whatever was there is stale: remove the stamp first, so that an
    // interrupted build can never leave a fresh-looking stamp behind.
    fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    drop(fs::remove_file(&stamp));
    let start = Instant::now();
    run_steps(project, guest, &out_dir)?;
    let bytes = match (
        &guest.manifest.build.component,
        &guest.manifest.build.componentize,
    ) {
        (Some(path), _) => {
            let path = guest.dir.join(guest.expand(project, path));
            fs::read(&path)
                .with_context(|| format!("reading the built component {}", path.display()))?
        }
        (None, Some(componentize)) => {
            let module = guest.dir.join(guest.expand(project, &componentize.module));
            make_component(&module, componentize.adapter, &guest.contract)?
        }
        (None, None) => unreachable!("the manifest loader rejects this"),
    };
    write_atomically(&component, &bytes)?;
    let built = inspect(project, guest, &component, true, start.elapsed())?;
    write_atomically(&stamp, hash.as_bytes())?;
    Ok(built)
}

/// Hashes the manifest, the toolchain probes' output and every input file.
fn input_hash(project: &Project, guest: &Guest, probes: &[String]) -> anyhow::Result<String> {
    let mut hasher = blake3::Hasher::new();
    hasher.update(guest.manifest_text.as_bytes());
    for probe in probes {
        hasher.update(probe.as_bytes());
    }
    for file in input_files(project, guest)? {
        let contents =
            fs::read(&file).with_context(|| format!("reading build input {}", file.display()))?;
        hasher.update(file.to_string_lossy().as_bytes());
        hasher.update(&(contents.len() as u64).to_le_bytes());
        hasher.update(&contents);
    }
    Ok(hasher.finalize().to_hex().to_string())
}

/// The files matched by the manifest's input globs, sorted; `*` matches
/// within one directory and `**` across them.  Each glob is walked from its
/// literal prefix, so `../../contracts/json-tools/wit/*.wit` works; `target`,
/// `node_modules` and hidden directories are never inputs.
fn input_files(project: &Project, guest: &Guest) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for pattern in &guest.manifest.build.inputs {
        let pattern = guest.expand(project, pattern);
        let components: Vec<&str> = pattern.split('/').collect();
        let literal = components
            .iter()
            .take_while(|part| !part.contains(['*', '?', '[', '{']))
            .count();
        let base = guest.dir.join(components[..literal].join("/"));
        if literal == components.len() {
            if base.is_file() {
                files.push(base);
            }
            continue;
        }
        // `*` stops at `/` (as in a shell), `**` crosses directories: `*.c`
        // must not take in `bindings/*.c`, which the build itself writes.
        let matcher = GlobBuilder::new(&components[literal..].join("/"))
            .literal_separator(true)
            .build()
            .with_context(|| {
                format!(
                    "{}: bad input glob `{pattern}`",
                    guest.manifest_path.display()
                )
            })?
            .compile_matcher();
        let walk = WalkDir::new(&base).into_iter().filter_entry(|entry| {
            let name = entry.file_name().to_string_lossy();
            entry.depth() == 0
                || !(name.starts_with('.') || name == "target" || name == "node_modules")
        });
        for entry in walk
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
        {
            let relative = entry.path().strip_prefix(&base).unwrap_or(entry.path());
            if matcher.is_match(relative) {
                files.push(entry.path().to_path_buf());
            }
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

fn run_steps(project: &Project, guest: &Guest, out_dir: &Path) -> anyhow::Result<()> {
    let recipe = &guest.manifest.build;
    run_commands(
        project,
        guest,
        &recipe.steps,
        &recipe.env,
        &out_dir.join("build.log"),
    )
}

/// Runs a guest's `[unit-tests]` steps; their log is
/// `target/witness/guests/<name>/unit-tests.log`.
///
/// # Errors
/// When a step fails, with its output.
pub fn run_unit_tests(project: &Project, guest: &Guest) -> anyhow::Result<()> {
    let Some(tests) = &guest.manifest.unit_tests else {
        return Ok(());
    };
    let out_dir = guest.out_dir(project);
    fs::create_dir_all(&out_dir)?;
    run_commands(
        project,
        guest,
        &tests.steps,
        &tests.env,
        &out_dir.join("unit-tests.log"),
    )
}

/// Runs a guest's `[scaffold]` steps, which `witness new-guest` runs once
/// before the first build, with `WITNESS_EXPORTS` naming a JSON file of the
/// contract's exports ([`crate::contract::Contract::exports_json`]); their log
/// is `target/witness/guests/<name>/scaffold.log`.
///
/// # Errors
/// When a step fails, with its output.
pub fn run_scaffold(project: &Project, guest: &Guest) -> anyhow::Result<()> {
    let Some(scaffold) = &guest.manifest.scaffold else {
        return Ok(());
    };
    let out_dir = guest.out_dir(project);
    fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let exports = out_dir.join("exports.json");
    fs::write(&exports, guest.contract.exports_json())
        .with_context(|| format!("writing {}", exports.display()))?;
    let mut env = scaffold.env.clone();
    env.insert("WITNESS_EXPORTS".to_owned(), exports.display().to_string());
    run_commands(
        project,
        guest,
        &scaffold.steps,
        &env,
        &out_dir.join("scaffold.log"),
    )
}

fn run_commands(
    project: &Project,
    guest: &Guest,
    steps: &[Vec<String>],
    env: &std::collections::BTreeMap<String, String>,
    log_path: &Path,
) -> anyhow::Result<()> {
    let sh = xshell::Shell::new()?;
    sh.change_dir(&guest.dir);
    for (name, value) in guest.variables(project) {
        sh.set_var(name, value);
    }
    for (name, value) in env {
        sh.set_var(name, guest.expand(project, value));
    }
    let mut log = String::new();
    for step in steps {
        let argv: Vec<String> = step.iter().map(|arg| guest.expand(project, arg)).collect();
        let (program, args) = (&argv[0], &argv[1..]);
        let output = xshell::cmd!(sh, "{program} {args...}")
            .ignore_status()
            .quiet()
            .output()
            .with_context(|| format!("running `{}` in {}", argv.join(" "), guest.dir.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        log.push_str(&format!("$ {}\n{stdout}{stderr}\n", argv.join(" ")));
        fs::write(log_path, &log)?;
        if !output.status.success() {
            bail!(
                "`{}` failed with {} in {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                argv.join(" "),
                output.status,
                guest.dir.display(),
                tail(&stdout, 40),
                tail(&stderr, 40),
            );
        }
    }
    Ok(())
}

/// The last `lines` lines of `text`.
pub fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// Makes a component from a core module: embeds the contract's world and
/// adapts WASI preview1 with the adapter from
/// `wasi-preview1-component-adapter-provider`.
///
/// # Errors
/// When the module cannot be read, the WIT cannot be parsed, or wit-component
/// rejects the module.
pub fn make_component(
    module: &Path,
    adapter: Adapter,
    contract: &Contract,
) -> anyhow::Result<Vec<u8>> {
    let mut bytes = fs::read(module)
        .with_context(|| format!("reading the core module {}", module.display()))?;
    let mut resolve = wit_parser::Resolve::default();
    let wit_dir = contract.wit_dir();
    let (package, _) = resolve
        .push_dir(&wit_dir)
        .with_context(|| format!("parsing {}", wit_dir.display()))?;
    let world = resolve.select_world(&[package], Some(contract.world()))?;
    wit_component::embed_component_metadata(
        &mut bytes,
        &resolve,
        world,
        wit_component::StringEncoding::UTF8,
    )?;
    let adapter_bytes = match adapter {
        Adapter::Reactor => {
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER
        }
        Adapter::Command => {
            wasi_preview1_component_adapter_provider::WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER
        }
    };
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&bytes)
        .with_context(|| format!("{}: not a module wit-component accepts", module.display()))?
        .adapter("wasi_snapshot_preview1", adapter_bytes)?
        .encode()
        .with_context(|| format!("making a component of {}", module.display()))
}

/// Validates a component, checks that it exports the contract, and lists its
/// imports and exports.
fn inspect(
    project: &Project,
    guest: &Guest,
    component: &Path,
    rebuilt: bool,
    build_time: Duration,
) -> anyhow::Result<Built> {
    let bytes = fs::read(component).with_context(|| format!("reading {}", component.display()))?;
    let (imports, exports) =
        validate_component(&bytes).with_context(|| format!("{}", component.display()))?;
    let contract = &guest.contract;
    let missing: Vec<String> = contract
        .export_names()
        .into_iter()
        .filter(|name| !exports.contains(name))
        .collect();
    if !missing.is_empty() {
        let exported = if exports.is_empty() {
            "nothing".to_owned()
        } else {
            exports.join(", ")
        };
        bail!(
            "{}: a component of the wrong world: it does not export {} (world `{}` of contract `{contract}`); it exports {exported}",
            component.display(),
            missing.join(", "),
            contract.world()
        );
    }
    Ok(Built {
        guest: guest.name.clone(),
        component: component.to_path_buf(),
        size: bytes.len() as u64,
        imports,
        exports,
        rebuilt,
        build_time,
        capabilities: guest.capabilities(project),
        contract: contract.clone(),
        functions: contract.functions().to_vec(),
    })
}

/// Validates `bytes` as a component with wasmparser and returns its top-level
/// import and export names.
///
/// # Errors
/// When the bytes are not a valid component, with the byte offset.
pub fn validate_component(bytes: &[u8]) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    if !wasmparser::Parser::is_component(bytes) {
        bail!("not a WebAssembly component (a core module, or not wasm at all)");
    }
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(bytes)
        .context("invalid component")?;
    let mut imports = Vec::new();
    let mut exports = Vec::new();
    let mut depth = 0usize;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        match payload? {
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => {
                depth += 1;
            }
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::ComponentImportSection(section) if depth == 0 => {
                for import in section {
                    imports.push(import?.name.name.to_owned());
                }
            }
            wasmparser::Payload::ComponentExportSection(section) if depth == 0 => {
                for export in section {
                    exports.push(export?.name.name.to_owned());
                }
            }
            _ => {}
        }
    }
    Ok((imports, exports))
}

/// Writes `bytes` to a temporary file beside `path` and renames it into place.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("a path with no parent")?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut temp, bytes)?;
    temp.persist(path)
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
