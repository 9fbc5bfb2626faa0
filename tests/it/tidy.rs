//! Tidy checks: the repository keeps its own rules.
//!
//! - every Rust module starts with `//!` docs;
//! - no test is skipped with `#[ignore]` or expected to panic with
//!   `#[should_panic]` (expected failures are data);
//! - a contract's normative `contracts/<name>/contract.md` and its
//!   `wit/*.wit` change together (`contracts/<name>/contract.seal` records
//!   their hashes), and every example in json-tools' offset tables holds for
//!   the reference implementation;
//! - every snapshot belongs to a corpus case;
//! - every template under `templates/` has a `guest.toml.tmpl` that loads as
//!   a guest manifest once `cargo xtask new-guest` has filled it in.

use std::{fs, path::Path};

use libtest_mimic::{Failed, Trial};
use walkdir::WalkDir;
use witness::project::Project;

pub fn trials() -> Vec<Trial> {
    vec![
        Trial::test("tidy::module_docs", || check(module_docs())),
        Trial::test("tidy::no_ignored_or_should_panic_tests", || {
            check(no_ignore())
        }),
        Trial::test("tidy::contract_and_wit_change_together", || {
            check(contract_seal())
        }),
        Trial::test(
            "tidy::contract_examples_hold",
            || check(contract_examples()),
        ),
        Trial::test("tidy::no_orphan_snapshots", || check(orphan_snapshots())),
        Trial::test("tidy::divergences_page_is_current", || {
            check(divergences_page())
        }),
        Trial::test("tidy::templates_are_manifests", || {
            check(templates_are_manifests())
        }),
    ]
}

fn check(problems: Vec<String>) -> Result<(), Failed> {
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

fn root() -> std::path::PathBuf {
    Project::from_build_dir().root().to_path_buf()
}

/// Rust files of the workspace (not guests' generated code, not target/).
fn rust_files() -> Vec<std::path::PathBuf> {
    let root = root();
    ["crates", "hosts", "xtask", "tests", "guests"]
        .iter()
        .flat_map(|dir| {
            WalkDir::new(root.join(dir))
                .into_iter()
                .filter_entry(|entry| {
                    let name = entry.file_name().to_string_lossy();
                    !(name == "target" || name == "node_modules" || name.starts_with('.'))
                })
        })
        .filter_map(Result::ok)
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "rs"))
        .map(|entry| entry.into_path())
        .collect()
}

