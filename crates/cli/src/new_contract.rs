//! `witness new-contract NAME`: adds a contract to the project, and to the
//! `contracts` list of its `witness.toml` (kept as written, comments and
//! all, by toml_edit).  With `--wit PATH` the contract is that WIT, where it
//! is (as `witness init` does); without, a small WIT to start from is
//! written into `contracts/NAME/wit/`.

use std::{fs, path::Path, process::ExitCode};

use anyhow::{Context as _, bail};
use witness::project::{CONFIG_FILE, Project};

use crate::{flags, init};

pub fn run(project: &Project, flags: &flags::NewContract) -> anyhow::Result<ExitCode> {
    let root = project.root();
    let name = flags.name.as_str();
    init::check_name(name)?;
    match &flags.wit {
        Some(wit) => {
            let wit = if wit.is_absolute() {
                wit.clone()
            } else {
                std::env::current_dir()?.join(wit)
            };
            init::write_contract(
                root,
                &wit,
                flags.world.as_deref(),
                Some(name),
                "witness new-contract",
            )?;
        }
        None => write_skeleton(root, name)?,
    }
    add_to_config(root, name)?;
    println!(
        "next: describe the contract in its WIT, then witness new-guest NAME --lang rust|python --contract {name}"
    );
    Ok(ExitCode::SUCCESS)
}

/// `contracts/<name>/` with a `contract.toml` and a WIT of one interface
/// with one function, to be replaced by the contract's own.
fn write_skeleton(root: &Path, name: &str) -> anyhow::Result<()> {
    let kebab = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.contains("--")
        && !name.ends_with('-');
    if !kebab {
        bail!(
            "`{name}` cannot name a WIT package and world (lowercase letters, digits and single `-`); pass --wit PATH to use a WIT of your own"
        );
    }
    let dir = root.join("contracts").join(name);
    if dir.exists() {
        bail!("{} exists already", dir.display());
    }
    let wit_dir = dir.join("wit");
    fs::create_dir_all(&wit_dir).with_context(|| format!("creating {}", wit_dir.display()))?;
    let wit = format!(
        "/// The {name} contract: say here, for people, what every guest must do.\n\
         package local:{name}@0.1.0;\n\
         \n\
         /// What every guest exports.\n\
         interface api {{\n\
         \x20   /// An example: replace it with the contract's own functions and types.\n\
         \x20   greet: func(name: string) -> string;\n\
         }}\n\
         \n\
         world {name} {{\n\
         \x20   export api;\n\
         }}\n"
    );
    let wit_path = wit_dir.join(format!("{name}.wit"));
    fs::write(&wit_path, wit).with_context(|| format!("writing {}", wit_path.display()))?;
    let toml = format!(
        "# Made by `witness new-contract` (docs/adding-a-contract.md).\n\
         description = \"The {name} contract\"\n\
         package = \"local:{name}@0.1.0\"\n\
         world = \"{name}\"\n"
    );
    let toml_path = dir.join("contract.toml");
    fs::write(&toml_path, toml).with_context(|| format!("writing {}", toml_path.display()))?;
    println!("wrote {} and {}", toml_path.display(), wit_path.display());
    Ok(())
}

/// Adds `name` to the `contracts` list of the project's `witness.toml`, when
/// it has one (without it, every directory under `contracts/` is one).
fn add_to_config(root: &Path, name: &str) -> anyhow::Result<()> {
    let path = root.join(CONFIG_FILE);
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(());
    };
    let mut document: toml_edit::DocumentMut = text
        .parse()
        .with_context(|| format!("{}", path.display()))?;
    let Some(item) = document.get_mut("contracts") else {
        return Ok(());
    };
    let list = item
        .as_array_mut()
        .with_context(|| format!("{}: `contracts` is not a list", path.display()))?;
    if !list.iter().any(|value| value.as_str() == Some(name)) {
        list.push(name);
    }
    fs::write(&path, document.to_string())
        .with_context(|| format!("writing {}", path.display()))?;
    println!("added `{name}` to the contracts of {}", path.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_contract_loads_and_joins_the_witness_toml_keeping_its_comments() {
        let temp = tempfile::tempdir().expect("tempdir");
        let root = temp.path();
        fs::write(root.join(CONFIG_FILE), "# mine\ncontracts = []\n").expect("write");
        let project = Project::open(root).expect("opens");
        let flags = flags::NewContract {
            name: "shapes".to_owned(),
            wit: None,
            world: None,
        };
        run(&project, &flags).expect("new-contract");
        let config = fs::read_to_string(root.join(CONFIG_FILE)).expect("read");
        assert!(
            config.starts_with("# mine\n") && config.contains("\"shapes\""),
            "{config}"
        );
        let project = Project::open(root).expect("opens again");
        let contract = witness::contract::named(&project, "shapes").expect("loads");
        assert_eq!(contract.functions().len(), 1);
        let again = run(&project, &flags).expect_err("exists");
        assert!(again.to_string().contains("exists already"), "{again}");
        let bad = flags::NewContract {
            name: "Shapes".to_owned(),
            wit: None,
            world: None,
        };
        let err = run(&project, &bad).expect_err("not kebab-case");
        assert!(
            err.to_string().contains("cannot name a WIT package"),
            "{err}"
        );
    }
}
