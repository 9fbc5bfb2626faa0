//! Proptest strategies for valid documents.
//!
//! The strategies build [`Node`] trees directly, so proptest shrinks the tree
//! (fewer elements, plainer spellings, less whitespace) rather than a string.
//! Every choice of spelling is an index that shrinks towards the plainest
//! option, so a minimal failing case reads like ordinary JSON wherever the
//! failure allows.

use std::ops::Range;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use crate::choice::choice;
use crate::tree::{Document, Exponent, Item, JsonString, Member, Node, Number};

/// The four whitespace characters the contract allows.
static WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// Characters with a two-character escape.
static SHORT_ESCAPED: [char; 8] = ['"', '\\', '/', '\u{8}', '\u{c}', '\n', '\r', '\t'];

/// Characters around the places where orders and encodings disagree: the end
/// of the BMP below and above the surrogate block, the first astral
/// character, and U+FF61 and U+1F600, whose code-point order (U+FF61 first)
/// is the reverse of their UTF-16 order.
static EDGE_CHARS: [char; 10] = [
    '\u{7f}',
    '\u{80}',
    '\u{7ff}',
    '\u{800}',
    '\u{d7ff}',
    '\u{e000}',
    '\u{ff61}',
    '\u{ffff}',
    '\u{10000}',
    '\u{1f600}',
];

/// Keys drawn often, so that objects get duplicates and the sort has ties.
static HOT_KEYS: [&str; 4] = ["a", "\u{ff61}", "\u{1f600}", ""];

/// A wider pool of keys: prefixes of each other, case, escapable characters,
/// and the characters whose code-point and UTF-16 orders differ.
static KEY_POOL: [&str; 14] = [
    "a",
    "b",
    "A",
    "aa",
    "ab",
    "a\u{0}",
    "\u{e9}",
    "\u{e000}",
    "\u{ff61}",
    "\u{1f600}",
    "\u{10000}",
    "/",
    "\"",
    " ",
];

/// Numbers worth having verbatim: huge and tiny exponents, negative zeros, long
/// digit runs, and the limits of `f64`.
static NUMBER_LEXEMES: [&str; 12] = [
    "0",
    "-0",
    "-0.0e-0",
    "1e400",
    "-1E-400",
    "1E+2",
    "0.1",
    "123456789012345678901234567890",
    "2.2250738585072014e-308",
    "1.7976931348623157e308",
    "9007199254740993",
    "1.000000000000000000000000000001",
];

/// Whitespace: usually none or one space, sometimes a run of any of the four.
fn ws() -> impl Strategy<Value = String> + Clone {
    choice![
        4 => Just(String::new()),
        2 => Just(" ".to_owned()),
        2 => vec(select(&WHITESPACE[..]), 1..5).prop_map(|chars| chars.into_iter().collect()),
    ]
}

/// A character for a string: mostly printable ASCII, with every class of
/// escape and every UTF-8 length well represented.
fn any_char() -> impl Strategy<Value = char> + Clone {
    choice![
        6 => proptest::char::range(' ', '~'),
        2 => select(&SHORT_ESCAPED[..]),
        1 => proptest::char::range('\0', '\u{1f}'),
        1 => proptest::char::range('\u{80}', '\u{7ff}'),
        1 => proptest::char::range('\u{800}', '\u{d7ff}'),
        1 => proptest::char::range('\u{e000}', '\u{ffff}'),
        1 => proptest::char::range('\u{10000}', '\u{10ffff}'),
        1 => select(&EDGE_CHARS[..]),
    ]
}

/// Which spelling of a character to use; see [`JsonString::spell`].
///
/// Two times in three it is 0, the plainest spelling; shrinking goes there too.
fn style() -> impl Strategy<Value = u8> + Clone {
    any::<u8>().prop_map(|style| if style < 171 { 0 } else { style })
}

/// A string lexeme with arbitrary content.
fn json_string() -> impl Strategy<Value = JsonString> + Clone {
    vec((any_char(), style(), any::<u8>()), 0..8).prop_map(JsonString::spell)
}

/// An object key: usually from a small pool, spelled at random, so that the
/// same decoded key often appears twice with different spellings.
fn key() -> impl Strategy<Value = JsonString> + Clone {
    let spellings = || vec((style(), any::<u8>()), 2);
    choice![
        2 => (select(&HOT_KEYS[..]), spellings())
            .prop_map(|(key, spellings)| spell_key(key, &spellings)),
        2 => (select(&KEY_POOL[..]), spellings())
            .prop_map(|(key, spellings)| spell_key(key, &spellings)),
        1 => json_string(),
    ]
}

