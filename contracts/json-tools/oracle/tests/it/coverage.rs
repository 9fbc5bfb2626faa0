//! The generators cover what the contract needs: every feature below shows up
//! in a few thousand cases from a fixed seed.
//!
//! A feature that stops showing up is a silent hole in the property tests, so
//! these tests fail loudly instead.

use std::collections::BTreeMap;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use witness_oracle::{Document, document, invalid_document};

use crate::reference::{self, RefNode};

const N_CASES: usize = 2000;

fn sample<S: Strategy>(strategy: S, n_cases: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::deterministic();
    (0..n_cases)
        .map(|_| strategy.new_tree(&mut runner).expect("generates").current())
        .collect()
}

/// Counts, for each named feature, the documents that have it.
fn features(doc: &Document) -> Vec<&'static str> {
    let text = doc.text();
    let mut res = Vec::new();
    let mut check = |name: &'static str, present: bool| {
        if present {
            res.push(name);
        }
    };
    for escape in [r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t"] {
        check(escape, text.contains(escape));
    }
    let u_escapes = u_escapes(&text);
    check(
        "\\u lower-case hex",
        u_escapes
            .iter()
            .any(|hex| hex.chars().any(|c| c.is_ascii_lowercase())),
    );
    check(
        "\\u upper-case hex",
        u_escapes
            .iter()
            .any(|hex| hex.chars().any(|c| c.is_ascii_uppercase())),
    );
    check(
        "\\u surrogate pair",
        u_escapes.iter().any(|hex| {
            matches!(
                hex.to_ascii_uppercase().get(..2),
                Some("D8" | "D9" | "DA" | "DB")
            )
        }),
    );
    check(
        "\\u of a control character",
        u_escapes
            .iter()
            .any(|hex| hex.starts_with("00") && hex.as_bytes()[2] <= b'1'),
    );
    check("raw 2-byte UTF-8", text.chars().any(|c| c.len_utf8() == 2));
    check("raw 3-byte UTF-8", text.chars().any(|c| c.len_utf8() == 3));
    check("raw 4-byte UTF-8", text.chars().any(|c| c.len_utf8() == 4));
    check("tab", text.contains('\t'));
    check("CR", text.contains('\r'));
    check("LF", text.contains('\n'));
    check(
        "no whitespace at all",
        !text.contains([' ', '\t', '\n', '\r']),
    );
    check(
        "empty container with whitespace inside",
        ["[ ", "[\t", "[\n", "[\r", "{ ", "{\t", "{\n", "{\r"]
            .iter()
            .any(|open| {
                text.match_indices(open).any(|(at, _)| {
                    let close = if open.starts_with('[') { ']' } else { '}' };
                    text[at + 1..]
                        .trim_start_matches([' ', '\t', '\n', '\r'])
                        .starts_with(close)
                })
            }),
    );
    check("top-level scalar", doc.max_depth() == 0);
    check("depth 5 or more", doc.max_depth() >= 5);
    check("depth 20 or more", doc.max_depth() >= 20);
    check("1e400", text.contains("1e400"));
    check("-0.0e-0", text.contains("-0.0e-0"));
    let tree = reference::parse(&text).expect("valid");
    let mut numbers = Vec::new();
    let mut objects = Vec::new();
    walk(&tree, &mut numbers, &mut objects);
    check("number 0", numbers.contains(&"0"));
    check("number -0", numbers.contains(&"-0"));
    check(
        "negative number",
        numbers.iter().any(|n| n.starts_with('-')),
    );
    check("fraction", numbers.iter().any(|n| n.contains('.')));
    check("exponent e", numbers.iter().any(|n| n.contains('e')));
    check("exponent E", numbers.iter().any(|n| n.contains('E')));
    check(
        "exponent +",
        numbers.iter().any(|n| n.contains("e+") || n.contains("E+")),
    );
    check(
        "exponent -",
        numbers.iter().any(|n| n.contains("e-") || n.contains("E-")),
    );
    check(
        "exponent without sign",
        numbers.iter().any(|n| {
            n.contains(['e', 'E']) && !n.contains('+') && !n.contains("e-") && !n.contains("E-")
        }),
    );
    check(
        "20-digit run",
        numbers.iter().any(|n| {
            n.split(|c: char| !c.is_ascii_digit())
                .any(|run| run.len() >= 20)
        }),
    );
    check(
        "literal",
        text.contains("true") || text.contains("false") || text.contains("null"),
    );
    for members in &objects {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for &(raw, decoded) in members {
            if let Some(&previous_raw) = seen.get(decoded) {
                check("duplicate key", true);
                check("duplicate key spelled differently", previous_raw != raw);
            }
            seen.insert(decoded, raw);
        }
        check(
            "U+FF61 and U+1F600 keys in one object",
            seen.contains_key("\u{ff61}") && seen.contains_key("\u{1f600}"),
        );
    }
    res
}

