//! `cargo xtask repro`: run one call in one cell, beside the reference.

use std::{fs, process::ExitCode};

use anyhow::Context as _;
use witness::{
    host_api::{Call, FormatOptions, Limits, Outcome},
    hosts,
    matrix::{self, GuestStatus},
    project::Project,
    suite,
    verdict::{Normal, call_label, diff},
};

use crate::flags;

pub fn run(project: &Project, flags: &flags::Repro) -> anyhow::Result<ExitCode> {
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
    let call = match flags.function.as_str() {
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
    // The matrix's own row builder: a guest, or a composed row
    // (`pipeline-rust+go`), which it builds and links.
    let rows = matrix::build_guests(project, std::slice::from_ref(&flags.guest), &|_| {})?;
    let row = rows
        .into_iter()
        .find(|row| row.name == flags.guest)
        .context("the guest's row")?;
    let built = match row.status {
        GuestStatus::Built(built) => built,
        GuestStatus::Skipped { reason } => {
            anyhow::bail!("guest `{}` is skipped here: {reason}", flags.guest)
        }
        GuestStatus::Failed { message } => anyhow::bail!("{message}"),
    };
    let host = hosts::create(project, &flags.host, Limits::default())?;
    host.probe().map_err(|unavailable| {
        anyhow::anyhow!("host `{}` is unavailable: {unavailable}", flags.host)
    })?;
    let artifact = built.artifact();
    let mut session = host.open(&artifact)?;
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
