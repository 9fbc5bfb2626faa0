//! Measures the external hosts against one guest component: start-up time
//! (cold, with jco transpiling or wasmtime-py compiling, and warm, from the
//! caches) and calls per second with batches, and checks every outcome
//! against the native `json-format` build of the Rust guest's formatter.
//!
//! ```text
//! cargo run --release -p witness-host-external --example throughput -- \
//!     target/guests/rust/wasm32-wasip2/release/witness_guest_rust.wasm \
//!     [--hosts node,browser,python] [--batches 40] [--batch-size 500]
//! ```
//!
//! This is a benchmark, not a test: the conformance suite lives in the
//! harness, and this only reports numbers and the first differences.

use std::{env, path::PathBuf, process::ExitCode, time::Instant};

use witness_host_api::{Call, FormatOptions, GuestArtifact, Host, Outcome, Session};
use witness_host_external::{Config, ExternalHost};

struct Args {
    component: PathBuf,
    hosts: Vec<String>,
    n_batches: usize,
    batch_size: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        component: PathBuf::new(),
        hosts: vec!["node".into(), "browser".into(), "python".into()],
        n_batches: 40,
        batch_size: 500,
    };
    let mut raw = env::args().skip(1);
    while let Some(arg) = raw.next() {
        let mut value = || raw.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--hosts" => args.hosts = value()?.split(',').map(str::to_owned).collect(),
            "--batches" => {
                args.n_batches = value()?
                    .parse()
                    .map_err(|error| format!("--batches: {error}"))?
            }
            "--batch-size" => {
                args.batch_size = value()?
                    .parse()
                    .map_err(|error| format!("--batch-size: {error}"))?
            }
            _ if arg.starts_with('-') => return Err(format!("unknown flag {arg}")),
            _ => args.component = PathBuf::from(arg),
        }
    }
    if args.component.as_os_str().is_empty() {
        return Err("usage: throughput COMPONENT [--hosts node,browser,python] [--batches N] [--batch-size N]".into());
    }
    Ok(args)
}

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const SCALARS: &[&str] = &[
    "0",
    "-0",
    "1.0",
    "1e400",
    "-12.5E-3",
    "true",
    "false",
    "null",
    "\"\"",
    "\"caf\\u00e9\"",
    "\"\u{e9}t\u{e9}\"",
    "\"\\ud83d\\ude00\"",
    "\"\u{1F600}\"",
    "\"tab\\tand\\nnewline\"",
    "\"\\/\\\\\\\"\"",
    "123456789012345678901234567890",
];
const KEYS: &[&str] = &[
    "\"b\"",
    "\"a\"",
    "\"\\u0061\"",
    "\"\u{e9}\"",
    "\"z\"",
    "\"a\"",
    "\"\"",
    "\"\\ud83d\\ude00\"",
];
const SPACE: &[&str] = &["", " ", "\n", "\t", "\r\n", "  "];

