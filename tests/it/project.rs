//! witness on a project outside this checkout: `project::example` copies
//! `examples/wordcount/` (a contract of its own and a Rust guest) to a
//! temporary directory, runs the matrix on it as `--project DIR` does, and
//! checks that every cell passes; then it adds a second guest with a planted
//! difference (words split at ASCII spaces only) and checks that its cells
//! fail, with a shrunk call and a repro command that names the project.

use std::{fs, path::Path};

use libtest_mimic::{Failed, Trial};
use walkdir::WalkDir;
use witness::{
    host_api::Limits,
    matrix::{self, CellStatus, Matrix, MatrixConfig},
    project::Project,
    suite::{CorpusSource, SuiteConfig, SuiteKind},
};

/// The hosts the example runs in: the in-process one and one external one
/// keep the trial short; the matrix trials cover every host.
const HOSTS: [&str; 2] = ["wasmtime", "python"];

pub fn trials() -> Vec<Trial> {
    vec![Trial::test("project::example", example)]
}

fn example() -> Result<(), Failed> {
    let checkout = Project::from_build_dir();
    let temp = tempfile::tempdir().map_err(|err| err.to_string())?;
    let root = temp.path().join("wordcount");
    copy_dir(&checkout.root().join("examples/wordcount"), &root)?;
    if root.starts_with(checkout.root()) {
        return Err(format!("{} is inside the checkout", root.display()).into());
    }
    let project = Project::open(&root).map_err(|err| err.to_string())?;

    let matrix = run(&project)?;
    let table = matrix::render(&matrix);
    if matrix.failed(true) || matrix.cells.len() != HOSTS.len() {
        return Err(format!("the example must pass in every cell:\n{table}").into());
    }

    // A second guest: the same crate, but words split at ASCII spaces only.
    let ascii = root.join("guests/ascii");
    copy_dir(&root.join("guests/rust"), &ascii)?;
    edit(&ascii.join("src/lib.rs"), |text| {
        text.replace(
            "split_whitespace()",
            "split(' ').filter(|word| !word.is_empty())",
        )
    })?;
    for file in ["Cargo.toml", "Cargo.lock"] {
        edit(&ascii.join(file), |text| {
            text.replace("name = \"wordcount-rust\"", "name = \"wordcount-ascii\"")
        })?;
    }
    edit(&ascii.join("guest.toml"), |text| {
        text.replace("wordcount_rust.wasm", "wordcount_ascii.wasm")
    })?;

    let matrix = run(&project)?;
    let table = matrix::render(&matrix);
    for cell in &matrix.cells {
        let failed = cell.failed() > 0;
        if !matches!(cell.status, CellStatus::Ran) || failed != (cell.guest == "ascii") {
            return Err(format!(
                "only the planted guest's cells must fail, and every cell must run:\n{table}"
            )
            .into());
        }
        if cell.guest != "ascii" {
            continue;
        }
        let (_, result) = &cell.suites[0];
        let shrunk = result
            .failures
            .iter()
            .find(|failure| failure.shrink_steps.is_some())
            .ok_or_else(|| format!("{}: no failure was shrunk:\n{table}", cell.host))?;
        let call = shrunk.call.as_deref().unwrap_or_default();
        let repro = format!(
            "cargo xtask --project {} repro --guest ascii --host {} --call '",
            root.display(),
            cell.host
        );
        if !(call.starts_with("count(") || call.starts_with("split(")) || call.len() > 40 {
            return Err(format!("{}: the shrunk call is {call}", cell.host).into());
        }
        if !shrunk.repro.starts_with(&repro) {
            return Err(format!(
                "the repro must name the project: {}\nexpected it to start with {repro}",
                shrunk.repro
            )
            .into());
        }
        if !shrunk
            .details
            .join("\n")
            .contains("the reference guest `rust` decides")
        {
            return Err(
                format!("the contract's reference must decide: {:?}", shrunk.details).into(),
            );
        }
    }
    Ok(())
}

/// The matrix of `project` in [`HOSTS`], with a fixed seed.
fn run(project: &Project) -> Result<Matrix, Failed> {
    let config = MatrixConfig {
        contracts: Vec::new(),
        guests: Vec::new(),
        hosts: HOSTS.map(str::to_owned).to_vec(),
        suites: SuiteKind::ALL.to_vec(),
        suite: SuiteConfig {
            voters: None,
            cases: 200,
            seed: 20_261_204,
            corpus: CorpusSource::User(project.root().to_path_buf()),
            regressions: false,
            record: false,
        },
        limits: Limits::default(),
        jobs: 2,
        last_times: matrix::CellTimes::default(),
        allowed_skips: Vec::new(),
    };
    matrix::run(project, &config, &|_| {}).map_err(|err| format!("{err:#}").into())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), Failed> {
    for entry in WalkDir::new(from) {
        let entry = entry.map_err(|err| err.to_string())?;
        let relative = entry
            .path()
            .strip_prefix(from)
            .map_err(|err| err.to_string())?;
        if relative.starts_with("target") {
            continue;
        }
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).map_err(|err| err.to_string())?;
        } else {
            fs::copy(entry.path(), &target)
                .map_err(|err| format!("copying {}: {err}", entry.path().display()))?;
        }
    }
    Ok(())
}

fn edit(path: &Path, change: impl Fn(&str) -> String) -> Result<(), Failed> {
    let text = fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let changed = change(&text);
    if changed == text {
        return Err(format!("{}: the edit changed nothing", path.display()).into());
    }
    fs::write(path, changed).map_err(|err| format!("{}: {err}", path.display()).into())
}
