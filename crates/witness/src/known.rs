//! Known divergences: bugs of a host or a bindings generator that witness
//! has found, recorded in `contracts/<name>/divergences.toml` with their
//! evidence so that the gate stays usable while they stand.
//!
//! A known divergence is never a pass.  It explains a case only in the cells
//! it names, and only when the cell's answer is exactly the consensus's
//! answer with the bug's change applied (a textual change of the WAVE, or a
//! prefix taken off strings); every case it explains is counted apart and
//! listed as `known: <id> (N cases): <reason>`.  Its `input`, the smallest
//! call that shows it, is replayed in each of its cells in every run, and
//! must still be explained by it there: an entry that no longer reproduces
//! fails the cell until it is removed.  `docs/divergences.md` is generated
//! from the entries (`cargo xtask divergences`).

use std::{collections::BTreeSet, fs, path::Path};

use serde::Deserialize;
use witness_value::{Value, wave};

use crate::contract::Contract;

/// The file of a contract's known divergences, in its directory.
pub const FILE: &str = "divergences.toml";

/// `divergences.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KnownToml {
    #[serde(default)]
    divergence: Vec<Divergence>,
}

/// One `[[divergence]]`: where it happens, its smallest input, who is at
/// fault, and the bug's change to a right answer (exactly one of `replace`
/// and `strip-string-prefix`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Divergence {
    /// A short name, unique in the file: `jco-bom`.
    pub id: String,
    /// The cells that have the bug, as `guest::host`; either side may be
    /// `*`.
    pub cells: Vec<String>,
    /// The function its `input` calls.
    pub function: String,
    /// The class of inputs that show it, in words.
    pub class: String,
    /// The smallest call that shows it, in WAVE; replayed in each of its
    /// cells in every run.
    pub input: String,
    /// The tool at fault, with its version: `jco 1.35.0`.
    pub tool: String,
    /// The upstream issue, if one exists.
    pub upstream: Option<String>,
    /// A change of the answer's text, in WAVE: `[from, to]`; the cell's
    /// answer is the right answer with every `from` replaced by `to`.
    pub replace: Option<[String; 2]>,
    /// A change of the answer's strings: each string in the right answer
    /// that starts with this loses it, once.
    pub strip_string_prefix: Option<String>,
    /// What the bug is.
    pub reason: String,
}

impl Divergence {
    /// Whether the cell `guest::host` is one of its cells.
    pub fn applies(&self, guest: &str, host: &str) -> bool {
        self.cells.iter().any(|pattern| {
            pattern.split_once("::").is_some_and(|(g, h)| {
                (g == "*" || g == guest) && (h == "*" || h == host)
            })
        })
    }

    /// Whether this divergence explains the answer `actual` where `expected`
    /// is right, in the cell `guest::host`.
    pub fn explains(&self, (guest, host): (&str, &str), expected: &Value, actual: &Value) -> bool {
        if !self.applies(guest, host) || expected == actual {
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

/// The known divergences of `contract` (none without a `divergences.toml`).
///
/// # Errors
/// When `divergences.toml` cannot be read or is not valid, naming the file.
pub fn of(contract: &Contract) -> Result<Vec<Divergence>, String> {
    load(&contract.dir().join(FILE))
}

fn load(path: &Path) -> Result<Vec<Divergence>, String> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(err) => return Err(format!("{}: {err}", path.display())),
    };
    let known: KnownToml =
        toml::from_str(&text).map_err(|err| format!("{}: {err}", path.display()))?;
    let mut ids = BTreeSet::new();
    for (index, divergence) in known.divergence.iter().enumerate() {
        let name = format!("{}: divergence {} (`{}`)", path.display(), index + 1, divergence.id);
        let change = match (&divergence.replace, &divergence.strip_string_prefix) {
            (Some([from, _]), None) => !from.is_empty(),
            (None, Some(prefix)) => !prefix.is_empty(),
            _ => false,
        };
        if !change {
            return Err(format!(
                "{name}: needs exactly one non-empty change: `replace` or `strip-string-prefix`"
            ));
        }
        let valid_id = !divergence.id.is_empty()
            && divergence
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !valid_id || !ids.insert(divergence.id.as_str()) {
            return Err(format!(
                "{name}: `id` must be unique in the file, in lower-case letters, digits and `-`"
            ));
        }
        let cells_valid = !divergence.cells.is_empty()
            && divergence.cells.iter().all(|cell| {
                cell.split_once("::")
                    .is_some_and(|(guest, host)| !guest.is_empty() && !host.is_empty())
            });
        if !cells_valid {
            return Err(format!(
                "{name}: `cells` must list cells as `guest::host` (`*` for any guest or host)"
            ));
        }
        for (field, text) in [
            ("function", &divergence.function),
            ("class", &divergence.class),
            ("tool", &divergence.tool),
            ("reason", &divergence.reason),
        ] {
            if text.trim().is_empty() {
                return Err(format!("{name}: `{field}` is empty"));
            }
        }
        match wave::parse_call(&divergence.input) {
            Ok(call) if call.name() == divergence.function => {}
            Ok(call) => {
                return Err(format!(
                    "{name}: `input` calls `{}`, but `function` is `{}`",
                    call.name(),
                    divergence.function
                ));
            }
            Err(err) => return Err(format!("{name}: `input` is not a call in WAVE: {err}")),
        }
    }
    Ok(known.divergence)
}

/// A contract's divergences, and what the generated page needs to show
/// them: the guests of the contract (for the repro commands of `*` cells)
/// and the hosts.
pub struct Listed<'a> {
    /// The contract.
    pub contract: &'a Contract,
    /// Its divergences.
    pub divergences: &'a [Divergence],
    /// Its guests' names, sorted.
    pub guests: &'a [String],
    /// Every host's name.
    pub hosts: &'a [&'a str],
}