fn value(rng: &mut Rng, depth: usize, out: &mut String) {
    let space = |rng: &mut Rng, out: &mut String| out.push_str(SPACE[rng.below(SPACE.len())]);
    match if depth >= 3 { 0 } else { rng.below(4) } {
        0 | 1 => out.push_str(SCALARS[rng.below(SCALARS.len())]),
        2 => {
            out.push('[');
            for item_idx in 0..rng.below(4) {
                if item_idx > 0 {
                    out.push(',');
                }
                space(rng, out);
                value(rng, depth + 1, out);
                space(rng, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            for member_idx in 0..rng.below(4) {
                if member_idx > 0 {
                    out.push(',');
                }
                space(rng, out);
                out.push_str(KEYS[rng.below(KEYS.len())]);
                space(rng, out);
                out.push(':');
                space(rng, out);
                value(rng, depth + 1, out);
            }
            out.push('}');
        }
    }
}

/// About 200-byte documents, a fifth of them broken at a random byte.
fn make_calls(rng: &mut Rng, n_calls: usize) -> Vec<Call> {
    (0..n_calls)
        .map(|_| {
            let mut input = String::from("{\"items\": ");
            while input.len() < 180 {
                input.push('[');
                value(rng, 0, &mut input);
                input.push_str(", ");
                value(rng, 1, &mut input);
                input.push(']');
                if input.len() < 180 {
                    input.push_str(", \"more\": ");
                }
            }
            input.push('}');
            if rng.below(5) == 0 {
                let mut cut = rng.below(input.len());
                while !input.is_char_boundary(cut) {
                    cut -= 1;
                }
                let junk = ["", "x", ",", "]", "\u{1}", "\\"][rng.below(6)];
                input = format!("{}{junk}{}", &input[..cut], &input[cut..]);
            }
            match rng.below(4) {
                0 => Call::Minify { input },
                1 => Call::Format {
                    input,
                    options: None,
                },
                _ => Call::Format {
                    input,
                    options: Some(FormatOptions {
                        indent: [0, 1, 2, 4, 16, 17][rng.below(6)],
                        sort_keys: rng.below(2) == 0,
                    }),
                },
            }
        })
        .collect()
}

fn native(call: &Call) -> Outcome {
    let result = match call {
        Call::Format { input, options } => json_format::format(
            input,
            options.map(|options| json_format::FormatOptions {
                indent: options.indent,
                sort_keys: options.sort_keys,
            }),
        ),
        Call::Minify { input } => json_format::minify(input),
        // This example only makes formatter calls; `normalize` is the
        // pipeline's (contracts/json-pipeline/contract.md), computed as the reference does.
        Call::Normalize { input } => json_format::format(
            input,
            Some(json_format::FormatOptions {
                indent: 2,
                sort_keys: true,
            }),
        )
        .and_then(|formatted| json_format::minify(&formatted)),
    };
    match result {
        Ok(text) => Outcome::Ok(text),
        Err(error) => Outcome::Err(error.to_string()),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let guest = GuestArtifact::new("bench", args.component.clone());
    let mut rng = Rng(0x5eed_1234_abcd_9876);
    let batches: Vec<Vec<Call>> = (0..args.n_batches)
        .map(|_| make_calls(&mut rng, args.batch_size))
        .collect();
    let expected: Vec<Vec<Outcome>> = batches
        .iter()
        .map(|batch| batch.iter().map(native).collect())
        .collect();
    let n_calls: usize = batches.iter().map(Vec::len).sum();
    let n_errs = expected
        .iter()
        .flatten()
        .filter(|outcome| matches!(outcome, Outcome::Err(_)))
        .count();
    println!(
        "{n_calls} calls in {} batches of {}, {n_errs} of them err",
        args.n_batches, args.batch_size
    );

    let config = Config::for_this_repository();
    let mut failed = false;
    for name in &args.hosts {
        let Some(host) = ExternalHost::by_name(name, config.clone()) else {
            eprintln!(
                "unknown host {name} (known: {})",
                ExternalHost::NAMES.join(", ")
            );
            return ExitCode::from(2);
        };
        let probe_started = Instant::now();
        if let Err(unavailable) = host.probe() {
            println!("{name}: skipped: {unavailable}");
            continue;
        }
        let probe_time = probe_started.elapsed();
        // The first open may transpile or compile; the second finds the cache.
        let mut open_times = Vec::new();
        let mut session = None;
        for _ in 0..2 {
            let started = Instant::now();
            match host.open_external(&guest) {
                Ok(opened) => {
                    open_times.push((started.elapsed(), opened.startup()));
                    session = Some(opened);
                }
                Err(error) => {
                    println!("{name}: {error}");
                    failed = true;
                    break;
                }
            }
        }
        let Some(mut session) = session else { continue };
        let ready = session.ready().clone();
        let started = Instant::now();
        let mut n_mismatches = 0;
        for (batch, expected) in batches.iter().zip(&expected) {
            let outcomes = match session.call_batch(batch) {
                Ok(outcomes) => outcomes,
                Err(error) => {
                    println!("{name}: {error}");
                    failed = true;
                    break;
                }
            };
            for ((call, outcome), want) in batch.iter().zip(&outcomes).zip(expected) {
                if outcome != want {
                    n_mismatches += 1;
                    if n_mismatches <= 3 {
                        println!(
                            "{name}: differs from native on {call:?}:\n  host:   {outcome:?}\n  native: {want:?}"
                        );
                    }
                }
            }
        }
        let elapsed = started.elapsed();
        failed |= n_mismatches > 0;
        println!(
            "{name}: {:.0} calls/s ({n_calls} calls in {:.2}s), {n_mismatches} differ from native; \
             probe+setup {:.2}s; open cold {:.2}s (process {:.2}s), warm {:.2}s (process {:.2}s); \
             runtime {}; limits {:?}",
            n_calls as f64 / elapsed.as_secs_f64(),
            elapsed.as_secs_f64(),
            probe_time.as_secs_f64(),
            open_times[0].0.as_secs_f64(),
            open_times[0].1.as_secs_f64(),
            open_times.get(1).map_or(0.0, |times| times.0.as_secs_f64()),
            open_times.get(1).map_or(0.0, |times| times.1.as_secs_f64()),
            ready.runtime.as_deref().unwrap_or("?"),
            ready.limits,
        );
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
