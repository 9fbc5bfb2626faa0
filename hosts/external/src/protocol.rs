//! The lines of the witness host protocol (`docs/host-protocol.md`): the
//! ready line, the batch header, the outcome lines and the end line.
//!
//! Calls and outcomes are the serde forms of [`Call`] and [`Outcome`] from
//! `witness-host-api`, so that the protocol and the library can't drift apart.

use serde::{Deserialize, Serialize};
use witness_host_api::{Answer, Call, FormatOptions, Invocation, Outcome, Type, Value};
use witness_value::wire;

/// The first line a host process prints, once it has loaded the guest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ready {
    /// `true` when the guest is loaded and calls may follow; `false` when it
    /// could not be loaded, and then `error` says why.
    pub ready: bool,
    /// The host's name, for example `node`.
    pub host: String,
    /// What runs the guest, with versions, for example
    /// `node v20.20.2, jco 1.35.0`.
    #[serde(default)]
    pub runtime: Option<String>,
    /// Which limits the host enforces.
    #[serde(default)]
    pub limits: EnforcedLimits,
    /// Why the guest could not be loaded, when `ready` is `false`.
    #[serde(default)]
    pub error: Option<String>,
    /// The interfaces the host lets the guest call (`--allow-imports`, echoed
    /// back), without versions; every other import traps with a message
    /// naming it.  `None` means the host does not enforce the capability
    /// policy.
    #[serde(default, rename = "allowed-imports")]
    pub allowed_imports: Option<Vec<String>>,
    /// The host reads a call's input as a raw string (docs/host-protocol.md,
    /// "Raw strings"); without it, inputs are sent inside the call lines.
    #[serde(default, rename = "raw-strings")]
    pub raw_strings: bool,
    /// The protocol the host speaks: 2 for typed calls of any function
    /// (docs/host-protocol.md, "Protocol 2"); absent means 1.
    #[serde(default)]
    pub protocol: Option<u32>,
    /// With protocol 2: the functions of `--functions` that the component
    /// exports, with their types as the host sees them, in the wire form.
    #[serde(default)]
    pub functions: Option<Vec<serde_json::Value>>,
}

/// The limits a host enforces on every call: a value is the limit in force,
/// `None` (`null` on the wire) means the host cannot enforce that limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct EnforcedLimits {
    /// Fuel per call.
    #[serde(default)]
    pub fuel_per_call: Option<u64>,
    /// The size in bytes linear memory may grow to.
    #[serde(default)]
    pub memory_bytes: Option<u64>,
}

/// The line that starts a batch: `{"batch": id, "calls": n}`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
struct BatchHeader {
    batch: u64,
    calls: usize,
}

/// The line that ends the answer to a batch: `{"end": id}`.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchEnd {
    end: u64,
}

/// A call line without its input, which went before it as a raw string.
#[derive(Serialize)]
struct CallHead<'a> {
    #[serde(rename = "fn")]
    function: &'a str,
    /// `format`'s options (`null` for none); the other functions have none.
    #[serde(skip_serializing_if = "Option::is_none")]
    options: Option<Option<FormatOptions>>,
}

/// An outcome line whose value may have gone before it as a raw string.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutcomeHead {
    outcome: OutcomeKind,
    #[serde(default)]
    value: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum OutcomeKind {
    Ok,
    Err,
    Trap,
}

/// Writes `#N`, a newline, the N bytes of `text` and a newline.
fn push_raw(out: &mut Vec<u8>, text: &str) {
    out.push(b'#');
    out.extend_from_slice(text.len().to_string().as_bytes());
    out.push(b'\n');
    out.extend_from_slice(text.as_bytes());
    out.push(b'\n');
}

