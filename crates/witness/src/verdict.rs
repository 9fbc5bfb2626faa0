//! What the contract lets us compare: an outcome with the free text of error
//! messages removed.
//!
//! `ok` outputs are compared byte for byte.  Errors are compared by their
//! machine-checkable part only: `invalid options`, or `at byte N`.  A trap, or
//! an error message in neither form, is never a correct result.

use std::fmt;

use serde::Serialize;
use witness_host_api::{Call, Outcome};

/// The comparable part of an [`Outcome`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Normal {
    /// `ok(output)`.
    Ok {
        /// The output, byte for byte.
        output: String,
    },
    /// `err("invalid options: ...")`.
    InvalidOptions,
    /// `err("at byte N: ...")`.
    ErrAt {
        /// The byte offset N.
        offset: usize,
    },
    /// An `err` whose message has neither form: a contract violation.
    BadError {
        /// The whole message.
        message: String,
    },
    /// The guest trapped.
    Trap {
        /// The host's message.
        message: String,
    },
}

impl Normal {
    /// Normalises an outcome.
    pub fn of(outcome: &Outcome) -> Normal {
        Normal::from_outcome(outcome.clone())
    }

    /// [`Normal::of`], keeping the outcome's strings instead of copying them.
    pub fn from_outcome(outcome: Outcome) -> Normal {
        match outcome {
            Outcome::Ok(output) => Normal::Ok { output },
            Outcome::Err(message) => {
                if message.starts_with("invalid options: ") {
                    return Normal::InvalidOptions;
                }
                match error_offset(&message) {
                    Some(offset) => Normal::ErrAt { offset },
                    None => Normal::BadError { message },
                }
            }
            Outcome::Trap(message) => Normal::Trap { message },
        }
    }

    /// The `ok` output, if any.
    pub fn output(&self) -> Option<&str> {
        match self {
            Normal::Ok { output } => Some(output),
            _ => None,
        }
    }

    /// Whether two outcomes agree.  Traps never agree, not even with each
    /// other: a trap is a failure of the cell, not a result.
    pub fn agrees_with(&self, other: &Normal) -> bool {
        !matches!(self, Normal::Trap { .. } | Normal::BadError { .. }) && self == other
    }
}

/// Outputs longer than this are shown by their ends and their hash.
const LONG_OUTPUT: usize = 8 * 1024;

/// How many lines of each end of a long output are shown.
const SHOWN_LINES: usize = 12;

/// A line of a long output, cut to 200 bytes at a character boundary.
fn shorten(line: &str) -> String {
    if line.len() <= 200 {
        return line.to_owned();
    }
    let end = (0..=200)
        .rev()
        .find(|index| line.is_char_boundary(*index))
        .unwrap_or(0);
    format!("{}... ({} bytes)", &line[..end], line.len())
}

/// N from an error message `at byte N: ...`.
pub fn error_offset(message: &str) -> Option<usize> {
    let rest = message.strip_prefix("at byte ")?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    if digits == 0 || !rest[digits..].starts_with(':') {
        return None;
    }
    rest[..digits].parse().ok()
}

impl fmt::Display for Normal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Normal::Ok { output } if output.len() > LONG_OUTPUT => {
                // A reviewer cannot read megabytes: show both ends, and pin
                // the whole output by its length and hash.
                let lines: Vec<&str> = output.split('\n').collect();
                write!(
                    f,
                    "ok, {} bytes, {} lines, blake3 {}",
                    output.len(),
                    lines.len(),
                    blake3::hash(output.as_bytes()).to_hex()
                )?;
                for line in &lines[..SHOWN_LINES.min(lines.len())] {
                    write!(f, "\n  | {}", shorten(line))?;
                }
                write!(f, "\n  | ...")?;
                for line in &lines[lines.len().saturating_sub(SHOWN_LINES)..] {
                    write!(f, "\n  | {}", shorten(line))?;
                }
                Ok(())
            }
            Normal::Ok { output } => {
                write!(f, "ok")?;
                for line in output.split('\n') {
                    write!(f, "\n  | {line}")?;
                }
                Ok(())
            }
            Normal::InvalidOptions => write!(f, "err invalid options"),
            Normal::ErrAt { offset } => write!(f, "err at byte {offset}"),
            Normal::BadError { message } => {
                write!(f, "err (not in the contract's form) {message:?}")
            }
            Normal::Trap { message } => write!(f, "trap {message:?}"),
        }
    }
}

/// A short name for a call's function and options, as the snapshots and the
/// report spell it: `format(none)`, `format(indent=4,sort-keys)`, `minify`,
/// `normalize`.
pub fn call_label(call: &Call) -> String {
    match call {
        Call::Format { options: None, .. } => "format(none)".to_owned(),
        Call::Format {
            options: Some(options),
            ..
        } => {
            let sort = if options.sort_keys { ",sort-keys" } else { "" };
            format!("format(indent={}{sort})", options.indent)
        }
        Call::Minify { .. } => "minify".to_owned(),
        Call::Normalize { .. } => "normalize".to_owned(),
    }
}

/// A unified diff of two outputs, for failure reports.
pub fn diff(expected: &str, actual: &str) -> String {
    similar::TextDiff::from_lines(expected, actual)
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_are_read_by_their_prefix_only() {
        assert_eq!(
            Normal::of(&Outcome::Err("at byte 3: trailing comma".into())),
            Normal::ErrAt { offset: 3 }
        );
        assert_eq!(
            Normal::of(&Outcome::Err("invalid options: indent 17".into())),
            Normal::InvalidOptions
        );
        assert!(matches!(
            Normal::of(&Outcome::Err("at byte x: y".into())),
            Normal::BadError { .. }
        ));
        assert!(matches!(
            Normal::of(&Outcome::Err("at byte 3 oops".into())),
            Normal::BadError { .. }
        ));
        assert!(matches!(
            Normal::of(&Outcome::Err("syntax error".into())),
            Normal::BadError { .. }
        ));
    }

    #[test]
    fn traps_agree_with_nothing() {
        let trap = Normal::of(&Outcome::Trap("unreachable".into()));
        assert!(!trap.agrees_with(&trap.clone()));
        let ok = Normal::of(&Outcome::Ok("[]".into()));
        assert!(ok.agrees_with(&ok.clone()));
    }
}
