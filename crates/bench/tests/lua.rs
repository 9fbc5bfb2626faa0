//! The Lua formatter of the `native::lua` baseline (`bench/lua/jsonfmt.lua`)
//! against the contract, with no host: every json-tools corpus case through
//! mlua, held to its reviewed snapshot and declared offset as a guest's are
//! (`witness::suite`'s corpus suite), then generated documents compared with
//! the oracle's expectations and with `json-format`, the reference.
//!
//! A bench that times a wrong formatter measures nothing, so this runs with
//! `cargo test --workspace` like every other test.

use std::path::PathBuf;

use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use witness::{
    corpus::{self, Declared},
    host_api::{Call, FormatOptions, Outcome},
    project::Project,
    suite,
    verdict::{Normal, call_label},
};
use witness_bench::lua::{LuaFormatter, script_path};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn formatter() -> LuaFormatter {
    match LuaFormatter::load(&script_path(&root())) {
        Ok(formatter) => formatter,
        Err(err) => panic!("{err:#}"),
    }
}

/// The reference's answer, normalised.
fn reference(call: &Call) -> Normal {
    Normal::from_outcome(match suite::reference_output(call) {
        Ok(output) => Outcome::Ok(output),
        Err(err) => Outcome::Err(err.to_string()),
    })
}

#[test]
fn every_corpus_case_matches_its_snapshot() {
    let project = Project::from_build_dir();
    let corpus_dir = witness::json_tools::corpus_dir(&project);
    let snapshots_dir = witness::json_tools::snapshots_dir(&project);
    let formatter = formatter();
    let cases = match corpus::load(&corpus_dir, true) {
        Ok(cases) => cases,
        Err(err) => panic!("{err}"),
    };
    let (mut passed, mut calls_run, mut invalid) = (0, 0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let case = match case {
            Ok(case) => case,
            Err(err) => panic!("{err}"),
        };
        if matches!(case.declared, Declared::InvalidAt(_)) {
            invalid += 1;
        }
        let calls = corpus::calls(&case.input);
        let outcomes: Vec<Normal> = calls
            .iter()
            .map(|call| Normal::from_outcome(formatter.call(call)))
            .collect();
        calls_run += calls.len();
        let mut problems = corpus::check_declared(&case, &calls, &outcomes);
        for (call, outcome) in calls.iter().zip(&outcomes) {
            if let Normal::BadError { .. } | Normal::Trap { .. } = outcome {
                problems.push(format!("{}: {outcome}", call_label(call)));
            }
        }
        let path = snapshots_dir.join(format!("{}.snap", corpus::snapshot_name(&case)));
        let rendered = corpus::render(&case, &calls, &outcomes);
        match corpus::read_snapshot(&path) {
            Ok(Some(expected)) if expected == rendered => {}
            Ok(Some(expected)) => problems.push(format!(
                "differs from {}:\n--- expected\n{}\n--- lua\n{}",
                path.display(),
                first_lines(&expected),
                first_lines(&rendered)
            )),
            Ok(None) => problems.push(format!("no snapshot {}", path.display())),
            Err(err) => problems.push(format!("{err:#}")),
        }
        if problems.is_empty() {
            passed += 1;
        } else {
            failures.push(format!("{}:\n  {}", case.id, problems.join("\n  ")));
        }
    }
    println!(
        "native::lua: {passed} of {} corpus cases passed ({invalid} of them invalid inputs), {calls_run} calls",
        passed + failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} corpus cases failed in bench/lua/jsonfmt.lua:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The corpus has a few hundred cases; a handful means it was not found.
    assert!(passed > 100, "only {passed} corpus cases were found");
}

/// The first 40 lines of a rendering (the corpus has megabyte outputs).
fn first_lines(text: &str) -> String {
    text.lines().take(40).collect::<Vec<_>>().join("\n")
}

