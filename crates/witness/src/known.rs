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
    /// The cell traps where the right answer is a value.
    #[serde(default)]
    pub traps: bool,
    /// Any answer but the right one, a trap included (only with
    /// `calls-matching`, which then is the whole of what the entry claims).
    #[serde(default)]
    pub any_answer: bool,
    /// The ids of `boundary` probes (`crates/witness/src/boundary.rs`) that
    /// the host does not reject: the entry stands for those probes' failures
    /// in its cells, and `input` spells the first probe's call.
    #[serde(default)]
    pub probes: Vec<String>,
    /// Only calls whose WAVE matches this regular expression.
    pub calls_matching: Option<String>,
    /// `calls-matching`, compiled when the file is loaded.
    #[serde(skip)]
    pub matcher: Option<regex::Regex>,
    /// The file it was read from.
    #[serde(skip)]
    pub source: std::path::PathBuf,
    /// What the bug is.
    pub reason: String,
}

/// What a cell answered, as a known divergence sees it.
#[derive(Clone, Copy, Debug)]
pub enum Seen<'a> {
    /// A value.
    Value(&'a Value),
    /// A trap.
    Trap,
}

impl Divergence {
    /// Whether the cell `guest::host` is one of its cells.
    pub fn applies(&self, guest: &str, host: &str) -> bool {
        self.cells.iter().any(|pattern| {
            pattern
                .split_once("::")
                .is_some_and(|(g, h)| (g == "*" || g == guest) && (h == "*" || h == host))
        })
    }

    /// Whether this divergence explains the answer `actual` to `call` (in
    /// WAVE) where `expected` is right, in the cell `guest::host`.
    pub fn explains(
        &self,
        (guest, host): (&str, &str),
        call: &str,
        expected: &Value,
        actual: Seen<'_>,
    ) -> bool {
        if !self.probes.is_empty() || !self.applies(guest, host) {
            return false;
        }
        if self
            .matcher
            .as_ref()
            .is_some_and(|matcher| !matcher.is_match(call))
        {
            return false;
        }
        let actual = match actual {
            Seen::Trap => return self.traps || self.any_answer,
            Seen::Value(actual) if actual == expected => return false,
            Seen::Value(actual) => actual,
        };
        match (&self.replace, &self.strip_string_prefix) {
            (Some([from, to]), _) => {
                wave::to_string(expected).replace(from.as_str(), to) == wave::to_string(actual)
            }
            (None, Some(prefix)) => strip_prefixes(expected, prefix) == *actual,
            (None, None) => self.any_answer,
        }
    }

