//! What is particular to the json-tools contract and its pipeline world, in
//! the differential engine's terms: how its answers compare (errors by their
//! machine-checkable part only), which strategies feed its parameters, how
//! much fuel `normalize` gets, and `json-format` as a native voter.

use proptest::strategy::Strategy;
use witness_host_api::{
    Answer, Call, FormatOptions, Function, FunctionKey, Invocation, NORMALIZER_INTERFACE, Outcome,
    Value,
};

use crate::{
    contract::{Contract, Plugin},
    differential::{NativeVoter, Rules, Spec, Vote},
    generate::Overrides,
    project::Project,
    suite,
    suite::CorpusSource,
    verdict::Normal,
};

/// `contracts/json-tools/`.
pub fn contract_dir(project: &Project) -> std::path::PathBuf {
    project.contracts_dir().join("json-tools")
}

/// `contracts/json-tools/corpus/`: the hand-written cases.
pub fn corpus_dir(project: &Project) -> std::path::PathBuf {
    contract_dir(project).join("corpus")
}

/// `contracts/json-tools/snapshots/`: the reviewed expectations of the
/// corpus.
pub fn snapshots_dir(project: &Project) -> std::path::PathBuf {
    contract_dir(project).join("snapshots")
}

/// The project's corpus, with its snapshots.
pub fn project_corpus(project: &Project) -> CorpusSource {
    CorpusSource::Project {
        corpus_dir: corpus_dir(project),
        snapshots_dir: snapshots_dir(project),
    }
}

/// How a json-tools answer is compared: an `ok` output byte for byte, an
/// error by its `at byte N` or `invalid options` only; an error in neither
/// form, or a trap, agrees with nothing.
pub fn vote(answer: Answer) -> Vote {
    let normal = Normal::from_outcome(Outcome::of_answer(answer));
    let err = |text: String| Vote::Value(Some(Value::err(Some(Value::String(text)))));
    match normal {
        Normal::Ok { output } => Vote::Value(Some(Value::ok(Some(Value::String(output))))),
        Normal::InvalidOptions => err("invalid options".to_owned()),
        Normal::ErrAt { offset } => err(format!("at byte {offset}")),
        Normal::BadError { message } => Vote::Bad(format!(
            "err({}), in neither of the contract's forms",
            suite::json_escape(&message, 120)
        )),
        Normal::Trap { message } => Vote::Bad(format!("trap: {message}")),
    }
}

/// The json-tools calls' fuel: `normalize` makes five formatter calls
/// inside the component (`contracts/json-pipeline/contract.md`), so it gets five calls'.
pub fn fuel_calls(function: &FunctionKey) -> u64 {
    if function.interface.as_deref() == Some(NORMALIZER_INTERFACE) && function.name == "normalize" {
        5
    } else {
        1
    }
}

/// The `arbitrary` suite of a world: arbitrary and JSON-ish strings (and the
/// oracle's documents) as every `input`, the formatter's options as they
/// matter (mostly valid indents), judged differentially.
pub fn arbitrary_spec(functions: Vec<Function>) -> Spec {
    let mut spec = Spec::new("arbitrary", functions);
    let input = arbitrary_strings().prop_map(Value::String).boxed();
    let options = options().boxed();
    let mut overrides = Overrides::new();
    for function in &spec.functions {
        for (param, _) in &function.params {
            match param.as_str() {
                "input" => {
                    overrides = overrides.with(function.key.clone(), param, input.clone());
                }
                "options" => {
                    overrides = overrides.with(function.key.clone(), param, options.clone());
                }
                _ => {}
            }
        }
    }
    spec.overrides = overrides;
    spec.rules = Rules {
        vote: Box::new(|_, answer| vote(answer)),
        fuel_calls: Box::new(fuel_calls),
    };
    spec
}

/// Mostly JSON-ish text, so that the cells get deep into their parsers,
/// some entirely arbitrary strings, and some of the oracle's documents.
pub fn arbitrary_strings() -> impl Strategy<Value = String> {
    let jsonish = proptest::string::string_regex(
        r#"[ \t\r\n\[\]{}:,"\\/0-9eE+\-.a-zA-Z\u{0}-\u{1f}\u{80}-\u{7ff}\u{fffd}\u{1f600}]{0,40}"#,
    )
    .expect("a valid regex");
    proptest::prop_oneof![
        3 => jsonish,
        1 => proptest::arbitrary::any::<String>(),
        2 => witness_oracle::document().prop_map(|document| document.text()),
    ]
}

/// `format`'s options as WIT values: none, or a valid indent (the contract
/// answers `invalid options` to every indent above 16, which the `invalid`
/// suite checks).
pub fn options() -> impl Strategy<Value = Value> {
    suite::format_options().prop_map(|options: Option<FormatOptions>| {
        Value::Option(options.map(|FormatOptions { indent, sort_keys }| {
            Box::new(Value::Record(vec![
                ("indent".to_owned(), Value::U32(indent)),
                ("sort-keys".to_owned(), Value::Bool(sort_keys)),
            ]))
        }))
    })
}

/// `json-format`, the contract as a native Rust library, as a voter of a
/// contract: `format` and `minify`, or the pipeline's `normalize`; no
/// voter for any other contract.
pub fn native_voters(contract: &Contract) -> Vec<NativeVoter> {
    let name = match contract.plugin() {
        Plugin::JsonTools => "json-format",
        Plugin::JsonPipeline => "json-format-normalize",
        Plugin::Generic => return Vec::new(),
    };
    vec![NativeVoter {
        name: name.to_owned(),
        answer: Box::new(native_answer),
    }]
}

fn native_answer(invocation: &Invocation) -> Answer {
    let Some(call) = Call::of_invocation(invocation) else {
        return Answer::Trapped(format!(
            "json-format has no function {} with these arguments",
            invocation.function
        ));
    };
    let result = match suite::reference_output(&call) {
        Ok(output) => Value::ok(Some(Value::String(output))),
        Err(error) => Value::err(Some(Value::String(error.to_string()))),
    };
    Answer::Returned(Some(result))
}
