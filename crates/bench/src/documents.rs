//! The two documents every cell and baseline formats: about 200 B and about
//! 1 MB, the same bytes in every run.
//!
//! This file uses nothing but `std`, because the criterion bench of
//! `crates/witness/benches/cells.rs` includes it by path: both benches format
//! the same documents without a dependency between the crates.

/// A document of about 200 bytes with every kind of value.
pub const SMALL: &str = r#"{"id": 1042, "name": "witness", "tags": ["wasm", "component", "json"], "ok": true, "ratio": 1.5e-3, "owner": {"login": "bench", "since": "2026-11-25"}, "scores": [1, 2, 3, 5, 8, 13], "note": null}"#;

/// The size the large document grows to, at least.
pub const LARGE_BYTES: usize = 1 << 20;

/// A document of a little over `bytes` bytes: an array of small objects with
/// numbers, escapes, non-ASCII text, literals and nesting.
pub fn large(bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 256);
    text.push('[');
    let mut index = 0;
    while text.len() < bytes {
        if index > 0 {
            text.push_str(", ");
        }
        text.push_str(&format!(
            r#"{{"index": {index}, "name": "item \u00e9 {index}", "values": [1.5, -2e10, true, null], "nested": {{"z": "last", "a": "first"}}}}"#
        ));
        index += 1;
    }
    text.push(']');
    text
}

/// The documents with their labels, small first.
pub fn all() -> Vec<(&'static str, String)> {
    vec![("200B", SMALL.to_owned()), ("1MB", large(LARGE_BYTES))]
}
