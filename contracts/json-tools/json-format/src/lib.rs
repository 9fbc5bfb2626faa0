//! The `example:json-tools@1.0.0` contract as a plain Rust library.
//!
//! [`format`] and [`minify`] validate a JSON document and print it again in
//! one pass over the input, copying every token (strings, numbers, `true`,
//! `false`, `null`) byte for byte.
//! A general JSON library would decode and re-encode numbers and escapes, which
//! the contract forbids, so this crate has its own scanner.
//!
//! The crate is `no_std` (it needs only `alloc`) so that the Rust guest wraps it
//! unchanged, and the same code built natively is the baseline for benchmarks.
//! Nothing recurses: nesting is tracked on a fixed-size stack, so the deepest
//! accepted document (depth 256) needs no more native stack than a flat one.
//!
//! The normative text is `contracts/json-tools/contract.md`; the WIT is `contracts/json-tools/wit/json-tools.wit`.

#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

mod keys;
mod output;
mod printer;
#[cfg(test)]
mod tests;

use alloc::string::String;
use core::fmt;

/// The deepest nesting of arrays and objects that the contract accepts.
const MAX_DEPTH: usize = 256;

/// The largest indent, in spaces per level, that the contract accepts.
const MAX_INDENT: u32 = 16;

/// The layout options of [`format`], the WIT `format-options` record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FormatOptions {
    /// Spaces per nesting level, 0 to 16.
    /// Indent 0 still puts every element on its own line.
    pub indent: u32,
    /// Order the members of every object by the decoded value of their keys,
    /// compared as Unicode scalar values; the sort is stable.
    pub sort_keys: bool,
}

/// Why [`format`] or [`minify`] refused its arguments.
///
/// [`Display`](fmt::Display) renders the contract's error strings:
/// `invalid options: ...` and `at byte N: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The options are invalid (an indent greater than 16).
    /// Options are checked before the input is looked at.
    InvalidOptions(String),
    /// The input is not an accepted document.
    Syntax {
        /// The contract's error offset: the 0-based byte offset of the first
        /// byte at which the input stops being a valid prefix of an accepted
        /// document, or the input's length when it ends too early.
        /// An unpaired surrogate escape reports its backslash, and the bracket
        /// that opens depth 257 reports its own offset.
        offset: usize,
        /// What is wrong, for people.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidOptions(message) => write!(f, "invalid options: {message}"),
            Error::Syntax { offset, message } => write!(f, "at byte {offset}: {message}"),
        }
    }
}

impl core::error::Error for Error {}

/// Validates `input` and pretty-prints it.
///
/// `None` means indent 2 without sorting.
/// Every container that is not empty puts each element on its own line,
/// indented by (depth + 1) × indent spaces; empty containers print as `[]`
/// and `{}`; a member prints as key, `:`, a space and the value.
/// The output has no leading or trailing whitespace.
///
/// # Errors
///
/// [`Error::InvalidOptions`] when `options.indent` is greater than 16, and
/// [`Error::Syntax`] when `input` is not an accepted document.
pub fn format(input: &str, options: Option<FormatOptions>) -> Result<String, Error> {
    let options = options.unwrap_or(FormatOptions {
        indent: 2,
        sort_keys: false,
    });
    if options.indent > MAX_INDENT {
        return Err(Error::InvalidOptions(alloc::format!(
            "indent {} is greater than {MAX_INDENT}",
            options.indent
        )));
    }
    let layout = printer::Layout {
        // The bound check above makes the conversion lossless.
        indent: options.indent as usize,
        sort_keys: options.sort_keys,
    };
    printer::print(input, Some(layout))
}

/// Validates `input` and prints it with no whitespace outside strings.
///
/// # Errors
///
/// [`Error::Syntax`] when `input` is not an accepted document; the validation
/// is the same as [`format`]'s.
pub fn minify(input: &str) -> Result<String, Error> {
    printer::print(input, None)
}