/// Checks the Lua formatter's answer to `call` against the reference's and,
/// where there is one, the oracle's.
fn agree(
    formatter: &LuaFormatter,
    call: &Call,
    oracle: Option<&Normal>,
) -> Result<(), TestCaseError> {
    let lua = Normal::from_outcome(formatter.call(call));
    let reference = reference(call);
    prop_assert!(
        lua.agrees_with(&reference),
        "{}: lua gave {lua}, json-format gave {reference}",
        call_label(call)
    );
    if let Some(oracle) = oracle {
        prop_assert!(
            lua.agrees_with(oracle),
            "{}: lua gave {lua}, the oracle expects {oracle}",
            call_label(call)
        );
    }
    Ok(())
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

fn format_call(input: &str, indent: u32, sort_keys: bool) -> Call {
    Call::Format {
        input: input.to_owned(),
        options: Some(FormatOptions { indent, sort_keys }),
    }
}

#[test]
fn generated_valid_documents_agree_with_the_oracle_and_json_format() {
    let formatter = formatter();
    let strategy = (
        prop_oneof![
            20 => witness_oracle::document(),
            1 => witness_oracle::deep_document(witness_oracle::MAX_DEPTH),
        ],
        0..=witness_oracle::MAX_INDENT,
        any::<bool>(),
    );
    let result = runner(500).run(&strategy, |(document, indent, sort_keys)| {
        let text = document.text();
        let expected = |output: String| Normal::Ok { output };
        agree(
            &formatter,
            &format_call(&text, indent, sort_keys),
            Some(&expected(document.format(indent, sort_keys))),
        )?;
        agree(
            &formatter,
            &Call::Format {
                input: text.clone(),
                options: None,
            },
            Some(&expected(document.format(2, false))),
        )?;
        agree(
            &formatter,
            &Call::Minify {
                input: text.clone(),
            },
            Some(&expected(document.minify())),
        )?;
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

#[test]
fn generated_invalid_documents_fail_at_the_oracle_offset() {
    let formatter = formatter();
    let strategy = (witness_oracle::invalid_document(), 0..=20u32, any::<bool>());
    let result = runner(500).run(&strategy, |(invalid, indent, sort_keys)| {
        let expected = if indent > witness_oracle::MAX_INDENT {
            Normal::InvalidOptions
        } else {
            Normal::ErrAt {
                offset: invalid.offset,
            }
        };
        agree(
            &formatter,
            &format_call(&invalid.text, indent, sort_keys),
            Some(&expected),
        )
        .map_err(|err| TestCaseError::fail(format!("{} ({})", err, invalid.mutation)))?;
        agree(
            &formatter,
            &Call::Minify {
                input: invalid.text.clone(),
            },
            Some(&Normal::ErrAt {
                offset: invalid.offset,
            }),
        )
        .map_err(|err| TestCaseError::fail(format!("{} ({})", err, invalid.mutation)))
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}

/// Short texts over JSON's alphabet and its near misses (the characters
/// that start a token, escapes, other whitespace, a BOM, non-ASCII), most
/// of them invalid somewhere: the offsets must still be the reference's.
#[test]
fn arbitrary_texts_agree_with_json_format() {
    let formatter = formatter();
    let alphabet = proptest::string::string_regex(
        "[\\[\\]{}\":, \t\n\r\\\\/0-9eE.+\\-truefalsn\u{0}\u{1f}\u{0b}\u{a0}\u{2028}\u{feff}é😀bdDuUxcC]{0,48}",
    )
    .expect("a valid regex");
    let texts = prop_oneof![
        alphabet,
        // Valid documents cut or spliced at an arbitrary character.
        (
            witness_oracle::document(),
            any::<prop::sample::Index>(),
            any::<char>()
        )
            .prop_map(|(document, at, extra)| {
                let text = document.text();
                let cut: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
                let at = if cut.is_empty() {
                    0
                } else {
                    cut[at.index(cut.len())]
                };
                format!("{}{extra}{}", &text[..at], &text[at..])
            }),
    ];
    let result = runner(500).run(&(texts, any::<bool>()), |(text, sort_keys)| {
        agree(&formatter, &format_call(&text, 4, sort_keys), None)?;
        agree(&formatter, &Call::Minify { input: text }, None)
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}
