//! Valid documents: the text parses, and every expectation matches what the
//! reference checker renders from the parsed text.

use proptest::prelude::*;
use witness_oracle::{Document, check_sorted, deep_document, document};

use crate::reference;

/// Parses with the reference checker, failing the case with the offset.
fn parse(text: &str) -> Result<reference::RefNode<'_>, TestCaseError> {
    reference::parse(text)
        .map_err(|offset| TestCaseError::fail(format!("invalid at byte {offset}: {text:?}")))
}

/// The expectations of `doc` equal the reference's renderings of its text.
fn check_against_reference(
    doc: &Document,
    indent: u32,
    sort_keys: bool,
) -> Result<(), TestCaseError> {
    let text = doc.text();
    let tree = parse(&text)?;
    prop_assert_eq!(
        reference::format(&tree, indent, sort_keys),
        doc.format(indent, sort_keys)
    );
    prop_assert_eq!(reference::minify(&tree), doc.minify());
    prop_assert_eq!(reference::depth(&tree), doc.max_depth());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn documents_are_valid_and_match_the_reference(
        doc in document(),
        indent in 0u32..=16,
        sort_keys: bool,
    ) {
        check_against_reference(&doc, indent, sort_keys)?;
    }

    /// The contract's invariants, on the rendered strings:
    /// `minify(format(x)) == minify(x)`, `format(format(x)) == format(x)`,
    /// `format(minify(x)) == format(x)`, and sorted output with sort-keys.
    #[test]
    fn expectations_satisfy_the_contract_invariants(
        doc in document(),
        indent in 0u32..=16,
        sort_keys: bool,
    ) {
        let formatted = doc.format(indent, sort_keys);
        let minified = doc.minify();
        let formatted_tree = parse(&formatted)?;
        let minified_tree = parse(&minified)?;

        prop_assert_eq!(reference::format(&formatted_tree, indent, sort_keys), formatted.clone());
        prop_assert_eq!(reference::format(&minified_tree, indent, sort_keys), formatted.clone());
        prop_assert_eq!(reference::minify(&minified_tree), minified.clone());
        if !sort_keys {
            prop_assert_eq!(reference::minify(&formatted_tree), minified.clone());
        }
        let trimmed = formatted.trim_matches([' ', '\t', '\n', '\r']);
        prop_assert_eq!(trimmed, formatted.as_str(), "leading or trailing whitespace");
        if sort_keys {
            check_sorted(&formatted).map_err(TestCaseError::fail)?;
            check_sorted(&reference::minify(&formatted_tree)).map_err(TestCaseError::fail)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deep_documents_are_valid_at_the_maximum_depth(
        doc in deep_document(256),
        indent in 0u32..=16,
        sort_keys: bool,
    ) {
        prop_assert_eq!(doc.max_depth(), 256);
        check_against_reference(&doc, indent, sort_keys)?;
    }

    #[test]
    fn deep_documents_have_their_depth(
        (depth, doc) in (0usize..=40).prop_flat_map(|depth| (Just(depth), deep_document(depth))),
        indent in 0u32..=16,
    ) {
        prop_assert_eq!(doc.max_depth(), depth);
        check_against_reference(&doc, indent, true)?;
    }
}

#[test]
fn indent_zero_means_newlines_without_indentation() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let doc = proptest::strategy::ValueTree::current(
        &deep_document(3).new_tree(&mut runner).expect("generates"),
    );
    let formatted = doc.format(0, false);
    assert!(
        formatted.lines().all(|line| !line.starts_with(' ')),
        "{formatted}"
    );
    assert!(formatted.contains('\n'), "{formatted}");
}

#[test]
fn an_indent_above_16_is_refused() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let doc = proptest::strategy::ValueTree::current(
        &document().new_tree(&mut runner).expect("generates"),
    );
    let res = std::panic::catch_unwind(|| doc.format(17, false));
    assert!(res.is_err());
}