fn module_docs() -> Vec<String> {
    rust_files()
        .into_iter()
        .filter(|path| {
            let text = fs::read_to_string(path).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|path| {
            format!(
                "{}: a module starts with `//!` docs that say what it is for",
                path.display()
            )
        })
        .collect()
}

fn no_ignore() -> Vec<String> {
    let banned = [concat!("#[", "ignore"), concat!("#[", "should_panic")];
    rust_files()
        .into_iter()
        // This file names the patterns in its docs.
        .filter(|path| !path.ends_with("tests/it/tidy.rs"))
        .flat_map(|path| {
            let text = fs::read_to_string(&path).unwrap_or_default();
            banned
                .iter()
                .filter(|pattern| text.contains(**pattern))
                .map(|pattern| {
                    format!(
                        "{}: `{pattern}]`: assert today's behaviour with a FIXME instead",
                        path.display()
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Every contract with a normative document, `contracts/<name>/contract.md`,
/// is sealed with its WIT (`wit/*.wit`, not its `deps/`) in
/// `contracts/<name>/contract.seal`: a change to one needs a look at the
/// other, and a reseal.
fn contract_seal() -> Vec<String> {
    let root = root();
    let Ok(entries) = fs::read_dir(root.join("contracts")) else {
        return vec!["contracts/ cannot be read".to_owned()];
    };
    let mut dirs: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|dir| dir.join("contract.md").is_file())
        .collect();
    dirs.sort();
    dirs.iter().flat_map(|dir| seal_one(&root, dir)).collect()
}

fn seal_one(root: &Path, dir: &Path) -> Vec<String> {
    let relative = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let hash = |path: &Path| {
        fs::read(path)
            .map(|bytes| blake3::hash(&bytes).to_hex().to_string())
            .unwrap_or_default()
    };
    let mut wits: Vec<_> = fs::read_dir(dir.join("wit"))
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wit"))
        .collect();
    wits.sort();
    let doc = dir.join("contract.md");
    let seal = dir.join("contract.seal");
    let current: String = std::iter::once(&doc)
        .chain(&wits)
        .map(|file| {
            let name = file.strip_prefix(dir).unwrap_or(file).display().to_string();
            format!("{name} {}\n", hash(file))
        })
        .collect();
    if std::env::var("WITNESS_UPDATE_SEAL").is_ok_and(|value| value == "1") {
        return match fs::write(&seal, &current) {
            Ok(()) => vec![],
            Err(err) => vec![format!("writing {}: {err}", relative(&seal))],
        };
    }
    let sealed = fs::read_to_string(&seal).unwrap_or_default();
    let reseal = "reseal with WITNESS_UPDATE_SEAL=1 cargo test -p witness-tests --test it -- tidy";
    let changed: Vec<String> = current
        .lines()
        .filter(|line| !sealed.lines().any(|old| old == *line))
        .filter_map(|line| line.split(' ').next().map(str::to_owned))
        .collect();
    let doc_changed = changed.iter().any(|name| name == "contract.md");
    let wit_changed = changed.iter().any(|name| name != "contract.md")
        || sealed.lines().count() != current.lines().count();
    let (doc, seal) = (relative(&doc), relative(&seal));
    let wit = relative(&dir.join("wit"));
    match (doc_changed, wit_changed) {
        (false, false) => vec![],
        (true, false) => vec![format!(
            "{doc} changed but {wit} did not: update the WIT doc comments to match, then {reseal}"
        )],
        (false, true) => vec![format!(
            "{wit} changed but {doc} did not: update the normative text to match, then {reseal}"
        )],
        (true, true) => vec![format!(
            "{doc} and {wit} both changed since {seal}: check that they agree, then {reseal}"
        )],
    }
}

/// Every row of a Markdown table in contracts/json-tools/contract.md whose first cell is one
/// code span (or `empty input`) and whose second cell is a number is an offset
/// example: the reference implementation must report `at byte N` for it.
/// Rows that describe their input in words are for people and are skipped.
fn contract_examples() -> Vec<String> {
    let path = root().join("contracts/json-tools/contract.md");
    let Ok(text) = fs::read_to_string(&path) else {
        return vec![format!("{}: missing", path.display())];
    };
    let mut problems = Vec::new();
    let mut checked = 0;
    for (line_index, line) in text.lines().enumerate() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() < 2 {
            continue;
        }
        let first = cells[0];
        let Ok(offset) = cells[1].parse::<usize>() else {
            continue;
        };
        let Some(input) = example_input(first) else {
            continue;
        };
        checked += 1;
        let result = json_format::minify(&input);
        let got = result
            .as_ref()
            .err()
            .and_then(|err| witness::verdict::error_offset(&err.to_string()));
        if got != Some(offset) {
            problems.push(format!(
                "{}:{}: the example {first} should fail at byte {offset}; the reference gives {result:?}",
                path.display(),
                line_index + 1
            ));
        }
    }
    if checked < 6 {
        problems.push(format!(
            "{}: found only {checked} offset examples; the table format changed?",
            path.display()
        ));
    }
    problems
}

/// The input a table cell shows: exactly one code span, or `empty input`.
fn example_input(cell: &str) -> Option<String> {
    if cell.eq_ignore_ascii_case("empty input") {
        return Some(String::new());
    }
    let code = cell.strip_prefix('`')?.strip_suffix('`')?;
    (!code.contains('`')).then(|| code.to_owned())
}

fn orphan_snapshots() -> Vec<String> {
    let project = Project::from_build_dir();
    let Ok(entries) = fs::read_dir(witness::json_tools::snapshots_dir(&project)) else {
        return vec![];
    };
    let corpus = witness::json_tools::corpus_dir(&project);
    entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "snap"))
        .filter(|path| {
            let stem = path
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(id) = stem.strip_prefix("corpus__") else {
                return true;
            };
            !corpus
                .join(format!("{}.json", id.replace("__", "/")))
                .is_file()
        })
        .map(|path| {
            format!(
                "{}: no corpus case has this snapshot; delete it",
                path.display()
            )
        })
        .collect()
}

/// Every `templates/<lang>/` holds a `guest.toml.tmpl` that, with its
/// placeholders filled in as `cargo xtask new-guest` fills them
/// (`crates/cli/src/new_guest.rs`), loads as a guest manifest; and no file of a
/// template keeps a `{{guest...}}` placeholder that new-guest does not know.
/// Nothing is built: the filled-in manifest is written to a scratch guest
/// directory under cargo's temporary target directory and loaded from there.
fn templates_are_manifests() -> Vec<String> {
    let templates_dir = root().join("templates");
    let scratch_dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tidy-templates");
    // json-tools' templates, then those for any contract (`templates/any/`).
    let dirs_in = |dir: &Path| -> Result<Vec<std::path::PathBuf>, String> {
        let mut dirs: Vec<std::path::PathBuf> = fs::read_dir(dir)
            .map_err(|err| format!("{}: {err}", dir.display()))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.is_dir() && !path.ends_with("any"))
            .collect();
        dirs.sort();
        Ok(dirs)
    };
    let template_dirs = match (dirs_in(&templates_dir), dirs_in(&templates_dir.join("any"))) {
        (Ok(mut dirs), Ok(any)) => {
            dirs.extend(any);
            dirs
        }
        (Err(err), _) | (_, Err(err)) => return vec![err],
    };
    if template_dirs.is_empty() {
        return vec![format!("{}: no template", templates_dir.display())];
    }
    let mut problems = Vec::new();
    for template_dir in template_dirs {
        let lang = template_dir
            .strip_prefix(&templates_dir)
            .unwrap_or(&template_dir)
            .to_string_lossy()
            .replace('/', "-");
        let name = format!("tidy-template-{lang}");
        let snake = name.replace('-', "_");
        // As new-guest fills them in; a template for any contract is tried
        // on all-types.
        let fill = |text: &str| {
            text.replace("{{guest}}", &name)
                .replace("{{guest_snake}}", &snake)
                .replace("{{contract}}", "all-types")
                .replace("{{world}}", "all-types")
                .replace("{{world_snake}}", "all_types")
                .replace("{{wit}}", "../../contracts/all-types/wit")
        };
        for entry in WalkDir::new(&template_dir)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
        {
            let text = fs::read_to_string(entry.path()).unwrap_or_default();
            if fill(&text).contains("{{guest") {
                problems.push(format!(
                    "{}: a placeholder other than {{{{guest}}}}, {{{{guest_snake}}}}, {{{{contract}}}}, {{{{world}}}}, {{{{world_snake}}}} and {{{{wit}}}}, which new-guest would leave as it is",
                    entry.path().display()
                ));
            }
        }
        let manifest_path = template_dir.join("guest.toml.tmpl");
        let Ok(manifest_text) = fs::read_to_string(&manifest_path) else {
            problems.push(format!(
                "{}: missing; every template needs one",
                manifest_path.display()
            ));
            continue;
        };
        let guest_dir = scratch_dir.join(&name);
        if let Err(err) = fs::create_dir_all(&guest_dir)
            .and_then(|()| fs::write(guest_dir.join("guest.toml"), fill(&manifest_text)))
        {
            problems.push(format!("{}: {err}", guest_dir.display()));
            continue;
        }
        if let Err(err) = witness::guest::load(&guest_dir) {
            problems.push(format!(
                "{} (filled in as guest `{name}`): {err}",
                manifest_path.display()
            ));
        }
    }
    problems
}

/// docs/divergences.md is what `cargo xtask divergences` makes of the
/// contracts' divergences.toml files.
fn divergences_page() -> Vec<String> {
    let project = Project::from_build_dir();
    match witness::known::page(&project) {
        Ok(page) => {
            let path = root().join("docs/divergences.md");
            if fs::read_to_string(&path).ok().as_deref() == Some(page.as_str()) {
                Vec::new()
            } else {
                vec![format!(
                    "{} is stale: run `cargo xtask divergences`",
                    path.display()
                )]
            }
        }
        Err(err) => vec![format!("{err:#}")],
    }
}
