//! The `boundary` suite: values outside their type, sent through each
//! host's own value API as a user of that host would write them.
//!
//! The canonical ABI makes a value's domain exactly its type, so a host must
//! refuse `256` for a `u8`, `1.5` for an integer, a lone surrogate for a
//! `char` or in a `string`, and a flag or enum case the type lacks, before
//! the guest runs.  Each [`PROBES`] entry is sent to the first exported
//! function that takes a parameter of its type (an identity function
//! first, so that the answer shows what the guest received), every other
//! argument a valid value.  A probe passes when the host rejects it; a
//! wrap, a truncation or an invalid value that reaches the guest fails it,
//! with the answer as evidence, unless `divergences.toml` records it
//! (`probe = "<id>"`) for the cell, and such an entry fails the cell when
//! the host stops letting the value through.  A host process that dies on a
//! probe is reported like a hostile guest's crash, and the suite goes on in
//! a fresh session.

use witness_host_api::{
    Answer, GuestArtifact, Host, HostError, Invocation, Probe, ProbeAnswer, ProbeValue, Session,
};
use witness_value::{Function, Type, Value, wave};

use crate::{
    known,
    suite::{Cell, Failure, SuiteResult},
};

/// Which parameters a probe goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Target {
    /// Exactly this scalar type.
    Scalar(Scalar),
    /// Any flags type.
    Flags,
    /// Any enum type.
    Enum,
}

/// The scalar types probes go to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scalar {
    Bool,
    S16,
    S64,
    U8,
    U32,
    U64,
    Char,
    String,
}

impl Scalar {
    fn matches(self, ty: &Type) -> bool {
        matches!(
            (self, ty),
            (Scalar::Bool, Type::Bool)
                | (Scalar::S16, Type::S16)
                | (Scalar::S64, Type::S64)
                | (Scalar::U8, Type::U8)
                | (Scalar::U32, Type::U32)
                | (Scalar::U64, Type::U64)
                | (Scalar::Char, Type::Char)
                | (Scalar::String, Type::String)
        )
    }
}

/// One value outside its type.
pub struct ProbeKind {
    /// Its id, which a `divergences.toml` entry names (`probe = "u8-256"`).
    pub id: &'static str,
    /// What it is, in words.
    pub class: &'static str,
    target: Target,
    value: fn(&Type) -> ProbeValue,
}

/// The probes, in the order they run.  Those that can kill a host process
/// (wasmtime-py aborts on a surrogate `char`) come last, so that a crash
/// costs one restart.
pub const PROBES: &[ProbeKind] = &[
    ProbeKind {
        id: "u8-256",
        class: "a u8 of 256, one past its maximum",
        target: Target::Scalar(Scalar::U8),
        value: |_| ProbeValue::Int("256".to_owned()),
    },
    ProbeKind {
        id: "u8-minus-1",
        class: "a u8 of -1",
        target: Target::Scalar(Scalar::U8),
        value: |_| ProbeValue::Int("-1".to_owned()),
    },
    ProbeKind {
        id: "u8-fraction",
        class: "a u8 of 1.5, a number with a fraction",
        target: Target::Scalar(Scalar::U8),
        value: |_| ProbeValue::Float(1.5),
    },
    ProbeKind {
        id: "s16-40000",
        class: "an s16 of 40000, past its maximum of 32767",
        target: Target::Scalar(Scalar::S16),
        value: |_| ProbeValue::Int("40000".to_owned()),
    },
    ProbeKind {
        id: "u32-4294967296",
        class: "a u32 of 2^32, one past its maximum",
        target: Target::Scalar(Scalar::U32),
        value: |_| ProbeValue::Int("4294967296".to_owned()),
    },
    ProbeKind {
        id: "u64-minus-1",
        class: "a u64 of -1",
        target: Target::Scalar(Scalar::U64),
        value: |_| ProbeValue::Int("-1".to_owned()),
    },
    ProbeKind {
        id: "u64-18446744073709551616",
        class: "a u64 of 2^64, one past its maximum",
        target: Target::Scalar(Scalar::U64),
        value: |_| ProbeValue::Int("18446744073709551616".to_owned()),
    },
    ProbeKind {
        id: "s64-9223372036854775808",
        class: "an s64 of 2^63, one past its maximum",
        target: Target::Scalar(Scalar::S64),
        value: |_| ProbeValue::Int("9223372036854775808".to_owned()),
    },
    ProbeKind {
        id: "bool-2",
        class: "a bool given the integer 2",
        target: Target::Scalar(Scalar::Bool),
        value: |_| ProbeValue::Int("2".to_owned()),
    },
    ProbeKind {
        id: "char-two",
        class: "a char given a string of two characters, \"ab\"",
        target: Target::Scalar(Scalar::Char),
        value: |_| ProbeValue::CodePoints(vec![0x61, 0x62]),
    },
    ProbeKind {
        id: "string-lone-surrogate",
        class: "a string holding a lone surrogate, U+D800, between two letters",
        target: Target::Scalar(Scalar::String),
        value: |_| ProbeValue::CodePoints(vec![0x61, 0xD800, 0x62]),
    },
    ProbeKind {
        id: "flags-unknown",
        class: "a flags value with one of its flags and a name it does not have",
        target: Target::Flags,
        value: |ty| match ty {
            Type::Flags(names) => ProbeValue::Flags(
                names
                    .first()
                    .cloned()
                    .into_iter()
                    .chain(["no-such-flag".to_owned()])
                    .collect(),
            ),
            _ => ProbeValue::Flags(vec!["no-such-flag".to_owned()]),
        },
    },
    ProbeKind {
        id: "enum-unknown",
        class: "an enum case the type does not have",
        target: Target::Enum,
        value: |_| ProbeValue::Enum("no-such-case".to_owned()),
    },
    ProbeKind {
        id: "char-surrogate",
        class: "a char of U+D800, a surrogate, which is no Unicode scalar value",
        target: Target::Scalar(Scalar::Char),
        value: |_| ProbeValue::CodePoints(vec![0xD800]),
    },
];