/// The N of a `#N` line that introduces a raw string, or `None` for any
/// other line.  JSON lines never start with `#`.
pub(crate) fn raw_string_length(line: &[u8]) -> Option<u64> {
    let digits = line.strip_prefix(b"#")?;
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Writes a batch header and one line per call; with `raw_strings`, each
/// call's input goes before its line as a raw string instead of inside it.
pub(crate) fn encode_batch(batch_id: u64, calls: &[Call], raw_strings: bool) -> Vec<u8> {
    let approximate_len = calls
        .iter()
        .map(|call| call.input().len() + 64)
        .sum::<usize>()
        + 64;
    let mut out = Vec::with_capacity(approximate_len);
    let header = BatchHeader {
        batch: batch_id,
        calls: calls.len(),
    };
    // Serializing these types into a Vec cannot fail: they hold only
    // strings, integers and booleans.
    let _ = serde_json::to_writer(&mut out, &header);
    out.push(b'\n');
    for call in calls {
        if raw_strings {
            push_raw(&mut out, call.input());
            let head = CallHead {
                function: call.function(),
                options: match call {
                    Call::Format { options, .. } => Some(*options),
                    Call::Minify { .. } | Call::Normalize { .. } => None,
                },
            };
            let _ = serde_json::to_writer(&mut out, &head);
        } else {
            let _ = serde_json::to_writer(&mut out, call);
        }
        out.push(b'\n');
    }
    out
}

/// Writes a protocol 2 batch: the header and one line per invocation; with
/// `raw_strings`, each top-level `string` argument goes before its line as a
/// raw string and is `null` in it.
pub(crate) fn encode_invocations(
    batch_id: u64,
    invocations: &[Invocation],
    raw_strings: bool,
) -> Vec<u8> {
    let approximate_len = invocations
        .iter()
        .map(|invocation| {
            invocation
                .args
                .iter()
                .map(|arg| arg.as_str().map_or(16, str::len))
                .sum::<usize>()
                + 96
        })
        .sum::<usize>()
        + 64;
    let mut out = Vec::with_capacity(approximate_len);
    let header = BatchHeader {
        batch: batch_id,
        calls: invocations.len(),
    };
    // Serializing these into a Vec cannot fail: they hold only strings,
    // numbers, booleans and JSON values.
    let _ = serde_json::to_writer(&mut out, &header);
    out.push(b'\n');
    for invocation in invocations {
        let args: Vec<serde_json::Value> = invocation
            .args
            .iter()
            .map(|arg| match arg {
                Value::String(text) if raw_strings => {
                    push_raw(&mut out, text);
                    serde_json::Value::Null
                }
                arg => wire::value_to_json(arg),
            })
            .collect();
        let line = InvocationLine {
            function: invocation.function.to_string(),
            args,
            fuel_calls: (invocation.fuel_calls != 1).then_some(invocation.fuel_calls),
            probe: None,
        };
        let _ = serde_json::to_writer(&mut out, &line);
        out.push(b'\n');
    }
    out
}

/// A protocol 2 call line.
#[derive(Serialize)]
struct InvocationLine {
    #[serde(rename = "fn")]
    function: String,
    args: Vec<serde_json::Value>,
    #[serde(rename = "fuel-calls", skip_serializing_if = "Option::is_none")]
    fuel_calls: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    probe: Option<ProbeLine>,
}

/// The `probe` of a call line.
#[derive(Serialize)]
struct ProbeLine {
    arg: usize,
    value: witness_host_api::ProbeValue,
}

/// A protocol 2 outcome line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerLine {
    outcome: AnswerKind,
    #[serde(default)]
    value: Option<serde_json::Value>,
}

#[derive(Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum AnswerKind {
    Returned,
    Trap,
    Rejected,
}

/// Parses a protocol 2 outcome line of a function whose result is of
/// `result` (`None`: it returns nothing); `raw_strings` are the raw strings
/// that came right before the line, taken by its `null` strings in order.
///
/// # Errors
/// A description of what is wrong with the line: not an outcome, a value
/// that is not of the result's type, or raw strings left over or missing.
pub(crate) fn decode_answer(
    line: &[u8],
    raw_strings: Vec<String>,
    result: Option<&Type>,
    what: &str,
) -> Result<Answer, String> {
    let head: AnswerLine = serde_json::from_slice(line)
        .map_err(|error| format!("expected {what}, got {}: {error}", quote(line)))?;
    let n_raw = raw_strings.len();
    let mut raw_strings = raw_strings.into_iter();
    let answer = match (head.outcome, head.value, result) {
        (AnswerKind::Trap, Some(serde_json::Value::String(message)), _) => Answer::Trapped(message),
        (AnswerKind::Trap, None, _) => match raw_strings.next() {
            Some(message) => Answer::Trapped(message),
            None => return Err(format!("expected {what}, got a trap without a message")),
        },
        (AnswerKind::Returned, None, None) => Answer::Returned(None),
        (AnswerKind::Returned, value, Some(ty)) => {
            let value = value.unwrap_or(serde_json::Value::Null);
            let value = wire::value_from_json(ty, &value, &mut raw_strings)
                .map_err(|error| format!("{what}: the returned value is not a {ty}: {error}"))?;
            Answer::Returned(Some(value))
        }
        (AnswerKind::Returned, Some(value), None) => {
            return Err(format!(
                "{what}: the function returns nothing, but the host returned {value}"
            ));
        }
        (AnswerKind::Trap, Some(value), _) => {
            return Err(format!(
                "expected {what}, got a trap whose message is {value}"
            ));
        }
        (AnswerKind::Rejected, _, _) => {
            return Err(format!(
                "expected {what}, got {}: only a probe is answered `rejected`",
                quote(line)
            ));
        }
    };
    let left = raw_strings.len();
    if left > 0 {
        return Err(format!(
            "{what}: {left} of the {n_raw} raw strings before {} were not used",
            quote(line)
        ));
    }
    Ok(answer)
}

