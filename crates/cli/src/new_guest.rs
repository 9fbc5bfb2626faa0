//! `witness new-guest NAME --lang LANG [--contract C]`: scaffold
//! `guests/NAME/` from a template, then build it once so the bindings are
//! generated and the new row shows in the matrix (red, until it implements
//! the contract).
//!
//! json-tools' templates are `templates/LANG/`, with stubs written for its
//! two functions; any other contract's are `templates/any/LANG/`, whose
//! stubs come from the language's bindings generator (wit-bindgen's
//! `stubs`; protocol classes made at import time for componentize-py), so no
//! stub is written per contract.

use std::{fs, path::Path, process::ExitCode};

use anyhow::{Context as _, bail};
use walkdir::WalkDir;
use witness::{
    build::{self, BuildOutcome},
    guest,
    project::Project,
};

use crate::flags;

pub fn run(project: &Project, flags: &flags::NewGuest) -> anyhow::Result<ExitCode> {
    let name = flags.name.as_str();
    let valid = !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        bail!(
            "`{name}`: a guest name is lowercase letters, digits and `-`, starting with a letter"
        );
    }
    let target = project.guests_dir().join(name);
    if target.exists() {
        bail!("{} already exists", target.display());
    }
    let contract = contract_of(project, flags.contract.as_deref())?;
    let templates = match &contract {
        None => project.tool_root().join("templates"),
        Some(_) => project.tool_root().join("templates").join("any"),
    };
    let template = templates.join(&flags.lang);
    if flags.lang == "any" || !template.join("guest.toml.tmpl").is_file() {
        bail!(
            "no template for `{}`{} (known: {})",
            flags.lang,
            contract
                .as_ref()
                .map(|contract| format!(" for the contract `{}`", contract.name()))
                .unwrap_or_default(),
            known_languages(&templates).join(", ")
        );
    }
    let snake = name.replace('-', "_");
    let (contract_name, world, wit) = match &contract {
        Some(contract) => (
            contract.name().to_owned(),
            contract.world().to_owned(),
            crate::paths::relative(&target, &contract.wit_dir()),
        ),
        None => Default::default(),
    };
    let fill = |text: &str| {
        text.replace("{{guest}}", name)
            .replace("{{guest_snake}}", &snake)
            .replace("{{contract}}", &contract_name)
            .replace("{{world}}", &world)
            .replace("{{world_snake}}", &world.replace('-', "_"))
            .replace("{{wit}}", &wit)
    };
    fs::create_dir_all(project.guests_dir())
        .with_context(|| format!("creating {}", project.guests_dir().display()))?;
    // Write into a temporary sibling and rename it into place, so that a
    // failure leaves no half-made guest behind for discovery to trip on.
    let staging = tempfile::Builder::new()
        .prefix(".new-guest-")
        .tempdir_in(project.guests_dir())?;
    for entry in WalkDir::new(&template)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
    {
        let relative = entry
            .path()
            .strip_prefix(&template)?
            .to_string_lossy()
            .into_owned();
        let relative = fill(relative.strip_suffix(".tmpl").unwrap_or(&relative));
        let destination = staging.path().join(&relative);
        if let Some(parent) = destination.parent() {
            fs::create_dir_all(parent)?;
        }
        let text = fs::read_to_string(entry.path())
            .with_context(|| format!("reading {}", entry.path().display()))?;
        fs::write(&destination, fill(&text))?;
        println!("  created guests/{name}/{relative}");
    }
    fs::rename(staging.keep(), &target)?;
    let guest = match guest::load(&target)
        .map_err(anyhow::Error::from)
        .and_then(|guest| {
            scaffold(project, &guest)?;
            Ok(guest)
        }) {
        Ok(guest) => guest,
        Err(err) => {
            // Leave nothing half-made behind for discovery to trip on.
            drop(fs::remove_dir_all(&target));
            return Err(err.context(format!(
                "scaffolding guests/{name} from {} (nothing was left behind)",
                template.display()
            )));
        }
    };
    println!("building {name} once, to generate its bindings ...");
    match build::build(project, &guest) {
        BuildOutcome::Built(built) => {
            println!("built {} ({} bytes)", built.component.display(), built.size)
        }
        BuildOutcome::Skipped(missing) => println!("not built here: {missing}"),
        BuildOutcome::Failed(message) => println!(
            "the first build failed; fix it and run `cargo xtask build --guest {name}`:\n{message}"
        ),
    }
    match &contract {
        None => println!(
            "\nnext: implement contracts/json-tools/contract.md in guests/{name}/, then `witness test-matrix --guest {name}` (see docs/adding-a-guest.md)"
        ),
        Some(contract) => println!(
            "\nnext: implement the `{}` contract in guests/{name}/ (every export traps until then), then `witness test-matrix --guest {name}` (see docs/adding-a-guest.md)",
            contract.name()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs the template's `[scaffold]` steps, which write the stubs from the
/// contract's WIT (for example with `wit-bindgen go --generate-stubs`), once
/// its toolchain is known to be here.
fn scaffold(project: &Project, guest: &guest::Guest) -> anyhow::Result<()> {
    if guest.manifest.scaffold.is_none() {
        return Ok(());
    }
    if let Err(missing) = guest.probe_toolchain() {
        bail!("the template needs a tool that is missing here, to write the stubs: {missing}");
    }
    println!("writing the stubs from the contract's WIT ...");
    build::run_scaffold(project, guest)
}

/// The contract to scaffold for: the one `--contract` names; without it,
/// none (json-tools' own templates) when the project has json-tools, else
/// the project's only contract.
///
/// # Errors
/// When the named contract is not the project's or does not load, or the
/// project has several contracts and none is named.
fn contract_of(
    project: &Project,
    named: Option<&str>,
) -> anyhow::Result<Option<witness::contract::Contract>> {
    let contracts: Vec<witness::contract::Contract> = witness::contract::discover(project)
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let names = || {
        contracts
            .iter()
            .map(|contract| contract.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match named {
        Some("json-tools") => Ok(None),
        Some(name) => witness::contract::named(project, name)
            .map(Some)
            .map_err(|err| {
                anyhow::anyhow!("--contract {name}: {err} (the project has: {})", names())
            }),
        None if contracts
            .iter()
            .any(|contract| contract.name() == "json-tools") =>
        {
            Ok(None)
        }
        None => match contracts.as_slice() {
            [only] => Ok(Some(only.clone())),
            _ => bail!(
                "say which contract the guest implements with --contract (the project has: {})",
                names()
            ),
        },
    }
}

fn known_languages(templates: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(templates)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().join("guest.toml.tmpl").is_file())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
