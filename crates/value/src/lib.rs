//! The harness's one value model.
//!
//! Every argument and result that crosses a cell is a [`Value`] of a
//! [`Type`] of the WIT type system: all scalars, `list`, `record`, `tuple`,
//! `variant`, `enum`, `flags`, `option` and `result`.  Both map one-to-one
//! onto wasmtime's `component::Val` and `component::Type` (resources aside:
//! a function that takes or returns one is reported as unsupported, never
//! dropped).
//!
//! - [`Type::from_wit`] and [`Function::exports`] read types from a WIT
//!   package with `wit-parser`, which is where every host's expectations and
//!   every generated value come from.
//! - [`Value`]'s `PartialEq` is the one comparison of values: every NaN
//!   equals every other NaN, other floats compare by bits (`-0` differs from
//!   `+0`), flags compare as sets, strings as bytes.
//! - [`wave`] is the one text form that people read: WAVE, through the
//!   `wasm-wave` crate, in reports, diffs, repro commands and regression
//!   files.

mod ty;
mod value;
pub mod wave;
pub mod wire;

pub use ty::{Case, Field, Function, FunctionKey, Type, TypeError};
pub use value::Value;
