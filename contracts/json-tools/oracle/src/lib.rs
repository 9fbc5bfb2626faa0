//! The oracle: what the json-tools contract expects, computed without any
//! guest.
//!
//! The guests are independent implementations of the contract, so the oracle
//! must not be one more parser-and-formatter that could share their bugs.
//! Instead it generates JSON *trees that carry their raw lexemes* (every
//! number, string and key exactly as spelled, every run of whitespace) and
//! renders from each tree both the input text and the expected outputs.
//! Invalid inputs are valid documents mutated at a known byte, so their error
//! offsets are known by construction.
//!
//! - [`document`], [`deep_document`]: strategies for valid [`Document`]s.
//! - [`invalid_document`]: a strategy for [`Invalid`] inputs with the error
//!   offset the contract prescribes.
//! - [`check_sorted`], [`error_offset`]: checks on any cell's output.

mod check;
mod choice;
mod generate;
mod invalid;
mod tree;

pub use check::{check_sorted, error_offset};
pub use generate::{deep_document, document};
pub use invalid::{Invalid, invalid_document};
pub use tree::{Document, MAX_DEPTH, MAX_INDENT};