/// The four hex digits of every `\u` escape (outside strings there are no
/// backslashes, so scanning the whole text is enough).
fn u_escapes(text: &str) -> Vec<String> {
    let mut res = Vec::new();
    let mut chars = text.chars();
    while let Some(character) = chars.next() {
        if character == '\\' && chars.next() == Some('u') {
            res.push(chars.by_ref().take(4).collect());
        }
    }
    res
}

fn walk<'a>(
    node: &'a RefNode<'a>,
    numbers: &mut Vec<&'a str>,
    objects: &mut Vec<Vec<(&'a str, &'a str)>>,
) {
    match node {
        RefNode::Scalar(raw)
            if raw.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) =>
        {
            numbers.push(raw)
        }
        RefNode::Scalar(_) => {}
        RefNode::Array(items) => items.iter().for_each(|item| walk(item, numbers, objects)),
        RefNode::Object(members) => {
            objects.push(
                members
                    .iter()
                    .map(|member| (member.key, member.decoded_key.as_str()))
                    .collect(),
            );
            members
                .iter()
                .for_each(|member| walk(&member.value, numbers, objects));
        }
    }
}

#[test]
fn valid_documents_cover_every_feature() {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for doc in sample(document(), N_CASES) {
        let mut names = features(&doc);
        names.sort_unstable();
        names.dedup();
        for name in names {
            *counts.entry(name).or_default() += 1;
        }
    }
    let expected = [
        r#"\""#,
        r"\\",
        r"\/",
        r"\b",
        r"\f",
        r"\n",
        r"\r",
        r"\t",
        "\\u lower-case hex",
        "\\u upper-case hex",
        "\\u surrogate pair",
        "\\u of a control character",
        "raw 2-byte UTF-8",
        "raw 3-byte UTF-8",
        "raw 4-byte UTF-8",
        "tab",
        "CR",
        "LF",
        "no whitespace at all",
        "empty container with whitespace inside",
        "top-level scalar",
        "depth 5 or more",
        "depth 20 or more",
        "1e400",
        "-0.0e-0",
        "number 0",
        "number -0",
        "negative number",
        "fraction",
        "exponent e",
        "exponent E",
        "exponent +",
        "exponent -",
        "exponent without sign",
        "20-digit run",
        "literal",
        "duplicate key",
        "duplicate key spelled differently",
        "U+FF61 and U+1F600 keys in one object",
    ];
    let missing: Vec<_> = expected
        .iter()
        .filter(|name| counts.get(*name).copied().unwrap_or(0) < 3)
        .collect();
    assert!(
        missing.is_empty(),
        "rare or missing: {missing:?}\ncounts: {counts:#?}"
    );
    // Duplicate keys must be common enough to matter when sorting.
    assert!(
        counts["duplicate key"] * 10 >= N_CASES,
        "duplicate keys in only {} of {N_CASES}",
        counts["duplicate key"]
    );
}

#[test]
fn invalid_documents_cover_every_mutation() {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for invalid in sample(invalid_document(), N_CASES) {
        let kind = invalid
            .mutation
            .split(':')
            .next()
            .unwrap_or_default()
            .to_owned();
        *counts.entry(kind).or_default() += 1;
    }
    let expected = [
        "truncate",
        "insert outside string",
        "control in string",
        "bad escape",
        "bad hex",
        "corrupt escape",
        "lone low surrogate",
        "lone high surrogate",
        "reversed pair",
        "broken pair",
        "trailing garbage",
        "trailing comma",
        "missing colon",
        "missing comma",
        "leading zero",
        "no fraction digits",
        "no exponent digits",
        "plus sign",
        "bom",
        "whitespace only",
        "too deep",
    ];
    let missing: Vec<_> = expected
        .iter()
        .filter(|kind| counts.get(**kind).copied().unwrap_or(0) < 10)
        .collect();
    assert!(
        missing.is_empty(),
        "rare or missing: {missing:?}\ncounts: {counts:#?}"
    );
    assert_eq!(
        counts.len(),
        expected.len(),
        "unexpected kinds: {counts:#?}"
    );
}
