//! Known divergences: bugs of a host (or a bindings generator) that witness
//! has found and that are reported upstream, recorded in
//! `contracts/<name>/known.toml` so that the gate stays usable while they
//! stand.
//!
//! A known divergence is never a pass.  It explains a case only when the
//! cell's answer is exactly the consensus's answer with the bug's textual
//! change applied (in WAVE), in one of the hosts it names; every case it
//! explains is counted and listed as `known divergence (N cases): <reason>`.
//! And it must keep happening: a cell of one of its hosts in which it
//! explains no case fails, so a fixed host makes the entry fail until it is
//! removed.  Give each entry a call in the contract's `calls.wave` that shows
//! it, so that it happens in every run.

use std::{fs, path::Path};

use serde::Deserialize;
use witness_value::{Value, wave};

use crate::contract::Contract;

/// `known.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownToml {
    #[serde(default)]
    divergence: Vec<Divergence>,
}

/// One `[[divergence]]`: the hosts, the bug's change to a right answer
/// (exactly one of `replace` and `strip-string-prefix`), and why.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Divergence {
    /// The hosts that have the bug.
    pub hosts: Vec<String>,
    /// A change of the answer's text, in WAVE: `[from, to]`; the cell's
    /// answer is the right answer with every `from` replaced by `to`.
    pub replace: Option<[String; 2]>,
    /// A change of the answer's strings: each string in the right answer
    /// that starts with this loses it, once.
    pub strip_string_prefix: Option<String>,
    /// What the bug is, and where it is reported.
    pub reason: String,
}

impl Divergence {
    /// Whether this divergence explains the answer `actual` where `expected`
    /// is right, in `host`.
    pub fn explains(&self, host: &str, expected: &Value, actual: &Value) -> bool {
        if !self.hosts.iter().any(|name| name == host) || expected == actual {
            return false;
        }
        match (&self.replace, &self.strip_string_prefix) {
            (Some([from, to]), _) => {
                wave::to_string(expected).replace(from.as_str(), to) == wave::to_string(actual)
            }
            (None, Some(prefix)) => strip_prefixes(expected, prefix) == *actual,
            (None, None) => false,
        }
    }
}

/// `value` with `prefix` taken once off every string in it that starts with
/// it.
fn strip_prefixes(value: &Value, prefix: &str) -> Value {
    let strip = |value: &Value| strip_prefixes(value, prefix);
    let boxed = |value: &Option<Box<Value>>| value.as_deref().map(|value| Box::new(strip(value)));
    match value {
        Value::String(text) => Value::String(text.strip_prefix(prefix).unwrap_or(text).to_owned()),
        Value::List(items) => Value::List(items.iter().map(strip).collect()),
        Value::Tuple(items) => Value::Tuple(items.iter().map(strip).collect()),
        Value::Record(fields) => Value::Record(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), strip(value)))
                .collect(),
        ),
        Value::Variant(case, payload) => Value::Variant(case.clone(), boxed(payload)),
        Value::Option(payload) => Value::Option(boxed(payload)),
        Value::Result(Ok(payload)) => Value::Result(Ok(boxed(payload))),
        Value::Result(Err(payload)) => Value::Result(Err(boxed(payload))),
        other => other.clone(),
    }
}

/// The known divergences of `contract` (none without a `known.toml`).
///
/// # Errors
/// When `known.toml` cannot be read or is not valid, naming the file.
pub fn of(contract: &Contract) -> Result<Vec<Divergence>, String> {
    load(&contract.dir().join("known.toml"))
}

fn load(path: &Path) -> Result<Vec<Divergence>, String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(format!("{}: {err}", path.display())),
    };
    let known: KnownToml =
        toml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    for (index, divergence) in known.divergence.iter().enumerate() {
        let change = match (&divergence.replace, &divergence.strip_string_prefix) {
            (Some([from, _]), None) => !from.is_empty(),
            (None, Some(prefix)) => !prefix.is_empty(),
            _ => false,
        };
        if divergence.hosts.is_empty() || !change {
            return Err(format!(
                "{}: divergence {} needs `hosts` and exactly one non-empty change: `replace` or `strip-string-prefix`",
                path.display(),
                index + 1
            ));
        }
    }
    Ok(known.divergence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn a_divergence_explains_only_its_own_change_in_its_own_hosts() {
        let bom = Divergence {
            hosts: vec!["node".to_owned()],
            replace: None,
            strip_string_prefix: Some("\u{feff}".to_owned()),
            reason: "r".to_owned(),
        };
        let row =
            |text: &str| Value::List(vec![Value::Tuple(vec![string(text), Value::Option(None)])]);
        assert!(bom.explains("node", &row("\u{feff}"), &row("")));
        assert!(bom.explains(
            "node",
            &row("\u{feff}\u{feff}\"\u{feff}"),
            &row("\u{feff}\"\u{feff}")
        ));
        assert!(!bom.explains("python", &row("\u{feff}"), &row("")));
        // Another difference, or none at all, is not this bug.
        assert!(!bom.explains("node", &string("\u{feff}a"), &string("b")));
        assert!(!bom.explains("node", &string("a"), &string("a")));
        assert!(!bom.explains("node", &string("a\u{feff}"), &string("a")));
        let text = Divergence {
            replace: Some(["-0".to_owned(), "0".to_owned()]),
            strip_string_prefix: None,
            ..bom
        };
        assert!(text.explains("node", &Value::F64(-0.0), &Value::F64(0.0)));
        assert!(!text.explains("node", &Value::F64(-1.0), &Value::F64(0.0)));
    }

    #[test]
    fn a_bad_file_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("known.toml");
        assert!(load(&path).expect("no file").is_empty());
        fs::write(
            &path,
            "[[divergence]]\nhosts = [\"node\"]\nreplace = [\"a\"]\nreason = \"r\"\n",
        )
        .expect("write");
        let err = load(&path).expect_err("replace needs two strings");
        assert!(err.contains("known.toml"), "{err}");
        fs::write(
            &path,
            "[[divergence]]\nhosts = []\nreplace = [\"a\", \"b\"]\nreason = \"r\"\n",
        )
        .expect("write");
        assert!(load(&path).expect_err("no hosts").contains("divergence 1"));
    }
}