fn spell_key(key: &str, spellings: &[(u8, u8)]) -> JsonString {
    JsonString::spell(
        key.chars()
            .zip(spellings.iter().cycle())
            .map(|(character, &(style, case))| (character, style, case)),
    )
}

/// Random digits, as many as `len` allows.
fn digits(len: Range<usize>) -> impl Strategy<Value = String> + Clone {
    vec(0u32..10, len).prop_map(|digits| {
        digits
            .into_iter()
            .filter_map(|digit| char::from_digit(digit, 10))
            .collect()
    })
}

/// An integer part: `0`, or a non-zero digit and more digits.
fn int_part() -> impl Strategy<Value = String> + Clone {
    let nonzero = |tail: Range<usize>| {
        (1u32..10, digits(tail)).prop_map(|(first, tail)| {
            format!("{}{tail}", char::from_digit(first, 10).unwrap_or('1'))
        })
    };
    choice![3 => Just("0".to_owned()), 6 => nonzero(0..4), 1 => nonzero(15..60)]
}

fn number() -> impl Strategy<Value = Number> + Clone {
    let frac = choice![
        3 => Just(None),
        2 => digits(1..4).prop_map(Some),
        1 => digits(10..40).prop_map(Some),
    ];
    let exponent_digits = choice![
        4 => digits(1..3),
        1 => select(&["0", "00", "007", "400", "99999"][..]).prop_map(str::to_owned),
        1 => digits(4..12),
    ];
    let exponent = choice![
        3 => Just(None),
        2 => (select(&['e', 'E'][..]), select(&[None, Some('+'), Some('-')][..]), exponent_digits)
            .prop_map(|(marker, sign, digits)| Some(Exponent { marker, sign, digits })),
    ];
    choice![
        6 => (any::<bool>(), int_part(), frac, exponent)
            .prop_map(|(negative, int, frac, exponent)| Number { negative, int, frac, exponent }),
        1 => select(&NUMBER_LEXEMES[..]).prop_map(Number::from_lexeme),
    ]
}

/// A scalar: a number, a string or a literal.
fn scalar() -> impl Strategy<Value = Node> + Clone {
    choice![
        4 => number().prop_map(Node::Number),
        4 => json_string().prop_map(Node::String),
        2 => select(&["true", "false", "null"][..]).prop_map(Node::Literal),
    ]
}

/// The whitespace around one member: before the key, around the colon, after
/// the value.
fn member_ws() -> impl Strategy<Value = (String, String, String, String)> + Clone {
    (ws(), ws(), ws(), ws())
}

fn member(
    (before, before_colon, after_colon, after): (String, String, String, String),
    key: JsonString,
    value: Node,
) -> Member {
    Member {
        before,
        key,
        before_colon,
        after_colon,
        value,
        after,
    }
}

/// An array or an object of `len` elements drawn from `inner`.
fn container(inner: BoxedStrategy<Node>, len: Range<usize>) -> BoxedStrategy<Node> {
    choice![
        1 => (vec((ws(), inner.clone(), ws()), len.clone()), ws()).prop_map(|(items, inner_ws)| {
            let items = items
                .into_iter()
                .map(|(before, value, after)| Item { before, value, after })
                .collect();
            Node::array(items, inner_ws)
        }),
        1 => (vec((member_ws(), key(), inner), len), ws()).prop_map(|(members, inner_ws)| {
            let members =
                members.into_iter().map(|(ws, key, value)| member(ws, key, value)).collect();
            Node::object(members, inner_ws)
        }),
    ]
    .boxed()
}

/// The probability, level by level from the top, that a value is a container
/// rather than a scalar: mostly shallow, at most six deep.
static BRANCH_PERCENT: [u32; 6] = [75, 50, 35, 25, 20, 15];

/// A value nested at most [`BRANCH_PERCENT`]`.len()` levels deep, mostly
/// shallower.
///
/// Built bottom-up once, unlike `prop_recursive`, which rebuilds its
/// strategies for every case.
fn node() -> BoxedStrategy<Node> {
    let mut res = scalar().boxed();
    for &percent in BRANCH_PERCENT.iter().rev() {
        res = choice![100 - percent => scalar(), percent => container(res, 0..6)].boxed();
    }
    res
}

/// The usual mix of valid documents.
///
/// Covers every lexical form of number (`0`, `-0`, fractions, exponents with
/// `e`/`E` and any sign, `1e400`, long digit runs), strings and keys with every
/// escape in both hex cases, raw 2-, 3- and 4-byte UTF-8 and surrogate-pair
/// escapes, duplicate keys (often equal only after decoding, and around
/// U+FF61/U+1F600 where code-point and UTF-16 order differ), whitespace of all
/// four kinds everywhere it is allowed (including inside empty containers),
/// top-level scalars, and nesting mostly shallow but sometimes up to 48 deep.
pub fn document() -> impl Strategy<Value = Document> {
    choice![
        15 => (ws(), node(), ws())
            .prop_map(|(leading, root, trailing)| Document::new(leading, root, trailing)),
        1 => (7usize..=48).prop_flat_map(deep_document),
    ]
}