/// Where a probe goes in a contract: the function, the parameter, and the
/// valid arguments around it.
struct Placed<'a> {
    probe: &'a ProbeKind,
    function: &'a Function,
    arg: usize,
    args: Vec<Value>,
}

impl Placed<'_> {
    /// The call in WAVE, the probe's value in place of its argument.
    fn wave(&self) -> String {
        let mut text = format!("{}(", self.function.key.name);
        for (index, arg) in self.args.iter().enumerate() {
            if index > 0 {
                text.push_str(", ");
            }
            if index == self.arg {
                text.push_str(&probe_wave(&(self.probe.value)(
                    &self.function.params[index].1,
                )));
            } else {
                text.push_str(&wave::to_string(arg));
            }
        }
        text.push(')');
        text
    }
}

/// A probe's value, as near WAVE as it can be written.
fn probe_wave(value: &ProbeValue) -> String {
    match value {
        ProbeValue::Int(text) => text.clone(),
        ProbeValue::Float(x) => format!("{x:?}"),
        ProbeValue::CodePoints(points) if points.len() == 1 => {
            format!("'\\u{{{:x}}}'", points[0])
        }
        ProbeValue::CodePoints(points) => {
            let mut text = String::from("\"");
            for point in points {
                match char::from_u32(*point) {
                    Some(c) if c.is_ascii_alphanumeric() => text.push(c),
                    _ => text.push_str(&format!("\\u{{{point:x}}}")),
                }
            }
            text.push('"');
            text
        }
        ProbeValue::Flags(names) => format!("{{{}}}", names.join(", ")),
        ProbeValue::Enum(name) => name.clone(),
    }
}

/// Whether `function` returns exactly what it takes: its answer then shows
/// what the guest received.
fn is_identity(function: &Function) -> bool {
    match (&function.result, function.params.as_slice()) {
        (Some(result), [(_, only)]) => result == only,
        (Some(Type::Tuple(items)), params) => {
            items.len() == params.len() && items.iter().zip(params).all(|(a, (_, b))| a == b)
        }
        _ => false,
    }
}

/// Where each probe goes in `functions`: the first function with a matching
/// top-level parameter; first those that are identities by name and type
/// (`echo-*` returning what it takes: a contract's way of saying so), then
/// any whose type is an identity's, then the rest.  Probes with no such
/// parameter are left out.
fn place(functions: &[Function]) -> Vec<Placed<'_>> {
    let rank = |function: &Function| match (
        is_identity(function),
        function.key.name.starts_with("echo"),
    ) {
        (true, true) => 0,
        (true, false) => 1,
        (false, _) => 2,
    };
    let mut ordered: Vec<&Function> = functions.iter().collect();
    // A stable sort: within a rank, the WIT's order.
    ordered.sort_by_key(|function| rank(function));
    let mut placed = Vec::new();
    for probe in PROBES {
        let found = ordered.iter().find_map(|function| {
            let arg = function
                .params
                .iter()
                .position(|(_, ty)| match probe.target {
                    Target::Scalar(scalar) => scalar.matches(ty),
                    Target::Flags => matches!(ty, Type::Flags(_)),
                    Target::Enum => matches!(ty, Type::Enum(_)),
                })?;
            let args: Option<Vec<Value>> =
                function.params.iter().map(|(_, ty)| simplest(ty)).collect();
            Some((function, arg, args?))
        });
        if let Some((function, arg, args)) = found {
            placed.push(Placed {
                probe,
                function,
                arg,
                args,
            });
        }
    }
    placed
}

