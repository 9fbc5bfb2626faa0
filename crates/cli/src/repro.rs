//! `cargo xtask repro`: run one call in one cell, beside the reference, or
//! (`--call`, in WAVE) beside every voter of its contract.

use std::{fs, process::ExitCode};

use anyhow::Context as _;
use witness::{
    build::Built,
    differential,
    host_api::{Call, FormatOptions, Function, Invocation, Limits, Outcome, Session},
    hosts,
    matrix::{self, GuestStatus},
    project::Project,
    suite::{self, SuiteKind},
    verdict::{Normal, call_label, diff},
};

use witness::value::wave;

use crate::flags;

pub fn run(project: &Project, flags: &flags::Repro) -> anyhow::Result<ExitCode> {
    if let Some(call) = &flags.call {
        return run_call(project, flags, call);
    }
    let input = match (&flags.input_json, &flags.input_file) {
        (Some(json), None) => serde_json::from_str::<String>(json)
            .with_context(|| format!("--input-json {json}: not a JSON string literal"))?,
        (None, Some(path)) => {
            let bytes = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            String::from_utf8(bytes).map_err(|err| {
                anyhow::anyhow!(
                    "{}: not representable as a WIT string: invalid UTF-8 at byte {}",
                    path.display(),
                    err.utf8_error().valid_up_to()
                )
            })?
        }
        _ => anyhow::bail!("give the input with --input-json or --input-file"),
    };
    let call = match flags.function.as_deref().unwrap_or("format") {
        "minify" => Call::Minify { input },
        "normalize" => Call::Normalize { input },
        _ => Call::Format {
            input,
            options: (flags.indent.is_some() || flags.sort_keys).then(|| FormatOptions {
                indent: flags.indent.unwrap_or(2),
                sort_keys: flags.sort_keys,
            }),
        },
    };
    let built = built_row(project, &flags.guest)?;
    let mut session = open(project, &flags.host, &built)?;
    let outcome = session.call_batch(std::slice::from_ref(&call))?;
    let actual = Normal::of(outcome.first().context("the host answered nothing")?);
    let expected = suite::reference(&call);
    println!(
        "call: {} on {} ({} bytes)",
        call_label(&call),
        suite::json_escape(call.input(), 200),
        call.input().len()
    );
    println!("{}::{}: {actual}", flags.guest, flags.host);
    println!("reference: {expected}");
    if let Outcome::Err(message) | Outcome::Trap(message) = &outcome[0] {
        println!("message: {message}");
    }
    if actual.agrees_with(&expected) {
        println!("they agree");
        return Ok(ExitCode::SUCCESS);
    }
    if let (Some(expected), Some(actual)) = (expected.output(), actual.output()) {
        print!("{}", diff(expected, actual));
    }
    println!("they differ");
    Ok(ExitCode::FAILURE)
}

/// The row of `guest`: built, or built and linked (`pipeline-rust+go`), by
/// the matrix's own row builder.
fn built_row(project: &Project, guest: &str) -> anyhow::Result<Built> {
    let rows = matrix::build_guests(project, &[guest.to_owned()], &|_| {})?;
    let row = rows
        .into_iter()
        .find(|row| row.name == guest)
        .context("the guest's row")?;
    match row.status {
        GuestStatus::Built(built) => Ok(built),
        GuestStatus::Skipped { reason } => {
            anyhow::bail!("guest `{guest}` is skipped here: {reason}")
        }
        GuestStatus::Failed { message } => anyhow::bail!("{message}"),
    }
}

fn open(project: &Project, host_name: &str, built: &Built) -> anyhow::Result<Box<dyn Session>> {
    let host = hosts::create(project, host_name, Limits::default())?;
    host.probe().map_err(|unavailable| {
        anyhow::anyhow!("host `{host_name}` is unavailable: {unavailable}")
    })?;
    Ok(host.open(&built.artifact())?)
}

