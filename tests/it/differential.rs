//! The differential verdict, tested on a planted difference:
//! `differential::planted::<host>` runs the `arbitrary` suite on the hostile
//! fixture `planted` (the Rust guest, except that `minify` drops the last
//! byte of its output when the input holds a carriage return) in every
//! host, with the project's formatter guests and `json-format` as voters.
//!
//! `differential::planted-all-types::<host>` does the same for a contract
//! witness has no code for: the generic `differential` suite on the fixture
//! `all-types-planted` (the all-types contract's Rust guest, except that
//! `invert` loses the ninth flag), judged by a majority of the contract's
//! guests.
//!
//! Nothing tells the suite what the bug is: the fixture must be outvoted on
//! that class of input and on nothing else, and its failures must be shrunk
//! to a minimal call in WAVE with a repro command.

use std::sync::{Arc, OnceLock};

use libtest_mimic::{Failed, Trial};
use witness::{
    build::{self, BuildOutcome},
    contract::Contract,
    differential::VoterPool,
    guest::{self, Guest},
    host_api::{GuestArtifact, Limits},
    hosts,
    project::Project,
    suite::{self, Cell, CorpusSource, SuiteConfig, SuiteKind, SuiteResult},
};

/// The cases drawn: a carriage return is one of the 60-odd characters of the
/// JSON-ish strings, so a few hundred cases hold many.
const CASES: usize = 300;

pub fn trials(listing: bool) -> Vec<Trial> {
    let shared: Arc<OnceLock<Result<Arc<SuiteConfig>, String>>> = Arc::default();
    let require_all = witness::require_all_from_env();
    let planted: [(&str, PlantedCheck); 2] = [
        ("planted", planted_is_caught),
        ("planted-all-types", planted_all_types_is_caught),
    ];
    planted
        .into_iter()
        .flat_map(|check| hosts::NAMES.iter().map(move |host_name| (check, host_name)))
        .map(|((trial, check), host_name)| {
            let name = format!("differential::{trial}::{host_name}");
            // Listing runs nothing; otherwise a host that cannot run here
            // makes the trial ignored, or failed under WITNESS_REQUIRE_ALL.
            let skip = if listing {
                None
            } else {
                unavailable(host_name)
            };
            if let Some(reason) = &skip
                && !require_all
            {
                eprintln!("witness: skipped: {name}: {reason}");
            }
            let ignored = skip.is_some() && !require_all;
            let shared = Arc::clone(&shared);
            Trial::test(name, move || {
                if let Some(reason) = skip {
                    return Err(format!(
                        "skipped: {reason}, and WITNESS_REQUIRE_ALL makes a skip a failure"
                    )
                    .into());
                }
                let config = shared.get_or_init(voting_config).clone()?;
                check(&config, host_name)
            })
            .with_ignored_flag(ignored)
        })
        .collect()
}

/// Why `host_name` cannot run here, if it cannot.
fn unavailable(host_name: &str) -> Option<String> {
    let project = Project::from_build_dir();
    match hosts::create(&project, host_name, Limits::default()) {
        Ok(host) => host
            .probe()
            .err()
            .map(|unavailable| format!("host `{host_name}` unavailable: {unavailable}")),
        Err(err) => Some(format!("{err:#}")),
    }
}

/// A trial's check, in one host.
type PlantedCheck = fn(&SuiteConfig, &str) -> Result<(), Failed>;

/// A fixed seed (the case is a regression test of the engine, not a search)
/// and the project's guests as the voters of their contracts.
fn voting_config() -> Result<Arc<SuiteConfig>, String> {
    let project = Project::from_build_dir();
    let require_all = witness::require_all_from_env();
    let allowed = witness::allowed_skips_from_env().map_err(|err| format!("{err:#}"))?;
    let mut voters: Vec<(Contract, GuestArtifact)> = Vec::new();
    for found in guest::discover(&project).map_err(|err| err.to_string())? {
        let guest = found.map_err(|err| err.to_string())?;
        match build::build(&project, &guest) {
            BuildOutcome::Built(built) => voters.push((guest.contract.clone(), built.artifact())),
            // A guest whose toolchain is missing does not vote; under
            // WITNESS_REQUIRE_ALL only when WITNESS_ALLOW_SKIP allows it.
            BuildOutcome::Skipped(missing) => {
                let reason = missing.to_string();
                let allowance = allowed
                    .iter()
                    .find(|allowed| allowed.covers(&guest.name, &reason));
                if require_all && allowance.is_none() {
                    return Err(format!(
                        "voter {}: skipped: {reason}, and WITNESS_REQUIRE_ALL makes a skip a failure",
                        guest.name
                    ));
                }
                eprintln!("witness: {} does not vote: skipped: {reason}", guest.name);
            }
            BuildOutcome::Failed(message) => return Err(message),
        }
    }
    let pool = VoterPool::new(project.clone(), Limits::default(), move |contract| {
        Ok(voters
            .iter()
            .filter(|(of, _)| of == contract)
            .map(|(_, artifact)| artifact.clone())
            .collect())
    });
    Ok(Arc::new(SuiteConfig {
        voters: Some(Arc::new(pool)),
        cases: CASES,
        seed: 20_261_204,
        corpus: CorpusSource::User(witness::json_tools::corpus_dir(&project)),
        regressions: false,
        record: false,
    }))
}

fn built(project: &Project, guest: &Guest) -> Result<GuestArtifact, String> {
    match build::build(project, guest) {
        BuildOutcome::Built(built) => Ok(built.artifact()),
        BuildOutcome::Skipped(missing) => Err(format!("skipped: {missing}")),
        BuildOutcome::Failed(message) => Err(message),
    }
}