    /// What the cell answers instead, in words.
    pub fn change(&self) -> String {
        match (&self.replace, &self.strip_string_prefix) {
            (Some([from, to]), _) => format!("`{from}` becomes `{to}` in the answer's WAVE"),
            (None, Some(prefix)) => format!(
                "every returned string that starts with `{}` loses it",
                prefix.escape_unicode()
            ),
            (None, None) if self.traps => "a trap".to_owned(),
            (None, None) if self.any_answer => "another answer, or a trap".to_owned(),
            (None, None) => "the host does not reject the value: the call runs".to_owned(),
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
    let mut divergences = load(&contract.dir().join(FILE))?;
    let hosts = of_hosts()?;
    if let Some(clash) = hosts
        .iter()
        .find(|host| divergences.iter().any(|own| own.id == host.id))
    {
        return Err(format!(
            "{}: the id `{}` is also in {}; ids must be unique",
            contract.dir().join(FILE).display(),
            clash.id,
            hosts_file().display()
        ));
    }
    divergences.extend(hosts);
    Ok(divergences)
}

/// `hosts/divergences.toml` of the witness checkout: bugs of the hosts'
/// value APIs that the `boundary` suite finds whatever the contract is, so
/// they apply to every contract's cells, a user's project's included.
pub fn hosts_file() -> std::path::PathBuf {
    crate::project::Project::from_build_dir()
        .tool_root()
        .join("hosts")
        .join(FILE)
}

/// The hosts' known divergences (`hosts/divergences.toml`): boundary probes
/// only, since a differential entry's input is a call of one contract.
///
/// # Errors
/// When the file is not valid, or has an entry without `probes`.
pub fn of_hosts() -> Result<Vec<Divergence>, String> {
    let path = hosts_file();
    let divergences = load(&path)?;
    if let Some(entry) = divergences.iter().find(|entry| entry.probes.is_empty()) {
        return Err(format!(
            "{}: `{}` has no `probes`: a divergence of every contract's cells can only be a boundary probe's; put one that a contract's calls show in that contract's {FILE}",
            path.display(),
            entry.id
        ));
    }
    Ok(divergences)
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
        let name = format!(
            "{}: divergence {} (`{}`)",
            path.display(),
            index + 1,
            divergence.id
        );
        let changes = [
            divergence
                .replace
                .as_ref()
                .is_some_and(|[from, _]| !from.is_empty()),
            divergence
                .strip_string_prefix
                .as_ref()
                .is_some_and(|prefix| !prefix.is_empty()),
            divergence.traps,
            divergence.any_answer,
            !divergence.probes.is_empty()
                && divergence.probes.iter().all(|probe| !probe.is_empty()),
        ];
        let named = usize::from(divergence.replace.is_some())
            + usize::from(divergence.strip_string_prefix.is_some())
            + usize::from(divergence.traps)
            + usize::from(divergence.any_answer)
            + usize::from(!divergence.probes.is_empty());
        if named != 1 || changes.iter().filter(|change| **change).count() != 1 {
            return Err(format!(
                "{name}: needs exactly one non-empty change: `replace`, `strip-string-prefix`, `traps`, `any-answer` or `probes`"
            ));
        }
        if let Some(unknown) = divergence.probes.iter().find(|probe| {
            !crate::boundary::PROBES
                .iter()
                .any(|known| known.id == probe.as_str())
        }) {
            let ids: Vec<&str> = crate::boundary::PROBES
                .iter()
                .map(|probe| probe.id)
                .collect();
            return Err(format!(
                "{name}: `probes` names `{unknown}`, which is no probe of the boundary suite (it has: {})",
                ids.join(", ")
            ));
        }
        if divergence.any_answer && divergence.calls_matching.is_none() {
            return Err(format!(
                "{name}: `any-answer` needs `calls-matching`, the class of calls it claims"
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
    let mut divergences = known.divergence;
    for (index, divergence) in divergences.iter_mut().enumerate() {
        divergence.source = path.to_path_buf();
        let name = format!(
            "{}: divergence {} (`{}`)",
            path.display(),
            index + 1,
            divergence.id
        );
        if let Some(pattern) = &divergence.calls_matching {
            let matcher = regex::Regex::new(pattern).map_err(|err| {
                format!("{name}: `calls-matching` is not a regular expression: {err}")
            })?;
            if !matcher.is_match(&divergence.input) {
                return Err(format!(
                    "{name}: its `input` does not match its own `calls-matching`"
                ));
            }
            divergence.matcher = Some(matcher);
        }
    }
    Ok(divergences)
}

/// A contract's divergences, and what the generated page needs to show
/// them: the guests of the contract (for the repro commands of `*` cells)
/// and the hosts.
pub struct Listed<'a> {
    /// The contract's name, or what the entries apply to.
    pub name: &'a str,
    /// Its divergences.
    pub divergences: &'a [Divergence],
    /// Its guests' names, sorted.
    pub guests: &'a [String],
    /// Every host's name.
    pub hosts: &'a [&'a str],
    /// The boundary suite's probes for the contract, with their calls.
    pub probe_calls: &'a [(&'static str, String)],
}

/// `docs/divergences.md`: every recorded divergence of every contract, with
/// its evidence and a command that reproduces it in each of its cells.
pub fn markdown(contracts: &[Listed<'_>]) -> String {
    let mut text = String::from(
        "<!-- Generated from contracts/*/divergences.toml and hosts/divergences.toml by `cargo xtask divergences`; do not edit. -->\n\
         # Known divergences\n\n\
         Bugs of tools that witness does not own, found by its differential and boundary \
         suites and recorded in `contracts/<name>/divergences.toml`, or, for the hosts' value \
         APIs whatever the contract, in `hosts/divergences.toml` (see `crates/witness/src/known.rs`). \
         A recorded divergence is shown in the matrix as `known: <id>`, counted apart from \
         the passed cases, and never passes a cell by itself: each entry's input is replayed \
         in each of its cells in every run, and an entry that no longer reproduces fails \
         the cell until it is removed.\n\n",
    );
    let total: usize = contracts
        .iter()
        .map(|listed| listed.divergences.len())
        .sum();
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
                listed.name,
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
            text.push_str(&format!("- contract: {}\n", listed.name));
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
            text.push_str(&format!(
                "- what the cell answers instead: {}\n",
                divergence.change()
            ));
            if let Some(pattern) = &divergence.calls_matching {
                text.push_str(&format!("- calls it claims: those matching `{pattern}`\n"));
            }
            if !divergence.probes.is_empty() {
                text.push_str("- boundary probes, each with the call it makes:\n");
                for probe in &divergence.probes {
                    let call = listed
                        .probe_calls
                        .iter()
                        .find(|(id, _)| id == probe)
                        .map_or(
                            "(no function of the contract takes its type)",
                            |(_, call)| call,
                        );
                    text.push_str(&format!("  - `{probe}`: `{call}`\n"));
                }
            }
            text.push_str(&format!("- tool at fault: {}\n", divergence.tool));
            text.push_str(&format!(
                "- upstream: {}\n",
                divergence.upstream.as_deref().unwrap_or("not filed")
            ));
            text.push_str(&format!("\n{}\n\nReproduce:\n\n```sh\n", divergence.reason));
            for (guest, host) in repro_cells(divergence, listed) {
                text.push_str(&repro_command(divergence, &guest, &host));
                text.push('\n');
            }
            text.push_str("```\n");
        }
    }
    text
}

