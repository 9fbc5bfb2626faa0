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

use crate::contract::Contract;

/// `known.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownToml {
    #[serde(default)]
    divergence: Vec<Divergence>,
}

/// One `[[divergence]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Divergence {
    /// The hosts that have the bug.
    pub hosts: Vec<String>,
    /// The bug's change to an answer, in WAVE: `[from, to]`; the cell's
    /// answer is the right answer with every `from` replaced by `to`.
    pub replace: [String; 2],
    /// What the bug is, and where it is reported.
    pub reason: String,
}

impl Divergence {
    /// Whether this divergence explains `actual` where `expected` is right,
    /// in `host`.
    pub fn explains(&self, host: &str, expected: &str, actual: &str) -> bool {
        let [from, to] = &self.replace;
        self.hosts.iter().any(|name| name == host)
            && expected != actual
            && expected.replace(from.as_str(), to) == actual
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
        if divergence.hosts.is_empty() || divergence.replace[0].is_empty() {
            return Err(format!(
                "{}: divergence {} needs hosts and a non-empty `replace` source",
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

    #[test]
    fn a_divergence_explains_only_its_own_change_in_its_own_hosts() {
        let bom = Divergence {
            hosts: vec!["node".to_owned()],
            replace: ["\"\\u{feff}".to_owned(), "\"".to_owned()],
            reason: "r".to_owned(),
        };
        assert!(bom.explains("node", r#"[("\u{feff}", none)]"#, r#"[("", none)]"#));
        assert!(!bom.explains("python", r#"[("\u{feff}", none)]"#, r#"[("", none)]"#));
        // Another difference, or none at all, is not this bug.
        assert!(!bom.explains("node", r#""\u{feff}a""#, r#""b""#));
        assert!(!bom.explains("node", r#""a""#, r#""a""#));
        assert!(!bom.explains("node", r#""a\u{feff}""#, r#""a""#));
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