/// Runs the differential `suite` on the fixture in `tests/fixtures/<fixture>`
/// (built into `target/witness/fixtures/<fixture>`) in `host_name`: its
/// result, and the account of it.
fn run_fixture(
    config: &SuiteConfig,
    fixture: &str,
    host_name: &str,
    suite: SuiteKind,
) -> Result<(SuiteResult, String), Failed> {
    let project = Project::from_build_dir();
    let mut planted = guest::load(&project.root().join("tests/fixtures").join(fixture))
        .map_err(|err| err.to_string())?;
    planted.out_dir = Some(project.out_dir().join("fixtures").join(fixture));
    let artifact = built(&project, &planted)?;
    let host =
        hosts::create(&project, host_name, Limits::default()).map_err(|err| format!("{err:#}"))?;
    let mut session = host.open(&artifact).map_err(|err| err.to_string())?;
    let cell = Cell {
        guest: planted.name.clone(),
        host: host_name.to_owned(),
        contract: planted.contract.clone(),
    };
    let result = suite::run(suite, &mut *session, &cell, config).map_err(|err| err.to_string())?;
    let account = result.explain(&cell, suite);
    Ok((result, account))
}

fn planted_is_caught(config: &SuiteConfig, host_name: &str) -> Result<(), Failed> {
    let (result, account) =
        run_fixture(config, "hostile/planted", host_name, SuiteKind::Arbitrary)?;
    if result.failed == 0 || result.passed == 0 {
        return Err(format!(
            "the planted difference must fail some cases and pass others:\n{account}"
        )
        .into());
    }
    if !result.errors.is_empty() {
        return Err(format!("the suite reported errors:\n{account}").into());
    }
    // Every failure is of the planted class, so no correct answer was
    // outvoted: a `minify` whose input holds a carriage return.
    for failure in &result.failures {
        let call = failure
            .call
            .as_deref()
            .ok_or("a differential failure without its call")?;
        if !(call.starts_with("minify(") && call.contains("\\r")) {
            return Err(format!("a failure outside the planted class: {call}\n{account}").into());
        }
    }
    let first = &result.failures[0];
    let call = first.call.as_deref().unwrap_or_default();
    if first.shrink_steps.is_none() || call.len() > 24 {
        return Err(format!(
            "the first failure must be shrunk to a short call, got {call}\n{account}"
        )
        .into());
    }
    let repro = format!("cargo xtask repro --guest planted --host {host_name} --call 'minify(");
    if !first.repro.starts_with(&repro) {
        return Err(format!(
            "the repro command must name the cell and the call, got {}",
            first.repro
        )
        .into());
    }
    let details = first.details.join("\n");
    for needle in [
        "planted::",
        "(this cell)",
        "a majority of the",
        "native::json-format",
        "rust::wasmtime",
    ] {
        if !details.contains(needle) {
            return Err(format!("the account lacks {needle:?}:\n{details}").into());
        }
    }
    Ok(())
}

fn planted_all_types_is_caught(config: &SuiteConfig, host_name: &str) -> Result<(), Failed> {
    let (result, account) = run_fixture(
        config,
        "all-types-planted",
        host_name,
        SuiteKind::Differential,
    )?;
    if result.failed == 0 || result.passed == 0 || !result.errors.is_empty() {
        return Err(format!(
            "the planted difference must fail some cases and pass others, with no errors:\n{account}"
        )
        .into());
    }
    // The reviewed snapshot of the contract's corpus of calls catches it
    // too, naming the answer that changed.
    let snapshot = result
        .failures
        .iter()
        .find(|failure| failure.case == "differential-snapshot")
        .ok_or_else(|| format!("the snapshot of calls.wave must fail:\n{account}"))?;
    let differs = snapshot.details.join("\n");
    if !differs.contains("differ from the reviewed snapshot")
        || !differs.contains("{read, write, exec, admin, owner, group, other, sticky, setuid}")
    {
        return Err(format!("the snapshot's failure must show the lost flag:\n{differs}").into());
    }
    // Every other failure is of the planted class: an `invert` whose input
    // lacks `setuid`, so that the right answer has it.
    for failure in result
        .failures
        .iter()
        .filter(|failure| failure.call.is_some())
    {
        let call = failure.call.as_deref().unwrap_or_default();
        if !call.starts_with("invert(") || call.contains("setuid") {
            return Err(format!("a failure outside the planted class: {call}\n{account}").into());
        }
    }
    // The corpus's `invert({})` fails as it is; a generated case is shrunk
    // to the same minimal call.
    let shrunk = result
        .failures
        .iter()
        .find(|failure| failure.shrink_steps.is_some())
        .ok_or_else(|| format!("no generated case was caught and shrunk:\n{account}"))?;
    let call = shrunk.call.as_deref().unwrap_or_default();
    if call != "invert({})" {
        return Err(
            format!("the failure must shrink to invert({{}}), got {call}\n{account}").into(),
        );
    }
    let repro = format!(
        "cargo xtask repro --guest all-types-planted --host {host_name} --call 'invert({{}})'"
    );
    if shrunk.repro != repro {
        return Err(format!("the repro command must be {repro}, got {}", shrunk.repro).into());
    }
    let details = shrunk.details.join("\n");
    for needle in [
        "all-types-planted::",
        "(this cell): {read, write, exec, admin, owner, group, other, sticky}",
        "a majority of the",
        "all-types-rust::wasmtime: {read, write, exec, admin, owner, group, other, sticky, setuid}",
    ] {
        if !details.contains(needle) {
            return Err(format!("the account lacks {needle:?}:\n{details}").into());
        }
    }
    Ok(())
}
