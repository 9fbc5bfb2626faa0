//! A recorded divergence must keep happening: `divergences::stale` runs the
//! all-types Rust guest in wasmtime, in a temporary project whose
//! `divergences.toml` records two bugs that wasmtime does not have, one of
//! each suite (a differential answer changed by `replace`, and a boundary
//! probe let through), and one that matches no cell.  Both entries of the
//! cell must fail it, each naming itself and saying it no longer
//! reproduces; the third must change nothing; and no case may be counted as
//! known.

use std::fs;

use libtest_mimic::{Failed, Trial};
use witness::{
    host_api::Limits,
    matrix::{self, MatrixConfig},
    project::Project,
    suite::{CorpusSource, SuiteConfig, SuiteKind},
};

pub fn trials() -> Vec<Trial> {
    vec![Trial::test("divergences::stale", stale)]
}

const DIVERGENCES: &str = r#"
[[divergence]]
id = "negate-lies"
cells = ["g::wasmtime"]
function = "negate"
class = "every bool"
input = "negate(true)"
tool = "nothing, this is a test"
replace = ["false", "true"]
reason = "claims that negate(true) answers true in wasmtime"

[[divergence]]
id = "wasmtime-wraps"
cells = ["*::wasmtime"]
function = "echo-scalars"
class = "a u8 of 256"
input = "echo-scalars(false, 0, 256, 0, 0, 0, 0, 0, 0, 0, 0, 'a', \"\")"
tool = "nothing, this is a test"
probes = ["u8-256"]
reason = "claims that wasmtime wraps a u8 of 256"

[[divergence]]
id = "elsewhere"
cells = ["other::node"]
function = "negate"
class = "every bool"
input = "negate(true)"
tool = "nothing, this is a test"
traps = true
reason = "in a cell that is not run"
"#;

fn stale() -> Result<(), Failed> {
    let checkout = Project::from_build_dir();
    let root = checkout.root();
    let temp = tempfile::tempdir().map_err(|err| err.to_string())?;
    let contract = temp.path().join("contracts/all-types");
    fs::create_dir_all(contract.join("wit")).map_err(|err| err.to_string())?;
    let wit = "wit/all-types.wit";
    fs::copy(
        root.join("contracts/all-types").join(wit),
        contract.join(wit),
    )
    .map_err(|err| format!("{wit}: {err}"))?;
    fs::write(
        contract.join("contract.toml"),
        "description = \"all-types, with stale divergences\"\npackage = \"witness:all-types@0.1.0\"\nworld = \"all-types\"\nreference = \"g\"\n",
    )
    .map_err(|err| err.to_string())?;
    fs::write(contract.join("divergences.toml"), DIVERGENCES).map_err(|err| err.to_string())?;
    // The guest is the checkout's all-types Rust guest, built where the
    // checkout builds it (a no-op when it is fresh).
    let guest = temp.path().join("guests/g");
    fs::create_dir_all(&guest).map_err(|err| err.to_string())?;
    let manifest = root.join("contracts/all-types/guests/all-types-rust/Cargo.toml");
    let target = root.join("target/guests/rust");
    fs::write(
        guest.join("guest.toml"),
        format!(
            "language = \"Rust\"\ncontract = \"all-types\"\n\n[build]\ninputs = []\nsteps = [[\"cargo\", \"build\", \"--locked\", \"--release\", \"--manifest-path\", {manifest:?}, \"--target\", \"wasm32-wasip2\", \"--target-dir\", {target:?}]]\ncomponent = {component:?}\n",
            manifest = manifest.display().to_string(),
            target = target.display().to_string(),
            component = target
                .join("wasm32-wasip2/release/witness_all_types_rust.wasm")
                .display()
                .to_string(),
        ),
    )
    .map_err(|err| err.to_string())?;

    let project = Project::user(temp.path());
    let config = MatrixConfig {
        contracts: Vec::new(),
        guests: Vec::new(),
        hosts: vec!["wasmtime".to_owned()],
        suites: vec![SuiteKind::Differential, SuiteKind::Boundary],
        suite: SuiteConfig {
            voters: None,
            cases: 20,
            seed: 20_261_204,
            corpus: CorpusSource::User(project.root().to_path_buf()),
            regressions: false,
            record: false,
        },
        limits: Limits::default(),
        jobs: 1,
        last_times: matrix::CellTimes::default(),
        allowed_skips: Vec::new(),
        cell_cases: Default::default(),
    };
    let matrix = matrix::run(&project, &config, &|_| {}).map_err(|err| format!("{err:#}"))?;
    let table = matrix::render(&matrix);
    let [cell] = matrix.cells.as_slice() else {
        return Err(format!("one cell expected:\n{table}").into());
    };
    let errors: Vec<&String> = cell
        .suites
        .iter()
        .flat_map(|(_, result)| &result.errors)
        .collect();
    let known: usize = cell
        .suites
        .iter()
        .map(|(_, result)| result.known_cases)
        .sum();
    let failed: usize = cell.suites.iter().map(|(_, result)| result.failed).sum();
    let stale = |id: &str| {
        errors.iter().any(|error| {
            error.contains(&format!("`{id}` no longer reproduces"))
                && error.contains("divergences.toml")
        })
    };
    if !stale("negate-lies") || !stale("wasmtime-wraps") {
        return Err(format!(
            "both stale entries must fail the cell, naming themselves:\n{errors:#?}\n{table}"
        )
        .into());
    }
    if stale("elsewhere") || known != 0 || failed != 2 || errors.len() != 2 {
        return Err(format!(
            "only the two stale entries may fail, and nothing is known (failed {failed}, known {known}):\n{errors:#?}\n{table}"
        )
        .into());
    }
    Ok(())
}