/// `--call`: one call in WAVE, in the cell and in every voter of its world.
fn run_call(project: &Project, flags: &flags::Repro, text: &str) -> anyhow::Result<ExitCode> {
    let parsed = wave::parse_call(text).map_err(|err| anyhow::anyhow!("--call {text}: {err}"))?;
    let built = built_row(project, &flags.guest)?;
    let candidates: Vec<&Function> = built
        .functions
        .iter()
        .filter(|function| function.key.name == parsed.name())
        .collect();
    let function = match candidates.as_slice() {
        [function] => *function,
        [] => anyhow::bail!(
            "--call {text}: the world `{}` of contract `{}` exports no function `{}` (it exports {})",
            built.contract.world(),
            built.contract,
            parsed.name(),
            built
                .functions
                .iter()
                .map(|function| function.key.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        _ => anyhow::bail!(
            "--call {text}: more than one exported interface has `{}`",
            parsed.name()
        ),
    };
    let args = parsed
        .args(function)
        .map_err(|err| anyhow::anyhow!("--call {text}: {err} (the function is `{function}`)"))?;
    // The contract's differential suite: how its answers compare.
    let spec = SuiteKind::of(&built.contract)
        .iter()
        .find_map(|suite| suite::differential_spec(&built.contract, *suite))
        .with_context(|| {
            format!(
                "the contract `{}` has no differential suite",
                built.contract
            )
        })?;
    let invocation = Invocation {
        function: function.key.clone(),
        args,
        fuel_calls: (spec.rules.fuel_calls)(&function.key),
    };
    let mut session = open(project, &flags.host, &built)?;
    let answer =
        differential::call_in_batches(session.as_mut(), std::slice::from_ref(&invocation))?
            .pop()
            .context("the host answered nothing")?;
    let mine = spec.vote(&invocation.function, answer);
    // Every row of the contract votes, as in the matrix.
    let rows = matrix::build_guests(project, &[], &|_| {})?;
    let pool = matrix::voter_pool(project, &rows, Limits::default());
    let voters = pool.voters(&built.contract).map_err(anyhow::Error::msg)?;
    for absent in &voters.absent {
        println!("{absent}");
    }
    let votes = voters
        .vote_now(&spec, std::slice::from_ref(&invocation))
        .map_err(anyhow::Error::msg)?
        .pop()
        .unwrap_or_default();
    println!("call: {}", wave::call(function, &invocation.args));
    let cell = format!("{}::{}", flags.guest, flags.host);
    let agreed = differential::consensus(&spec, voters.names(), &votes)
        .is_some_and(|consensus| mine.agrees_with(consensus));
    println!(
        "{}",
        differential::describe(&spec, &cell, &mine, voters.names(), &votes)
    );
    if agreed {
        println!("it agrees with the consensus");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("it disagrees with the consensus");
        // A recorded divergence that explains it is named, so that the
        // answer is not mistaken for a new bug (nor for a pass).
        let consensus = differential::consensus(&spec, voters.names(), &votes);
        if let Some(differential::Vote::Value(Some(expected))) = consensus {
            let seen = match &mine {
                differential::Vote::Value(Some(actual)) => {
                    Some(witness::known::Seen::Value(actual))
                }
                differential::Vote::Bad(_) => Some(witness::known::Seen::Trap),
                differential::Vote::Value(None) => None,
            };
            let divergences = witness::known::of(&built.contract).map_err(anyhow::Error::msg)?;
            let call = wave::call(function, &invocation.args);
            let explaining = divergences.iter().filter(|divergence| {
                seen.is_some_and(|seen| {
                    divergence.explains((&flags.guest, &flags.host), &call, expected, seen)
                })
            });
            for divergence in explaining {
                println!(
                    "this is the known divergence `{}` ({}): {}",
                    divergence.id,
                    built.contract.dir().join(witness::known::FILE).display(),
                    divergence.reason
                );
            }
        }
        Ok(ExitCode::FAILURE)
    }
}