/// Each probe the boundary suite sends for `contract`, with its call in
/// (near) WAVE.
pub fn probe_calls(contract: &crate::contract::Contract) -> Vec<(&'static str, String)> {
    place(contract.functions())
        .iter()
        .map(|placed| (placed.probe.id, placed.wave()))
        .collect()
}

/// The simplest value of `ty`: zero, false, empty, the first case, `none`,
/// `ok`; `None` for a type witness cannot carry.
pub fn simplest(ty: &Type) -> Option<Value> {
    Some(match ty {
        Type::Bool => Value::Bool(false),
        Type::S8 => Value::S8(0),
        Type::S16 => Value::S16(0),
        Type::S32 => Value::S32(0),
        Type::S64 => Value::S64(0),
        Type::U8 => Value::U8(0),
        Type::U16 => Value::U16(0),
        Type::U32 => Value::U32(0),
        Type::U64 => Value::U64(0),
        Type::F32 => Value::F32(0.0),
        Type::F64 => Value::F64(0.0),
        Type::Char => Value::Char('a'),
        Type::String => Value::String(String::new()),
        Type::List(_) => Value::List(Vec::new()),
        Type::Record(fields) => Value::Record(
            fields
                .iter()
                .map(|field| Some((field.name.clone(), simplest(&field.ty)?)))
                .collect::<Option<_>>()?,
        ),
        Type::Tuple(items) => Value::Tuple(items.iter().map(simplest).collect::<Option<_>>()?),
        Type::Variant(cases) => {
            let case = cases.first()?;
            let payload = match &case.ty {
                Some(ty) => Some(Box::new(simplest(ty)?)),
                None => None,
            };
            Value::Variant(case.name.clone(), payload)
        }
        Type::Enum(names) => Value::Enum(names.first()?.clone()),
        Type::Option(_) => Value::Option(None),
        Type::Result { ok, .. } => Value::Result(Ok(match ok {
            Some(ty) => Some(Box::new(simplest(ty)?)),
            None => None,
        })),
        Type::Flags(_) => Value::Flags(Vec::new()),
        Type::Unsupported(_) => return None,
    })
}

/// Runs the boundary suite in one cell: in `session` if given (a session of
/// the cell that ran its other suites: a probe gets an instance of its own
/// in every host), else in a session of `host` for `artifact`, opened again
/// after a probe kills it.
///
/// # Errors
/// When the host cannot open a session at all.
pub fn run(
    host: &dyn Host,
    artifact: &GuestArtifact,
    cell: &Cell,
    session: Option<Box<dyn Session>>,
) -> Result<SuiteResult, HostError> {
    let mut result = SuiteResult::default();
    let divergences = match known::of(&cell.contract) {
        Ok(divergences) => divergences,
        Err(err) => return Ok(SuiteResult::broken(err)),
    };
    let placed = place(cell.contract.functions());
    for probe in PROBES {
        if !placed.iter().any(|placed| placed.probe.id == probe.id) {
            result.skipped.push(format!(
                "probe {}: no exported function takes a parameter of its type",
                probe.id
            ));
        }
    }
    let mut session = session;
    for placed in &placed {
        let live = match &mut session {
            Some(live) => live,
            None => session.insert(host.open(artifact)?),
        };
        let probe = Probe {
            invocation: Invocation {
                function: placed.function.key.clone(),
                args: placed.args.clone(),
                fuel_calls: 1,
            },
            arg: placed.arg,
            value: (placed.probe.value)(&placed.function.params[placed.arg].1),
        };
        let observed = match live.probe(&probe) {
            Ok(ProbeAnswer::Rejected(message)) => Observed::Rejected(message),
            Ok(ProbeAnswer::Ran(Answer::Returned(value))) => Observed::Returned(value),
            Ok(ProbeAnswer::Ran(Answer::Trapped(message))) => Observed::Trapped(message),
            Err(err) => {
                session = None;
                Observed::Died(died(&err.to_string()))
            }
        };
        judge(cell, placed, &observed, &divergences, &mut result);
    }
    Ok(result)
}

