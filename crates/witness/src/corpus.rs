//! The hand-written corpus: `contracts/json-tools/corpus/<area>/<name>.json`, each file the
//! raw input of one case, run through a fixed set of calls; its expectation is
//! a reviewed insta snapshot in `contracts/json-tools/snapshots/`, and for invalid inputs a
//! hand-computed offset in `contracts/json-tools/corpus/errors.toml`.

use std::{
    collections::BTreeMap,
    fs,
    path::{Path, PathBuf},
};

use walkdir::WalkDir;
use witness_host_api::{Call, FormatOptions};

use crate::verdict::{Normal, call_label};

/// A corpus file that cannot be a case.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not UTF-8, so it is not representable as a WIT string.
    #[error("{path}: not representable as a WIT string: invalid UTF-8 at byte {offset}")]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The offset of the first byte that is not UTF-8.
        offset: usize,
    },
    /// `errors.toml` is malformed or names a file that does not exist.
    #[error("{path}: {message}")]
    Index {
        /// `errors.toml`.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// One corpus case.
#[derive(Clone, Debug)]
pub struct CorpusCase {
    /// `<area>/<name>`, the path under the corpus directory without `.json`.
    pub id: String,
    /// The file.
    pub path: PathBuf,
    /// Its contents.
    pub input: String,
    /// What `errors.toml` declares: `Some(N)` for an invalid input with its
    /// error at byte N, `None` for a valid input.  Only the project's own
    /// corpus has declarations; a user's corpus has `Declared::Unknown`.
    pub declared: Declared,
}

/// The hand-written expectation of a case's validity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declared {
    /// Valid: every call with valid options must be `ok`.
    Valid,
    /// Invalid at this byte offset.
    InvalidAt(usize),
    /// A user's corpus: no declaration; the cells must agree.
    Unknown,
}

/// Loads every `.json` file under `dir`, sorted by id.  A bad file is an error
/// beside the good ones, so that it does not hide them.
///
/// With `index` (the project's corpus), `errors.toml` in `dir` declares the
/// invalid cases and every other case is declared valid.
///
/// # Errors
/// When `errors.toml` is malformed or names a missing file.
pub fn load(dir: &Path, index: bool) -> Result<Vec<Result<CorpusCase, CorpusError>>, CorpusError> {
    let mut errors = if index {
        read_index(dir)?
    } else {
        BTreeMap::new()
    };
    let mut paths: Vec<PathBuf> = WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| entry.into_path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    let cases = paths
        .into_iter()
        .map(|path| {
            let relative = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let declared = match (index, errors.remove(&relative)) {
                (false, _) => Declared::Unknown,
                (true, Some(offset)) => Declared::InvalidAt(offset),
                (true, None) => Declared::Valid,
            };
            let id = relative.trim_end_matches(".json").to_owned();
            let bytes = fs::read(&path).map_err(|source| CorpusError::Read {
                path: path.clone(),
                source,
            })?;
            let input = String::from_utf8(bytes).map_err(|err| CorpusError::NotUtf8 {
                path: path.clone(),
                offset: err.utf8_error().valid_up_to(),
            })?;
            Ok(CorpusCase {
                id,
                path,
                input,
                declared,
            })
        })
        .collect();
    if let Some(missing) = errors.keys().next() {
        return Err(CorpusError::Index {
            path: dir.join("errors.toml"),
            message: format!("names `{missing}`, which is not a corpus file"),
        });
    }
    Ok(cases)
}

fn read_index(dir: &Path) -> Result<BTreeMap<String, usize>, CorpusError> {
    let path = dir.join("errors.toml");
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(source) => return Err(CorpusError::Read { path, source }),
    };
    toml::from_str(&text).map_err(|err| CorpusError::Index {
        path,
        message: err.to_string(),
    })
}

/// The calls every corpus case is run through.  Indent 17 is invalid, so that
/// call checks that options are checked before the input.
pub fn calls(input: &str) -> Vec<Call> {
    let format = |options: Option<(u32, bool)>| Call::Format {
        input: input.to_owned(),
        options: options.map(|(indent, sort_keys)| FormatOptions { indent, sort_keys }),
    };
    vec![
        format(None),
        format(Some((0, false))),
        format(Some((4, true))),
        format(Some((16, false))),
        format(Some((17, false))),
        Call::Minify {
            input: input.to_owned(),
        },
    ]
}

/// Checks outcomes against the case's declaration; returns what is wrong.
pub fn check_declared(case: &CorpusCase, calls: &[Call], outcomes: &[Normal]) -> Vec<String> {
    let mut problems = Vec::new();
    for (call, outcome) in calls.iter().zip(outcomes) {
        let invalid_options =
            matches!(call, Call::Format { options: Some(options), .. } if options.indent > 16);
        let expected = match (invalid_options, case.declared) {
            (_, Declared::Unknown) => continue,
            (true, _) => Some(Normal::InvalidOptions),
            (false, Declared::InvalidAt(offset)) => Some(Normal::ErrAt { offset }),
            (false, Declared::Valid) => None,
        };
        let fine = match &expected {
            Some(expected) => outcome == expected,
            None => matches!(outcome, Normal::Ok { .. }),
        };
        if !fine {
            let expected = expected.map_or("ok".to_owned(), |expected| expected.to_string());
            problems.push(format!(
                "{}: {}: expected {expected} (contracts/json-tools/corpus/errors.toml), got {outcome}",
                case.id,
                call_label(call)
            ));
        }
    }
    problems
}

/// The snapshot name of a case: `corpus__<area>__<name>`.
pub fn snapshot_name(case: &CorpusCase) -> String {
    format!("corpus__{}", case.id.replace('/', "__"))
}

/// Renders a case's outcomes as its snapshot text.  The input is named by
/// size and hash, so that editing a corpus file invalidates its snapshot.
pub fn render(case: &CorpusCase, calls: &[Call], outcomes: &[Normal]) -> String {
    let mut text = format!(
        "input: {} bytes, blake3 {}\n",
        case.input.len(),
        &blake3::hash(case.input.as_bytes()).to_hex()[..16]
    );
    for (call, outcome) in calls.iter().zip(outcomes) {
        text.push_str(&format!("{}: {outcome}\n", call_label(call)));
    }
    text.trim_end().to_owned()
}

/// Reads the contents of an insta snapshot file, without its header; `None`
/// when there is no snapshot.
///
/// # Errors
/// When the file exists but cannot be read or has no insta header.
pub fn read_snapshot(path: &Path) -> anyhow::Result<Option<String>> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => {
            return Err(anyhow::Error::new(err).context(format!("reading {}", path.display())));
        }
    };
    let body = text
        .strip_prefix("---\n")
        .and_then(|rest| rest.split_once("\n---\n"))
        .map(|(_, body)| body)
        .ok_or_else(|| {
            anyhow::anyhow!(
                "{}: not an insta snapshot (no `---` header)",
                path.display()
            )
        })?;
    Ok(Some(body.trim_end().to_owned()))
}