/// A document whose deepest nesting is exactly `depth` arrays and objects: a
/// random chain of containers with random siblings at each level.
///
/// `deep_document(0)` is a top-level scalar, and `deep_document(256)` is the
/// deepest document the contract accepts.
/// Depths above 256 are allowed, to build documents that are too deep.
pub fn deep_document(depth: usize) -> impl Strategy<Value = Document> {
    (ws(), chain(depth, 1), ws())
        .prop_map(|(leading, root, trailing)| Document::new(leading, root, trailing))
}

/// Like [`deep_document`], with fewer siblings (see [`chain`]), which makes
/// very deep documents cheaper to generate.
pub(crate) fn sparse_deep_document(
    depth: usize,
    sparseness: u32,
) -> impl Strategy<Value = Document> {
    (ws(), chain(depth, sparseness), ws())
        .prop_map(|(leading, root, trailing)| Document::new(leading, root, trailing))
}

/// An element slot: its whitespace, a key (ignored in arrays), and a value.
type Sibling = ((String, String, String, String), JsonString, Node);

fn sibling(value: BoxedStrategy<Node>) -> impl Strategy<Value = Sibling> {
    (member_ws(), key(), value)
}

/// No siblings `2 * sparseness` times in `2 * sparseness + 1`, else one or two.
fn siblings(value: BoxedStrategy<Node>, sparseness: u32) -> impl Strategy<Value = Vec<Sibling>> {
    choice![
        2 * sparseness => Just(Vec::new()),
        1 => vec(sibling(value), 1..3),
    ]
}

/// A chain of `depth` containers; each side of the link to the next level has
/// no siblings `2 * sparseness` times in `2 * sparseness + 1`.
fn chain(depth: usize, sparseness: u32) -> BoxedStrategy<Node> {
    if depth == 0 {
        return scalar().boxed();
    }
    // A level above the innermost may hold siblings one level deep, which
    // never reach below the innermost container.
    let shallow = choice![3 => scalar().boxed(), 1 => container(scalar().boxed(), 0..3)].boxed();
    let link = sibling(Just(Node::Literal("null")).boxed());
    // One level of the chain: the container's kind, the siblings before and
    // after the link to the next level, the link's key and whitespace, and the
    // whitespace inside the container (unused unless it is empty).
    let level = (
        any::<bool>(),
        siblings(shallow.clone(), sparseness),
        siblings(shallow, sparseness),
        link,
        ws(),
    );
    let innermost = (any::<bool>(), vec(sibling(scalar().boxed()), 0..3), ws());
    (vec(level, depth - 1), innermost)
        .prop_map(|(levels, (is_object, siblings, inner_ws))| {
            let mut res = build_container(is_object, siblings, inner_ws);
            for (is_object, before, after, link, inner_ws) in levels.into_iter().rev() {
                let (link_ws, link_key, _) = link;
                let mut elements = before;
                elements.push((link_ws, link_key, res));
                elements.extend(after);
                res = build_container(is_object, elements, inner_ws);
            }
            res
        })
        .boxed()
}

fn build_container(is_object: bool, elements: Vec<Sibling>, inner_ws: String) -> Node {
    if is_object {
        let members = elements
            .into_iter()
            .map(|(ws, key, value)| member(ws, key, value))
            .collect();
        return Node::object(members, inner_ws);
    }
    let items = elements
        .into_iter()
        .map(|((before, _, _, after), _, value)| Item {
            before,
            value,
            after,
        })
        .collect();
    Node::array(items, inner_ws)
}

#[cfg(test)]
mod tests {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    use super::*;

    #[test]
    fn deep_documents_have_exactly_their_depth() {
        let mut runner = TestRunner::deterministic();
        for depth in [0, 1, 2, 3, 10, 256, 257] {
            for _ in 0..8 {
                let doc = deep_document(depth)
                    .new_tree(&mut runner)
                    .expect("generates")
                    .current();
                assert_eq!(doc.max_depth(), depth, "{doc:?}");
            }
        }
    }

    #[test]
    fn number_lexemes_round_trip_through_their_parts() {
        for lexeme in NUMBER_LEXEMES {
            let mut out = String::new();
            Number::from_lexeme(lexeme).write(&mut out);
            assert_eq!(out, lexeme);
        }
    }
}