/// A dead host's message, short: what the harness saw, and the line of the
/// host's standard error that says why (a panic's, or else its last).
fn died(message: &str) -> String {
    let (head, stderr) = message
        .split_once("--- host stderr ---")
        .unwrap_or((message, ""));
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let why = lines
        .iter()
        .position(|line| line.contains("panicked at"))
        .map(|index| lines[index..lines.len().min(index + 2)].join(" "))
        .or_else(|| lines.last().map(|line| (*line).to_owned()));
    match why {
        Some(why) => format!("{}; its stderr: {why}", head.trim()),
        None => head.trim().to_owned(),
    }
}

/// What a host did with a probe.
enum Observed {
    Rejected(String),
    Returned(Option<Value>),
    Trapped(String),
    Died(String),
}

impl Observed {
    fn describe(&self) -> String {
        match self {
            Observed::Rejected(message) => format!("rejected: {message}"),
            Observed::Returned(Some(value)) => {
                format!(
                    "the call ran, and the guest answered {}",
                    wave::to_string(value)
                )
            }
            Observed::Returned(None) => "the call ran, and returned".to_owned(),
            Observed::Trapped(message) => format!("the call ran, and the guest trapped: {message}"),
            Observed::Died(message) => format!("the host process died: {message}"),
        }
    }
}

fn judge(
    cell: &Cell,
    placed: &Placed<'_>,
    observed: &Observed,
    divergences: &[known::Divergence],
    result: &mut SuiteResult,
) {
    let entry = divergences.iter().find(|divergence| {
        divergence
            .probes
            .iter()
            .any(|probe| probe == placed.probe.id)
            && divergence.applies(&cell.guest, &cell.host)
    });
    let call = placed.wave();
    match (observed, entry) {
        (Observed::Rejected(_), None) => result.passed += 1,
        (Observed::Rejected(message), Some(entry)) => {
            result.failed += 1;
            result.errors.push(format!(
                "{}: the known divergence `{}` no longer reproduces in this cell: the host now rejects {} ({message}); remove the entry",
                entry.source.display(),
                entry.id,
                placed.probe.class,
            ));
        }
        (observed, Some(entry)) => {
            result.known_cases += 1;
            result.known.push(format!(
                "known: {} (probe {}): {}",
                entry.id,
                placed.probe.id,
                observed.describe()
            ));
        }
        (observed, None) => {
            result.failed += 1;
            result.failures.push(Failure {
                case: format!("boundary:{}", placed.probe.id),
                details: vec![
                    format!(
                        "{} let a value outside its type through its own value API ({}): the component model requires the host to reject it before the guest runs",
                        cell.host, placed.probe.class
                    ),
                    observed.describe(),
                ],
                input: call.clone(),
                call: Some(call),
                repro: format!(
                    "{} test-matrix --guest {} --host {} --suite boundary",
                    crate::suite::command(cell),
                    cell.guest,
                    cell.host
                ),
                shrink_steps: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn function(name: &str, params: &[Type], result: Option<Type>) -> Function {
        Function {
            key: witness_value::FunctionKey {
                interface: None,
                name: name.to_owned(),
            },
            params: params
                .iter()
                .enumerate()
                .map(|(index, ty)| (format!("p{index}"), ty.clone()))
                .collect(),
            result,
        }
    }

    #[test]
    fn probes_go_to_identity_functions_first_and_skip_types_nobody_takes() {
        let functions = vec![
            function("bump", &[Type::U8], Some(Type::U8)),
            function("take", &[Type::U8], None),
            function(
                "echo",
                &[Type::String, Type::U8],
                Some(Type::Tuple(vec![Type::String, Type::U8].into())),
            ),
        ];
        let placed = place(&functions);
        let u8_256 = placed
            .iter()
            .find(|placed| placed.probe.id == "u8-256")
            .expect("placed");
        // `bump` takes a u8 too, but `echo`'s answer shows what arrived.
        assert_eq!((u8_256.function.key.name.as_str(), u8_256.arg), ("echo", 1));
        assert_eq!(u8_256.wave(), "echo(\"\", 256)");
        assert!(placed.iter().all(|placed| placed.probe.id != "s16-40000"));
        let surrogate = placed
            .iter()
            .find(|placed| placed.probe.id == "string-lone-surrogate")
            .expect("placed");
        assert_eq!(surrogate.wave(), "echo(\"a\\u{d800}b\", 0)");
    }

    #[test]
    fn every_probe_id_is_unique_and_a_crash_prone_probe_is_last() {
        let mut ids: Vec<&str> = PROBES.iter().map(|probe| probe.id).collect();
        assert_eq!(ids.last(), Some(&"char-surrogate"));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), PROBES.len());
    }
}