/// `docs/divergences.md`: every recorded divergence of every contract, with
/// its evidence and a command that reproduces it in each of its cells.
pub fn markdown(contracts: &[Listed<'_>]) -> String {
    let mut text = String::from(
        "<!-- Generated from contracts/*/divergences.toml by `cargo xtask divergences`; do not edit. -->\n\
         # Known divergences\n\n\
         Bugs of tools that witness does not own, found by its differential suites and \
         recorded in `contracts/<name>/divergences.toml` (see `crates/witness/src/known.rs`). \
         A recorded divergence is shown in the matrix as `known: <id>`, counted apart from \
         the passed cases, and never passes a cell by itself: each entry's input is replayed \
         in each of its cells in every run, and an entry that no longer reproduces fails \
         the cell until it is removed.\n\n",
    );
    let total: usize = contracts.iter().map(|listed| listed.divergences.len()).sum();
    if total == 0 {
        text.push_str("None recorded.\n");
        return text;
    }
    text.push_str("| contract | id | cells | function | tool at fault | upstream |\n");
    text.push_str("| --- | --- | --- | --- | --- | --- |\n");
    for listed in contracts {
        for divergence in listed.divergences {
            text.push_str(&format!(
                "| {} | [`{}`](#{}) | {} | `{}` | {} | {} |\n",
                listed.contract.name(),
                divergence.id,
                divergence.id,
                divergence
                    .cells
                    .iter()
                    .map(|cell| format!("`{cell}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                divergence.function,
                divergence.tool,
                divergence.upstream.as_deref().unwrap_or("not filed"),
            ));
        }
    }
    for listed in contracts {
        for divergence in listed.divergences {
            text.push_str(&format!("\n## {}\n\n", divergence.id));
            text.push_str(&format!("- contract: `{}`\n", listed.contract.name()));
            text.push_str(&format!(
                "- cells: {}\n",
                divergence
                    .cells
                    .iter()
                    .map(|cell| format!("`{cell}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            text.push_str(&format!("- function: `{}`\n", divergence.function));
            text.push_str(&format!("- inputs that show it: {}\n", divergence.class));
            text.push_str(&format!("- smallest input: `{}`\n", divergence.input));
            let change = match (&divergence.replace, &divergence.strip_string_prefix) {
                (Some([from, to]), _) => format!("`{from}` becomes `{to}` in the answer's WAVE"),
                (None, Some(prefix)) => format!(
                    "every returned string that starts with `{}` loses it",
                    prefix.escape_unicode()
                ),
                (None, None) => String::new(),
            };
            text.push_str(&format!("- what the cell answers instead: {change}\n"));
            text.push_str(&format!("- tool at fault: {}\n", divergence.tool));
            text.push_str(&format!(
                "- upstream: {}\n",
                divergence.upstream.as_deref().unwrap_or("not filed")
            ));
            text.push_str(&format!("\n{}\n\nReproduce:\n\n```sh\n", divergence.reason));
            for (guest, host) in repro_cells(divergence, listed) {
                text.push_str(&format!(
                    "cargo xtask repro --guest {guest} --host {host} --call {}\n",
                    shell_quote(&divergence.input)
                ));
            }
            text.push_str("```\n");
        }
    }
    text
}

/// `docs/divergences.md` of `project`, generated from every contract's
/// `divergences.toml`.
///
/// # Errors
/// When a contract or its `divergences.toml` does not load, naming it.
pub fn page(project: &crate::project::Project) -> anyhow::Result<String> {
    let contracts = crate::contract::discover(project)
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    let guests: Vec<crate::guest::Guest> = crate::guest::discover(project)?
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let mut entries = Vec::new();
    for contract in &contracts {
        let divergences = of(contract).map_err(|err| anyhow::anyhow!(err))?;
        let mut names: Vec<String> = guests
            .iter()
            .filter(|guest| guest.contract == *contract)
            .map(|guest| guest.name.clone())
            .collect();
        names.sort();
        entries.push((contract, divergences, names));
    }
    let listed: Vec<Listed<'_>> = entries
        .iter()
        .map(|(contract, divergences, guests)| Listed {
            contract,
            divergences,
            guests,
            hosts: &crate::hosts::NAMES,
        })
        .collect();
    Ok(markdown(&listed))
}

/// One concrete cell per pattern of `divergence.cells`: a `*` guest is the
/// contract's first guest, a `*` host every host.
fn repro_cells(divergence: &Divergence, listed: &Listed<'_>) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    for pattern in &divergence.cells {
        let Some((guest, host)) = pattern.split_once("::") else {
            continue;
        };
        let guest = if guest == "*" {
            listed.guests.first().cloned().unwrap_or_else(|| "GUEST".to_owned())
        } else {
            guest.to_owned()
        };
        let hosts: Vec<String> = if host == "*" {
            listed.hosts.iter().map(|host| (*host).to_owned()).collect()
        } else {
            vec![host.to_owned()]
        };
        for host in hosts {
            if !cells.contains(&(guest.clone(), host.clone())) {
                cells.push((guest.clone(), host));
            }
        }
    }
    cells
}

/// `text` as one POSIX shell word.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    fn bom() -> Divergence {
        Divergence {
            id: "bom".to_owned(),
            cells: vec!["*::node".to_owned(), "g::python".to_owned()],
            function: "f".to_owned(),
            class: "c".to_owned(),
            input: "f(\"\\u{feff}\")".to_owned(),
            tool: "t 1.0".to_owned(),
            upstream: None,
            replace: None,
            strip_string_prefix: Some("\u{feff}".to_owned()),
            reason: "r".to_owned(),
        }
    }

    #[test]
    fn a_divergence_explains_only_its_own_change_in_its_own_cells() {
        let bom = bom();
        let row =
            |text: &str| Value::List(vec![Value::Tuple(vec![string(text), Value::Option(None)])]);
        assert!(bom.explains(("g", "node"), &row("\u{feff}"), &row("")));
        assert!(bom.explains(("h", "node"), &row("\u{feff}"), &row("")));
        assert!(bom.explains(("g", "python"), &row("\u{feff}"), &row("")));
        assert!(!bom.explains(("h", "python"), &row("\u{feff}"), &row("")));
        assert!(!bom.explains(("g", "wasmtime"), &row("\u{feff}"), &row("")));
        assert!(bom.explains(
            ("g", "node"),
            &row("\u{feff}\u{feff}\"\u{feff}"),
            &row("\u{feff}\"\u{feff}")
        ));
        // Another difference, or none at all, is not this bug.
        assert!(!bom.explains(("g", "node"), &string("\u{feff}a"), &string("b")));
        assert!(!bom.explains(("g", "node"), &string("a"), &string("a")));
        assert!(!bom.explains(("g", "node"), &string("a\u{feff}"), &string("a")));
        let text = Divergence {
            replace: Some(["-0".to_owned(), "0".to_owned()]),
            strip_string_prefix: None,
            ..bom
        };
        assert!(text.explains(("g", "node"), &Value::F64(-0.0), &Value::F64(0.0)));
        assert!(!text.explains(("g", "node"), &Value::F64(-1.0), &Value::F64(0.0)));
    }

    #[test]
    fn a_bad_file_is_named_with_the_entry_and_the_field() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("divergences.toml");
        assert!(load(&path).expect("no file").is_empty());
        let entry = |extra: &str| {
            format!(
                "[[divergence]]\nid = \"x\"\nfunction = \"f\"\nclass = \"c\"\ninput = 'f(1)'\n\
                 tool = \"t\"\nreason = \"r\"\n{extra}"
            )
        };
        let ok = entry("cells = [\"*::node\"]\nreplace = [\"a\", \"b\"]\n");
        fs::write(&path, &ok).expect("write");
        assert_eq!(load(&path).expect("valid").len(), 1);
        for (text, expected) in [
            (entry("cells = [\"*::node\"]\nreplace = [\"a\"]\n"), "divergences.toml"),
            (entry("cells = []\nreplace = [\"a\", \"b\"]\n"), "`cells`"),
            (entry("cells = [\"node\"]\nreplace = [\"a\", \"b\"]\n"), "`cells`"),
            (entry("cells = [\"*::node\"]\n"), "exactly one non-empty change"),
            (format!("{ok}{ok}"), "must be unique"),
            (
                ok.replace("input = 'f(1)'", "input = 'g(1)'"),
                "`input` calls `g`, but `function` is `f`",
            ),
            (ok.replace("input = 'f(1)'", "input = 'f(1'"), "not a call in WAVE"),
            (ok.replace("tool = \"t\"", "tool = \" \""), "`tool` is empty"),
        ] {
            fs::write(&path, &text).expect("write");
            let err = load(&path).expect_err(&text);
            assert!(err.contains(expected) && err.contains("divergences.toml"), "{err}");
        }
    }

    #[test]
    fn a_repro_command_quotes_the_call_for_the_shell() {
        assert_eq!(shell_quote("f('a')"), "'f('\\''a'\\'')'");
    }
}