/// Writes a batch of one probe (docs/host-protocol.md, "Probes"): the call
/// line with its `probe`, every string inline.
pub(crate) fn encode_probe(batch_id: u64, probe: &witness_host_api::Probe) -> Vec<u8> {
    let mut out = Vec::new();
    let header = BatchHeader {
        batch: batch_id,
        calls: 1,
    };
    let _ = serde_json::to_writer(&mut out, &header);
    out.push(b'\n');
    let line = InvocationLine {
        function: probe.invocation.function.to_string(),
        args: probe
            .invocation
            .args
            .iter()
            .map(wire::value_to_json)
            .collect(),
        fuel_calls: (probe.invocation.fuel_calls != 1).then_some(probe.invocation.fuel_calls),
        probe: Some(ProbeLine {
            arg: probe.arg,
            value: probe.value.clone(),
        }),
    };
    let _ = serde_json::to_writer(&mut out, &line);
    out.push(b'\n');
    out
}

/// Parses the outcome line of a probe: `rejected` with the host's message,
/// or any outcome of a call.
pub(crate) fn decode_probe_answer(
    line: &[u8],
    raw_strings: Vec<String>,
    result: Option<&Type>,
    what: &str,
) -> Result<witness_host_api::ProbeAnswer, String> {
    let head: AnswerLine = serde_json::from_slice(line)
        .map_err(|error| format!("expected {what}, got {}: {error}", quote(line)))?;
    if head.outcome == AnswerKind::Rejected {
        return match head.value {
            Some(serde_json::Value::String(message)) if raw_strings.is_empty() => {
                Ok(witness_host_api::ProbeAnswer::Rejected(message))
            }
            _ => Err(format!(
                "expected {what}, got {}: `rejected` carries its message as a string",
                quote(line)
            )),
        };
    }
    decode_answer(line, raw_strings, result, what).map(witness_host_api::ProbeAnswer::Ran)
}

/// Parses the ready line.
///
/// # Errors
/// A description of what is wrong with the line.
pub(crate) fn decode_ready(line: &[u8]) -> Result<Ready, String> {
    serde_json::from_slice(line)
        .map_err(|error| format!("expected the ready line, got {}: {error}", quote(line)))
}

/// Parses an outcome line; `raw` is the raw string that went before it, if
/// one did, and is then the outcome's value; `what` names the call for the
/// error message.
///
/// # Errors
/// A description of what is wrong with the line.
pub(crate) fn decode_outcome(
    line: &[u8],
    raw: Option<String>,
    what: &str,
) -> Result<Outcome, String> {
    let head: OutcomeHead = serde_json::from_slice(line)
        .map_err(|error| format!("expected {what}, got {}: {error}", quote(line)))?;
    let value = match (head.value, raw) {
        (Some(value), None) | (None, Some(value)) => value,
        (None, None) => {
            return Err(format!(
                "expected {what}, got {} without a value",
                quote(line)
            ));
        }
        (Some(_), Some(_)) => {
            return Err(format!(
                "expected {what}, got {} with a value after a raw string",
                quote(line)
            ));
        }
    };
    Ok(match head.outcome {
        OutcomeKind::Ok => Outcome::Ok(value),
        OutcomeKind::Err => Outcome::Err(value),
        OutcomeKind::Trap => Outcome::Trap(value),
    })
}

/// Checks the end line of batch `batch_id`.
///
/// # Errors
/// A description of what is wrong with the line.
pub(crate) fn check_end(line: &[u8], batch_id: u64) -> Result<(), String> {
    match serde_json::from_slice::<BatchEnd>(line) {
        Ok(BatchEnd { end }) if end == batch_id => Ok(()),
        Ok(BatchEnd { end }) => Err(format!(
            "expected the end of batch {batch_id}, got the end of batch {end}"
        )),
        Err(error) => Err(format!(
            "expected the end line of batch {batch_id}, got {}: {error}",
            quote(line)
        )),
    }
}

