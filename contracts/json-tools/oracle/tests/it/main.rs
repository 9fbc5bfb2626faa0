//! The oracle's tests, in one binary: a reference checker written separately
//! from the generators, and the properties that tie the two together.

mod checks;
mod coverage;
mod invalid;
mod reference;
mod valid;
