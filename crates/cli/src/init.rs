//! `witness init`: make a repository a witness project from the WIT it
//! already has.  It writes `witness.toml` and `contracts/<name>/contract.toml`,
//! whose `wit` points at the repository's own WIT, so that the WIT keeps one
//! home; it copies nothing.

use std::{fs, path::Path, process::ExitCode};

use anyhow::{Context as _, bail};
use witness::project::CONFIG_FILE;

use crate::flags;

/// Writes the project into `root` (the working directory, or `--project`).
///
/// # Errors
/// When `root` is a project already, the WIT does not parse, the world is
/// not named and the package has several, or a file cannot be written; each
/// names the file.
pub fn run(root: &Path, flags: &flags::Init) -> anyhow::Result<ExitCode> {
    let config = root.join(CONFIG_FILE);
    if config.exists() {
        bail!(
            "{} exists already: this is a witness project (add a contract with `witness new-contract`, docs/project.md)",
            config.display()
        );
    }
    let wit = if flags.wit.is_absolute() {
        flags.wit.clone()
    } else {
        root.join(&flags.wit)
    };
    if !wit.exists() {
        bail!(
            "{}: no WIT there; run `witness init` where your wit/ is, or pass --wit PATH (a directory with deps/, or one .wit file)",
            wit.display()
        );
    }
    let name = write_contract(
        root,
        &wit,
        flags.world.as_deref(),
        flags.name.as_deref(),
        "witness init",
    )?;
    let witness_toml = format!(
        "# A witness project (docs/project.md in the witness checkout).\n\
         contracts = [{}]\n\
         # Where the guests are, each a directory with a guest.toml; the default:\n\
         # guests = [\"guests/*\", \"contracts/*/guests/*\"]\n",
        toml_string(&name)
    );
    fs::write(&config, witness_toml).with_context(|| format!("writing {}", config.display()))?;
    println!("wrote {}", config.display());
    println!(
        "next: witness new-guest NAME --lang rust|python (docs/adding-a-guest.md), then witness test-matrix"
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `contracts/<name>/contract.toml` for the WIT at `wit` (a directory
/// or a file), whose `wit` points at it, and returns the contract's name:
/// `name`, or the WIT package's name.
///
/// # Errors
/// When the WIT does not parse, the world is not named and the package has
/// several, the name is not a contract's, the contract exists, or a file
/// cannot be written; each names the file.
pub fn write_contract(
    root: &Path,
    wit: &Path,
    world: Option<&str>,
    name: Option<&str>,
    made_by: &str,
) -> anyhow::Result<String> {
    let mut resolve = wit_parser::Resolve::new();
    let (package, _) = resolve
        .push_path(wit)
        .map_err(|err| anyhow::anyhow!("{}: the WIT does not parse: {err:#}", wit.display()))?;
    let package_name = resolve.packages[package].name.clone();
    let worlds: Vec<&String> = resolve.packages[package].worlds.keys().collect();
    let world = match (world, worlds.as_slice()) {
        (Some(world), _) if worlds.iter().any(|known| *known == world) => world.to_owned(),
        (Some(world), _) => bail!(
            "{}: the package {package_name} has no world `{world}` (it has: {})",
            wit.display(),
            list(&worlds)
        ),
        (None, [world]) => (*world).clone(),
        (None, []) => bail!(
            "{}: the package {package_name} has no world; a contract is a world its guests implement",
            wit.display()
        ),
        (None, _) => bail!(
            "{}: the package {package_name} has several worlds ({}); say which one the guests implement with --world",
            wit.display(),
            list(&worlds)
        ),
    };
    let name = name.map_or_else(|| package_name.name.clone(), str::to_owned);
    check_name(&name)?;
    let contract_dir = root.join("contracts").join(&name);
    if contract_dir.exists() {
        bail!("{} exists already", contract_dir.display());
    }
    let docs = resolve.packages[package]
        .docs
        .contents
        .as_deref()
        .and_then(|docs| docs.lines().map(str::trim).find(|line| !line.is_empty()))
        .map_or_else(|| format!("The {package_name} contract"), str::to_owned);
    // As contracts/<name>/contract.toml sees it (`../../wit`).
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let wit_relative = crate::paths::relative(&canonical_root.join("contracts").join(&name), wit);
    let contract_toml = format!(
        "# Made by `{made_by}` (docs/adding-a-contract.md).\n\
         description = {docs}\n\
         package = \"{package_name}\"\n\
         world = \"{world}\"\n\
         # Where the WIT is, relative to this directory.\n\
         wit = {wit_relative}\n",
        docs = toml_string(&docs),
        wit_relative = toml_string(&wit_relative),
    );
    fs::create_dir_all(&contract_dir)
        .with_context(|| format!("creating {}", contract_dir.display()))?;
    let contract_path = contract_dir.join("contract.toml");
    fs::write(&contract_path, contract_toml)
        .with_context(|| format!("writing {}", contract_path.display()))?;
    println!(
        "wrote {} (package {package_name}, world {world})",
        contract_path.display()
    );
    Ok(name)
}

/// Checks that `name` can be a contract's: letters, digits, `-` and `_`.
///
/// # Errors
/// When it cannot.
pub fn check_name(name: &str) -> anyhow::Result<()> {
    let valid = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid {
        bail!("`{name}` is not a contract's name (letters, digits, `-` and `_`)");
    }
    Ok(())
}

fn list(names: &[&String]) -> String {
    if names.is_empty() {
        "none".to_owned()
    } else {
        names
            .iter()
            .map(|name| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `text` as a TOML string.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn init(root: &Path, world: Option<&str>) -> anyhow::Result<ExitCode> {
        let flags = flags::Init {
            wit: PathBuf::from("wit"),
            world: world.map(str::to_owned),
            name: None,
        };
        run(root, &flags)
    }

    #[test]
    fn init_points_the_contract_at_the_repositorys_wit_and_the_project_opens() {
        let temp = tempfile::tempdir().expect("tempdir");
        let root = temp.path();
        fs::create_dir_all(root.join("wit")).expect("mkdir");
        fs::write(
            root.join("wit/w.wit"),
            "/// Sums.\npackage my:sums@0.1.0;\nworld adder { export add: func(a: u32, b: u32) -> u32; }\n",
        )
        .expect("write");
        init(root, None).expect("init");
        let project = witness::project::Project::open(root).expect("the project opens");
        let contract = witness::contract::named(&project, "sums").expect("the contract loads");
        assert_eq!(contract.world(), "adder");
        assert_eq!(contract.functions().len(), 1);
        let text = fs::read_to_string(root.join("contracts/sums/contract.toml")).expect("read");
        assert!(
            text.contains("description = \"Sums.\"") && text.contains("wit = \"../../wit\""),
            "{text}"
        );
        let again = init(root, None).expect_err("a project already");
        assert!(
            again.to_string().contains("witness.toml exists already"),
            "{again}"
        );
    }

    #[test]
    fn init_refuses_a_bad_wit_and_an_ambiguous_world_naming_the_path() {
        let temp = tempfile::tempdir().expect("tempdir");
        let root = temp.path();
        let err = init(root, None).expect_err("no wit/");
        assert!(err.to_string().contains("no WIT there"), "{err}");
        fs::create_dir_all(root.join("wit")).expect("mkdir");
        fs::write(
            root.join("wit/w.wit"),
            "package a:b;\nworld w { export f: func() }\n",
        )
        .expect("write");
        let err = init(root, None).expect_err("does not parse");
        assert!(
            format!("{err:#}").contains("the WIT does not parse")
                && format!("{err:#}").contains("wit"),
            "{err:#}"
        );
        fs::write(
            root.join("wit/w.wit"),
            "package a:b;\nworld one { export f: func(); }\nworld two { export g: func(); }\n",
        )
        .expect("write");
        let err = init(root, None).expect_err("two worlds");
        assert!(
            err.to_string().contains("several worlds (one, two)"),
            "{err}"
        );
        let err = init(root, Some("three")).expect_err("no such world");
        assert!(err.to_string().contains("no world `three`"), "{err}");
        init(root, Some("two")).expect("init with --world");
        assert!(root.join("contracts/b/contract.toml").is_file());
    }
}