/// A line for an error message: lossy UTF-8, at most 200 characters.
pub(crate) fn quote(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let mut short: String = text.chars().take(200).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    format!("{short:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_lines_are_the_host_api_serde_forms() {
        let calls = [
            Call::Format {
                input: "[1]".into(),
                options: Some(FormatOptions {
                    indent: 4,
                    sort_keys: true,
                }),
            },
            Call::Format {
                input: "{}".into(),
                options: None,
            },
            Call::Minify {
                input: "\"a\nb\"".into(),
            },
            Call::Normalize { input: "{}".into() },
        ];
        let text = String::from_utf8(encode_batch(7, &calls, false)).expect("JSON is UTF-8");
        assert_eq!(
            text,
            concat!(
                "{\"batch\":7,\"calls\":4}\n",
                "{\"fn\":\"format\",\"input\":\"[1]\",\"options\":{\"indent\":4,\"sort-keys\":true}}\n",
                "{\"fn\":\"format\",\"input\":\"{}\",\"options\":null}\n",
                "{\"fn\":\"minify\",\"input\":\"\\\"a\\nb\\\"\"}\n",
                "{\"fn\":\"normalize\",\"input\":\"{}\"}\n",
            )
        );
    }

    #[test]
    fn raw_strings_go_before_their_call_lines() {
        let calls = [
            Call::Format {
                input: "{\"é\": \"a\nb\"}".into(),
                options: None,
            },
            Call::Format {
                input: String::new(),
                options: Some(FormatOptions {
                    indent: 4,
                    sort_keys: false,
                }),
            },
            Call::Minify {
                input: "[1]".into(),
            },
        ];
        let bytes = encode_batch(2, &calls, true);
        let text = String::from_utf8(bytes).expect("UTF-8");
        assert_eq!(
            text,
            concat!(
                "{\"batch\":2,\"calls\":3}\n",
                "#13\n{\"é\": \"a\nb\"}\n{\"fn\":\"format\",\"options\":null}\n",
                "#0\n\n{\"fn\":\"format\",\"options\":{\"indent\":4,\"sort-keys\":false}}\n",
                "#3\n[1]\n{\"fn\":\"minify\"}\n",
            )
        );
    }

    #[test]
    fn raw_string_lines_are_a_hash_and_digits() {
        assert_eq!(raw_string_length(b"#0"), Some(0));
        assert_eq!(raw_string_length(b"#1048576"), Some(1 << 20));
        for line in [
            &b"#"[..],
            b"# 3",
            b"#3 ",
            b"#-1",
            b"{\"end\":1}",
            b"#99999999999999999999",
        ] {
            assert_eq!(raw_string_length(line), None, "{}", quote(line));
        }
    }

    #[test]
    fn outcome_values_come_inline_or_raw_but_not_both() {
        assert_eq!(
            decode_outcome(br#"{"outcome":"ok"}"#, Some("[\n  1\n]".into()), ""),
            Ok(Outcome::Ok("[\n  1\n]".into()))
        );
        assert_eq!(
            decode_outcome(br#"{"outcome":"trap"}"#, Some(String::new()), ""),
            Ok(Outcome::Trap(String::new()))
        );
        let both = decode_outcome(
            br#"{"outcome":"ok","value":"1"}"#,
            Some("1".into()),
            "call 0",
        )
        .expect_err("a value twice is an error");
        assert!(both.contains("with a value after a raw string"), "{both}");
        let neither = decode_outcome(br#"{"outcome":"ok"}"#, None, "call 0")
            .expect_err("no value is an error");
        assert!(neither.contains("without a value"), "{neither}");
        assert!(decode_outcome(br#"{"outcome":"ok","value":"1","extra":2}"#, None, "").is_err());
    }

    #[test]
    fn outcome_lines_parse_with_or_without_spaces() {
        assert_eq!(
            decode_outcome(br#"{"outcome":"ok","value":"[]"}"#, None, ""),
            Ok(Outcome::Ok("[]".into()))
        );
        assert_eq!(
            decode_outcome(br#"{"outcome": "err", "value": "at byte 3: x"}"#, None, ""),
            Ok(Outcome::Err("at byte 3: x".into()))
        );
        assert_eq!(
            decode_outcome(br#"{"outcome":"trap","value":"unreachable"}"#, None, ""),
            Ok(Outcome::Trap("unreachable".into()))
        );
        let error = decode_outcome(b"hello", None, "the outcome of call 5")
            .expect_err("garbage is an error");
        assert!(
            error.starts_with("expected the outcome of call 5, got \"hello\""),
            "{error}"
        );
        assert!(decode_outcome(br#"{"outcome":"maybe","value":"x"}"#, None, "").is_err());
    }

    #[test]
    fn ready_line_reports_limits() {
        let ready = decode_ready(
            br#"{"ready":true,"host":"node","runtime":"node v20","limits":{"fuel-per-call":null,"memory-bytes":1024}}"#,
        )
        .expect("valid ready line");
        assert_eq!(
            ready.limits,
            EnforcedLimits {
                fuel_per_call: None,
                memory_bytes: Some(1024)
            }
        );
        let failed = decode_ready(br#"{"ready":false,"host":"node","error":"no such export"}"#)
            .expect("valid line");
        assert_eq!(failed.error.as_deref(), Some("no such export"));
    }

    #[test]
    fn protocol_2_lines_carry_typed_arguments_and_raw_strings() {
        let invocation = Call::Format {
            input: "[1,\n2]".into(),
            options: Some(FormatOptions {
                indent: 4,
                sort_keys: true,
            }),
        }
        .invocation();
        let normalize = Call::Normalize { input: "{}".into() }.invocation();
        let inline = String::from_utf8(encode_invocations(
            1,
            std::slice::from_ref(&invocation),
            false,
        ))
        .expect("UTF-8");
        assert_eq!(
            inline,
            concat!(
                "{\"batch\":1,\"calls\":1}\n",
                "{\"fn\":\"example:json-tools/formatter@1.0.0#format\",\"args\":[\"[1,\\n2]\",{\"some\":{\"indent\":4,\"sort-keys\":true}}]}\n",
            )
        );
        let raw = String::from_utf8(encode_invocations(2, &[invocation, normalize], true))
            .expect("UTF-8");
        assert_eq!(
            raw,
            concat!(
                "{\"batch\":2,\"calls\":2}\n",
                "#6\n[1,\n2]\n{\"fn\":\"example:json-tools/formatter@1.0.0#format\",\"args\":[null,{\"some\":{\"indent\":4,\"sort-keys\":true}}]}\n",
                "#2\n{}\n{\"fn\":\"example:pipeline/normalizer@1.0.0#normalize\",\"args\":[null],\"fuel-calls\":5}\n",
            )
        );
    }

    #[test]
    fn protocol_2_answers_are_read_by_the_result_type() {
        let result = Type::Result {
            ok: Some(std::sync::Arc::new(Type::String)),
            err: Some(std::sync::Arc::new(Type::String)),
        };
        assert_eq!(
            decode_answer(
                br#"{"outcome":"returned","value":{"ok":null}}"#,
                vec!["[]".into()],
                Some(&result),
                ""
            ),
            Ok(Answer::Returned(Some(Value::ok(Some(Value::String(
                "[]".into()
            ))))))
        );
        assert_eq!(
            decode_answer(
                br#"{"outcome":"returned","value":{"err":"at byte 0"}}"#,
                vec![],
                Some(&result),
                ""
            ),
            Ok(Answer::Returned(Some(Value::err(Some(Value::String(
                "at byte 0".into()
            ))))))
        );
        assert_eq!(
            decode_answer(
                br#"{"outcome":"trap","value":"unreachable"}"#,
                vec![],
                Some(&result),
                ""
            ),
            Ok(Answer::Trapped("unreachable".into()))
        );
        assert_eq!(
            decode_answer(br#"{"outcome":"returned"}"#, vec![], None, ""),
            Ok(Answer::Returned(None))
        );
        let wrong = decode_answer(
            br#"{"outcome":"returned","value":{"ok":1}}"#,
            vec![],
            Some(&result),
            "call 3",
        )
        .expect_err("1 is not a string");
        assert!(
            wrong.starts_with(
                "call 3: the returned value is not a result<string, string>: at `.ok`"
            ),
            "{wrong}"
        );
        let unused = decode_answer(
            br#"{"outcome":"returned","value":{"ok":"x"}}"#,
            vec!["y".into()],
            Some(&result),
            "call 3",
        )
        .expect_err("a raw string left over");
        assert!(unused.contains("1 of the 1 raw strings"), "{unused}");
        let missing = decode_answer(
            br#"{"outcome":"returned","value":{"ok":null}}"#,
            vec![],
            Some(&result),
            "call 3",
        )
        .expect_err("no raw string");
        assert!(missing.contains("no raw string is left"), "{missing}");
        assert!(
            decode_answer(
                br#"{"outcome":"ok","value":"x"}"#,
                vec![],
                Some(&result),
                ""
            )
            .is_err()
        );
    }

    #[test]
    fn end_line_must_name_the_batch() {
        assert_eq!(check_end(br#"{"end":3}"#, 3), Ok(()));
        assert!(check_end(br#"{"end":4}"#, 3).is_err());
        assert!(check_end(br#"{"outcome":"ok","value":"1"}"#, 3).is_err());
    }
}
