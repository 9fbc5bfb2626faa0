//! `cargo xtask divergences`: write `docs/divergences.md`, the table of
//! known divergences, from every contract's `divergences.toml`.

use std::{fs, process::ExitCode};

use anyhow::Context as _;
use witness::{known, project::Project};

use crate::flags;

pub fn run(project: &Project, flags: &flags::Divergences) -> anyhow::Result<ExitCode> {
    let page = known::page(project)?;
    let path = project.root().join("docs").join("divergences.md");
    let current = fs::read_to_string(&path).unwrap_or_default();
    if flags.check {
        if current == page {
            println!("{}: current", path.display());
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("{}: stale; run `cargo xtask divergences`", path.display());
        return Ok(ExitCode::from(1));
    }
    if current != page {
        fs::create_dir_all(path.parent().unwrap_or(project.root()))
            .with_context(|| format!("{}", path.display()))?;
        fs::write(&path, &page).with_context(|| format!("{}", path.display()))?;
    }
    println!("{}: written", path.display());
    Ok(ExitCode::SUCCESS)
}
