//! Composition's own trials, beside the composed rows of `cells.rs`:
//!
//! - `composition::lying::<pipeline>`: every pipeline under `pipelines/`,
//!   linked with the hostile fixture `lying` (a formatter that is not
//!   idempotent but never traps), answers `normalize` with an error that
//!   names the violated invariant, and the `valid` suite flags every case.
//!
//! They run in the wasmtime host only: what they check is inside the
//! composed component, the same in every host.

use std::sync::Arc;

use libtest_mimic::{Failed, Trial};
use witness::{
    build::{self, BuildOutcome, Built},
    compose,
    guest::{self, Guest},
    host_api::{Call, Limits, Outcome},
    hosts,
    project::Project,
    suite::{self, Cell, CorpusSource, SuiteConfig, SuiteKind},
};

pub fn trials(listing: bool) -> Vec<Trial> {
    let project = Arc::new(Project::from_build_dir());
    let Ok(pipelines) = guest::discover_pipelines(&project) else {
        return vec![Trial::test("composition::discover", || {
            Err("pipelines/ cannot be read".into())
        })];
    };
    let mut trials = Vec::new();
    for pipeline in pipelines.into_iter().flatten() {
        let skip = if listing {
            None
        } else {
            pipeline
                .probe_toolchain()
                .err()
                .map(|missing| missing.to_string())
        };
        let ignored = skip.is_some() && !witness::require_all_from_env();
        if let Some(reason) = &skip
            && ignored
        {
            eprintln!(
                "witness: skipped: composition::lying::{}: {reason}",
                pipeline.name
            );
        }
        let project = Arc::clone(&project);
        let name = format!("composition::lying::{}", pipeline.name);
        let trial = Trial::test(name, move || {
            if let Some(reason) = skip {
                return Err(format!(
                    "skipped: {reason}, and WITNESS_REQUIRE_ALL makes a skip a failure"
                )
                .into());
            }
            a_lying_formatter_is_caught(&project, &pipeline)
        });
        trials.push(trial.with_ignored_flag(ignored));
    }
    trials
}

fn built(project: &Project, guest: &Guest) -> Result<Built, Failed> {
    match build::build(project, guest) {
        BuildOutcome::Built(built) => Ok(built),
        BuildOutcome::Skipped(missing) => Err(format!("skipped: {missing}").into()),
        BuildOutcome::Failed(message) => Err(message.into()),
    }
}

fn a_lying_formatter_is_caught(project: &Project, pipeline: &Guest) -> Result<(), Failed> {
    let fixtures = project.root().join("tests/fixtures/hostile");
    let mut lying = guest::load(&fixtures.join("lying")).map_err(|err| err.to_string())?;
    lying.out_dir = Some(project.out_dir().join("fixtures/hostile/lying"));
    let name = format!("pipeline-{}+lying", pipeline.name);
    let composed = compose::compose(
        project,
        &built(project, pipeline)?,
        &built(project, &lying)?,
        &name,
    )
    .map_err(|err| format!("{err:#}"))?;
    let host =
        hosts::create(project, "wasmtime", Limits::default()).map_err(|err| format!("{err:#}"))?;
    let mut session = host
        .open(&composed.artifact())
        .map_err(|err| err.to_string())?;

    let outcomes = session
        .call_batch(&[Call::Normalize {
            input: r#"{"b": 1, "a": [1, 2]}"#.to_owned(),
        }])
        .map_err(|err| err.to_string())?;
    let expected = "invariant violated: format is idempotent";
    match &outcomes[..] {
        [Outcome::Err(message)] if message.starts_with(expected) => {}
        other => {
            return Err(
                format!("expected an error that starts with {expected:?}, got {other:?}").into(),
            );
        }
    }

    let config = SuiteConfig {
        voters: None,
        cases: 20,
        seed: 1,
        corpus: CorpusSource::User(witness::json_tools::corpus_dir(project)),
        regressions: false,
        record: false,
    };
    let cell = Cell {
        guest: name,
        host: "wasmtime".to_owned(),
        contract: composed.contract.clone(),
    };
    let result = suite::run(SuiteKind::Valid, &mut *session, &cell, &config)
        .map_err(|err| err.to_string())?;
    if result.passed != 0 || result.failed != config.cases {
        return Err(format!(
            "the valid suite must fail every case, got {}",
            result.explain(&cell, SuiteKind::Valid)
        )
        .into());
    }
    let details = &result.failures[0].details;
    if !details.iter().any(|detail| detail.contains(expected)) {
        return Err(format!("the failure must name the invariant, got {details:?}").into());
    }
    Ok(())
}