/// The command that shows a divergence in one cell: its call beside the
/// voters for a differential one, the boundary suite for a probe's.
fn repro_command(divergence: &Divergence, guest: &str, host: &str) -> String {
    if divergence.probes.is_empty() {
        format!(
            "cargo xtask repro --guest {guest} --host {host} --call {}",
            shell_quote(&divergence.input)
        )
    } else if guest.is_empty() {
        format!("cargo xtask test-matrix --host {host} --suite boundary")
    } else {
        format!("cargo xtask test-matrix --guest {guest} --host {host} --suite boundary")
    }
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
        let divergences = load(&contract.dir().join(FILE)).map_err(|err| anyhow::anyhow!(err))?;
        let mut names: Vec<String> = guests
            .iter()
            .filter(|guest| guest.contract == *contract)
            .map(|guest| guest.name.clone())
            .collect();
        names.sort();
        let probe_calls = crate::boundary::probe_calls(contract);
        entries.push((contract, divergences, names, probe_calls));
    }
    let hosts = of_hosts().map_err(|err| anyhow::anyhow!(err))?;
    let mut listed: Vec<Listed<'_>> = entries
        .iter()
        .map(|(contract, divergences, guests, probe_calls)| Listed {
            name: contract.name(),
            divergences,
            guests,
            hosts: &crate::hosts::NAMES,
            probe_calls,
        })
        .collect();
    listed.push(Listed {
        name: "every contract",
        divergences: &hosts,
        guests: &[],
        hosts: &crate::hosts::NAMES,
        probe_calls: &[],
    });
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
            listed
                .guests
                .first()
                .cloned()
                .unwrap_or_else(|| "GUEST".to_owned())
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
            traps: false,
            any_answer: false,
            probes: Vec::new(),
            calls_matching: None,
            matcher: None,
            source: std::path::PathBuf::new(),
            reason: "r".to_owned(),
        }
    }

    #[test]
    fn a_divergence_explains_only_its_own_change_in_its_own_cells() {
        let bom = bom();
        let row =
            |text: &str| Value::List(vec![Value::Tuple(vec![string(text), Value::Option(None)])]);
        let explains = |divergence: &Divergence, cell, expected: &Value, actual: &Value| {
            divergence.explains(cell, "f()", expected, Seen::Value(actual))
        };
        assert!(explains(&bom, ("g", "node"), &row("\u{feff}"), &row("")));
        assert!(explains(&bom, ("h", "node"), &row("\u{feff}"), &row("")));
        assert!(explains(&bom, ("g", "python"), &row("\u{feff}"), &row("")));
        assert!(!explains(&bom, ("h", "python"), &row("\u{feff}"), &row("")));
        assert!(!explains(
            &bom,
            ("g", "wasmtime"),
            &row("\u{feff}"),
            &row("")
        ));
        assert!(explains(
            &bom,
            ("g", "node"),
            &row("\u{feff}\u{feff}\"\u{feff}"),
            &row("\u{feff}\"\u{feff}")
        ));
        // Another difference, none at all, or a trap, is not this bug.
        assert!(!explains(
            &bom,
            ("g", "node"),
            &string("\u{feff}a"),
            &string("b")
        ));
        assert!(!explains(&bom, ("g", "node"), &string("a"), &string("a")));
        assert!(!explains(
            &bom,
            ("g", "node"),
            &string("a\u{feff}"),
            &string("a")
        ));
        assert!(!bom.explains(("g", "node"), "f()", &string("a"), Seen::Trap));
        let text = Divergence {
            replace: Some(["-0".to_owned(), "0".to_owned()]),
            strip_string_prefix: None,
            ..bom.clone()
        };
        assert!(explains(
            &text,
            ("g", "node"),
            &Value::F64(-0.0),
            &Value::F64(0.0)
        ));
        assert!(!explains(
            &text,
            ("g", "node"),
            &Value::F64(-1.0),
            &Value::F64(0.0)
        ));
        // A trap, or any answer, only in the calls it names.
        let traps = Divergence {
            strip_string_prefix: None,
            traps: true,
            calls_matching: Some("int8\\(-".to_owned()),
            matcher: Some(regex::Regex::new("int8\\(-").expect("valid")),
            ..bom.clone()
        };
        assert!(traps.explains(("g", "node"), "f(int8(-1))", &string("a"), Seen::Trap));
        assert!(!traps.explains(("g", "node"), "f(int8(1))", &string("a"), Seen::Trap));
        assert!(!explains(&traps, ("g", "node"), &string("a"), &string("b")));
        let any = Divergence {
            traps: false,
            any_answer: true,
            ..traps
        };
        assert!(any.explains(
            ("g", "node"),
            "f(int8(-1))",
            &string("a"),
            Seen::Value(&string("b"))
        ));
        assert!(!any.explains(
            ("g", "node"),
            "f(int8(1))",
            &string("a"),
            Seen::Value(&string("b"))
        ));
        assert!(any.explains(("g", "node"), "f(int8(-1))", &string("a"), Seen::Trap));
        // A probe's entry is the boundary suite's, never the differential's.
        let probe = Divergence {
            strip_string_prefix: None,
            probes: vec!["u8-256".to_owned()],
            ..bom
        };
        assert!(!explains(&probe, ("g", "node"), &row("\u{feff}"), &row("")));
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
            (
                entry("cells = [\"*::node\"]\nreplace = [\"a\"]\n"),
                "divergences.toml",
            ),
            (entry("cells = []\nreplace = [\"a\", \"b\"]\n"), "`cells`"),
            (
                entry("cells = [\"node\"]\nreplace = [\"a\", \"b\"]\n"),
                "`cells`",
            ),
            (
                entry("cells = [\"*::node\"]\n"),
                "exactly one non-empty change",
            ),
            (format!("{ok}{ok}"), "must be unique"),
            (
                ok.replace("input = 'f(1)'", "input = 'g(1)'"),
                "`input` calls `g`, but `function` is `f`",
            ),
            (
                ok.replace("input = 'f(1)'", "input = 'f(1'"),
                "not a call in WAVE",
            ),
            (
                ok.replace("tool = \"t\"", "tool = \" \""),
                "`tool` is empty",
            ),
            (
                entry("cells = [\"*::node\"]\nany-answer = true\n"),
                "`any-answer` needs `calls-matching`",
            ),
            (
                entry("cells = [\"*::node\"]\ntraps = true\ncalls-matching = \"g\\\\(\"\n"),
                "does not match its own `calls-matching`",
            ),
            (
                entry("cells = [\"*::node\"]\ntraps = true\ncalls-matching = \"(\"\n"),
                "not a regular expression",
            ),
            (
                entry("cells = [\"*::node\"]\ntraps = true\nreplace = [\"a\", \"b\"]\n"),
                "exactly one non-empty change",
            ),
        ] {
            fs::write(&path, &text).expect("write");
            let err = load(&path).expect_err(&text);
            assert!(
                err.contains(expected) && err.contains("divergences.toml"),
                "{err}"
            );
        }
    }

    #[test]
    fn a_repro_command_quotes_the_call_for_the_shell() {
        assert_eq!(shell_quote("f('a')"), "'f('\\''a'\\'')'");
    }
}
