//! `cargo xtask new-guest NAME --lang LANG`: scaffold `guests/NAME/` from
//! `templates/LANG/`, then build it once so the bindings are generated and the
//! new row shows in the matrix (red, until it implements the contract).

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
    let templates = project.tool_root().join("templates");
    let template = templates.join(&flags.lang);
    if !template.is_dir() {
        bail!(
            "no template for `{}` (known: {})",
            flags.lang,
            known_languages(&templates).join(", ")
        );
    }
    let target = project.guests_dir().join(name);
    if target.exists() {
        bail!("{} already exists", target.display());
    }
    let snake = name.replace('-', "_");
    let fill = |text: &str| {
        text.replace("{{guest}}", name)
            .replace("{{guest_snake}}", &snake)
    };
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
    let guest = guest::load(&target)?;
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
    println!(
        "\nnext: implement contracts/json-tools/contract.md in guests/{name}/, then `cargo xtask test-matrix --guest {name}` (see docs/adding-a-guest.md)"
    );
    Ok(ExitCode::SUCCESS)
}

fn known_languages(templates: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(templates)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|entry| entry.path().is_dir())
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}
