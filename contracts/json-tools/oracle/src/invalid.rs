//! Invalid documents, each made by one mutation of a valid document at a known
//! byte, so that the error offset the contract prescribes is known by
//! construction rather than computed by a parser.
//!
//! Every mutation keeps the text before its site a valid prefix of an accepted
//! document, and puts at the site something that cannot continue it.
//! The contract's offset is then the site (or a fixed distance after it),
//! except in the three cases the contract names: an unpaired surrogate escape,
//! the bracket that opens depth 257, and a leading BOM.
//!
//! On surrogates this module follows the contract's wording literally: once a
//! complete `\u` escape of a high surrogate has been read, the next six bytes
//! must be exactly a `\u` escape of a low surrogate, and anything else (the end
//! of the input, a bad hex digit, a control character) is an error at the high
//! surrogate's backslash.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::choice::choice;
use crate::generate::{document, sparse_deep_document};
use crate::tree::{Document, JsonString, MAX_DEPTH, Number, Observer, Spelling, push_u_escape};

/// A document that is invalid, with the offset the contract says the error is
/// at.
///
/// [`Invalid::mutation`] starts with the mutation's kind and a colon
/// (`"truncate: ..."`), so that tests can tell the kinds apart.
#[derive(Clone, Debug)]
pub struct Invalid {
    /// The input text.
    pub text: String,
    /// The 0-based byte offset that the error message `at byte N: ...` must
    /// name.
    pub offset: usize,
    /// What was done to a valid document, for people.
    pub mutation: String,
}

/// Invalid documents, each with its expected error offset.
///
/// Mutations of a valid document from [`document`]: truncation, a byte that can
/// never appear outside strings, a raw control character in a string, a bad
/// escape or hex digit, lone, reversed and broken surrogate escapes, trailing
/// garbage, a trailing comma, a missing colon or comma, a leading zero, a
/// missing fraction or exponent digit, a leading `+`, and a leading BOM.
/// Plus whitespace-only (and empty) input, and documents nested 257 to 264
/// deep.
///
/// The kinds, as [`Invalid::mutation`] starts: `truncate`, `insert outside
/// string`, `control in string`, `bad escape`, `bad hex`, `corrupt escape`,
/// `lone low surrogate`, `lone high surrogate`, `reversed pair`, `broken
/// pair`, `trailing garbage`, `trailing comma`, `missing colon`, `missing
/// comma`, `leading zero`, `no fraction digits`, `no exponent digits`, `plus
/// sign`, `bom`, `whitespace only`, `too deep`.
/// Only `broken pair` holds cases where another error could be argued to come
/// first (a high surrogate followed by the end of the input, by a control
/// character, or by `\uDEx0`); see the module documentation.
pub fn invalid_document() -> impl Strategy<Value = Invalid> {
    let mutated = (
        document(),
        select(&KINDS[..]),
        any::<Index>(),
        any::<Index>(),
        any::<Index>(),
        whitespace(),
    )
        .prop_map(|(doc, kind, site, pick, extra, ws)| {
            mutate(&doc, kind, Choices { site, pick, extra }, &ws)
        });
    choice![
        30 => mutated,
        1 => whitespace().prop_map(|text| Invalid {
            offset: text.len(),
            mutation: format!("whitespace only: {} bytes of whitespace and nothing else", text.len()),
            text,
        }),
        1 => (MAX_DEPTH + 1..=MAX_DEPTH + 8)
            .prop_flat_map(|depth| sparse_deep_document(depth, 8))
            .prop_map(|doc| too_deep(&doc)),
    ]
}

fn whitespace() -> impl Strategy<Value = String> {
    proptest::collection::vec(select(&[' ', '\t', '\n', '\r'][..]), 0..4)
        .prop_map(|chars| chars.into_iter().collect())
}

/// The kinds of mutation of a valid document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Truncate,
    InsertOutsideString,
    ControlInString,
    BadEscape,
    BadHex,
    CorruptEscape,
    LoneLowSurrogate,
    LoneHighSurrogate,
    ReversedPair,
    BrokenPair,
    TrailingGarbage,
    TrailingComma,
    MissingColon,
    MissingComma,
    LeadingZero,
    NoFractionDigits,
    NoExponentDigits,
    PlusSign,
    Bom,
}

/// Every kind, in the order a failed kind falls back to the next; truncation,
/// which always applies, comes first so that shrinking ends there.
static KINDS: [Kind; 19] = [
    Kind::Truncate,
    Kind::InsertOutsideString,
    Kind::ControlInString,
    Kind::BadEscape,
    Kind::BadHex,
    Kind::CorruptEscape,
    Kind::LoneLowSurrogate,
    Kind::LoneHighSurrogate,
    Kind::ReversedPair,
    Kind::BrokenPair,
    Kind::TrailingGarbage,
    Kind::TrailingComma,
    Kind::MissingColon,
    Kind::MissingComma,
    Kind::LeadingZero,
    Kind::NoFractionDigits,
    Kind::NoExponentDigits,
    Kind::PlusSign,
    Kind::Bom,
];

/// Characters that can never continue a valid prefix outside a string: not
/// whitespace, not structural, not part of a literal or a number.
static NEVER_OUTSIDE_STRINGS: [char; 18] = [
    '#', '\'', '/', '*', 'x', 'N', 'I', ';', '=', '(', '\0', '\u{b}', '\u{c}', '\u{7f}', '\u{a0}',
    '\u{feff}', '\u{2028}', '\u{3000}',
];

/// Characters that are not a valid escape letter after a backslash.
static BAD_ESCAPE_LETTERS: [char; 11] = [
    'x', 'a', 'U', '0', '\'', ' ', 'v', 'e', '#', '\u{e9}', '\u{1}',
];

/// Characters that are not hex digits.
static NOT_HEX: [char; 9] = ['g', 'G', 'x', ' ', '"', '\\', '-', '\u{e9}', '\u{1}'];

/// What can replace the low half of a surrogate pair so that the high half is
/// no longer followed by exactly a `\u` escape of a low surrogate.
/// A partial low escape ends in a non-hex character, so that the spellings
/// after it cannot complete it.
static NOT_A_LOW_ESCAPE: [&str; 10] = [
    "", "\\u0041", "\\uD83D", "\\ud800", "\\uFFFF", "\\n", "\\\\", "x", "\u{1}", "\\uDEx0",
];

/// Text after a complete value, none of which may follow a value.
static GARBAGE: [&str; 15] = [
    "x", ",", "]", "}", ":", "1", "\"s\"", "[]", "{}", "null", "-1", ".5", "e3", "#", "\u{feff}",
];

/// The positions a mutation can use, recorded while the text is rendered.
#[derive(Default)]
struct Sites<'a> {
    strings: Vec<(usize, &'a JsonString)>,
    numbers: Vec<(usize, &'a Number)>,
    opens: Vec<(usize, usize)>,
    closes: Vec<(usize, usize)>,
    colons: Vec<(usize, usize)>,
    commas: Vec<(usize, usize)>,
}

impl<'a> Observer<'a> for Sites<'a> {
    fn string(&mut self, open: usize, string: &'a JsonString) {
        self.strings.push((open, string));
    }
    fn number(&mut self, start: usize, number: &'a Number) {
        self.numbers.push((start, number));
    }
    fn open(&mut self, offset: usize, depth: usize) {
        self.opens.push((offset, depth));
    }
    fn close(&mut self, last_value_end: usize, close: usize) {
        self.closes.push((last_value_end, close));
    }
    fn colon(&mut self, colon: usize, value_start: usize) {
        self.colons.push((colon, value_start));
    }
    fn comma(&mut self, comma: usize, next_start: usize) {
        self.commas.push((comma, next_start));
    }
}

impl Sites<'_> {
    /// Offsets between two spellings inside a string (including right after
    /// the opening and right before the closing quote); never inside an
    /// escape, and never between the halves of a surrogate pair.
    fn string_boundaries(&self) -> Vec<usize> {
        let mut res = Vec::new();
        for &(open, string) in &self.strings {
            let content = open + 1;
            res.extend(string.pieces.iter().map(|piece| content + piece.start));
            res.push(content + string.raw.len());
        }
        res
    }

    /// The absolute offset of every spelling of the given kind.
    fn pieces(&self, wanted: impl Fn(Spelling) -> bool) -> Vec<(usize, Spelling)> {
        let mut res = Vec::new();
        for &(open, string) in &self.strings {
            for piece in &string.pieces {
                if wanted(piece.spelling) {
                    res.push((open + 1 + piece.start, piece.spelling));
                }
            }
        }
        res
    }

    /// The offset of every surrogate pair.
    fn pairs(&self) -> Vec<usize> {
        let pairs = self.pieces(|spelling| spelling == Spelling::Pair);
        pairs.into_iter().map(|(start, _)| start).collect()
    }
}

/// The random choices a mutation makes: where, and what (two independent
/// picks, for mutations that choose two things).
#[derive(Clone, Copy)]
struct Choices {
    site: Index,
    pick: Index,
    extra: Index,
}

fn mutate(doc: &Document, kind: Kind, choices: Choices, ws: &str) -> Invalid {
    let mut sites = Sites::default();
    let text = doc.text_observed(&mut sites);
    let first = KINDS
        .iter()
        .position(|&candidate| candidate == kind)
        .unwrap_or(0);
    for kind_idx in 0..KINDS.len() {
        let kind = KINDS[(first + kind_idx) % KINDS.len()];
        if let Some(res) = try_mutate(doc, &text, &sites, kind, choices, ws) {
            return res;
        }
    }
    unreachable!("truncation applies to every document")
}

/// Applies one mutation, or returns `None` when the document has no site for
/// it (no strings, no numbers, ...).
fn try_mutate(
    doc: &Document,
    text: &str,
    sites: &Sites<'_>,
    kind: Kind,
    choices: Choices,
    ws: &str,
) -> Option<Invalid> {
    let Choices { site, pick, extra } = choices;
    let res = match kind {
        Kind::Truncate => {
            let value = doc.value_range(text.len());
            // A prefix that ends after the value is a complete document, and
            // so is a prefix of a top-level number that ends in a digit.
            // A cut inside the low half of a surrogate pair leaves the high
            // half unpaired: that is a broken pair, not a truncation.
            let low_halves: Vec<usize> = sites.pairs().into_iter().map(|start| start + 6).collect();
            let candidates: Vec<usize> = (0..value.end)
                .filter(|&len| text.is_char_boundary(len))
                .filter(|&len| {
                    !(doc.is_top_level_number()
                        && len > value.start
                        && text.as_bytes()[len - 1].is_ascii_digit())
                })
                .filter(|&len| !low_halves.iter().any(|&low| (low..low + 6).contains(&len)))
                .collect();
            let len = *pick_from(&candidates, site)?;
            Invalid {
                text: text[..len].to_owned(),
                offset: len,
                mutation: format!("truncate: cut to {len} bytes, an incomplete document"),
            }
        }
        Kind::InsertOutsideString => {
            let mut inside = vec![false; text.len() + 1];
            for &(open, string) in &sites.strings {
                inside[open + 1..open + string.lexeme_len()].fill(true);
            }
            let candidates: Vec<usize> =
                (0..=text.len()).filter(|&offset| !inside[offset]).collect();
            let at = *pick_from(&candidates, site)?;
            let character = *pick_from(&NEVER_OUTSIDE_STRINGS, pick)?;
            Invalid {
                text: splice(text, at, &character.to_string()),
                offset: at,
                mutation: format!("insert outside string: {character:?} at byte {at}"),
            }
        }
        Kind::ControlInString => {
            let at = *pick_from(&sites.string_boundaries(), site)?;
            let control = char::from_u32(u32::try_from(pick.index(0x20)).ok()?)?;
            Invalid {
                text: splice(text, at, &control.to_string()),
                offset: at,
                mutation: format!("control in string: raw {control:?} at byte {at}"),
            }
        }
        Kind::BadEscape => {
            let at = *pick_from(&sites.string_boundaries(), site)?;
            let letter = *pick_from(&BAD_ESCAPE_LETTERS, pick)?;
            Invalid {
                text: splice(text, at, &format!("\\{letter}")),
                offset: at + 1,
                mutation: format!("bad escape: inserted a backslash and {letter:?} at byte {at}"),
            }
        }
        Kind::BadHex => {
            let at = *pick_from(&sites.string_boundaries(), site)?;
            let n_hex = pick.index(4);
            let not_hex = *pick_from(&NOT_HEX, extra)?;
            let inserted = format!("\\u{}{not_hex}", &"0aF9"[..n_hex]);
            Invalid {
                text: splice(text, at, &inserted),
                offset: at + 2 + n_hex,
                mutation: format!("bad hex: inserted {inserted:?} at byte {at}"),
            }
        }
        Kind::CorruptEscape => {
            // After the backslash of any escape, or among the hex digits of a
            // `\u` escape or of the high half of a pair (the low half's digits
            // would make the high surrogate unpaired instead).
            let mut candidates = Vec::new();
            for (start, spelling) in sites.pieces(|spelling| spelling != Spelling::Raw) {
                candidates.push((start + 1, &BAD_ESCAPE_LETTERS[..]));
                if spelling != Spelling::Short {
                    candidates.extend((start + 2..start + 6).map(|at| (at, &NOT_HEX[..])));
                }
            }
            let &(at, replacements) = pick_from(&candidates, site)?;
            let character = *pick_from(replacements, pick)?;
            Invalid {
                text: splice(text, at, &character.to_string()),
                offset: at,
                mutation: format!(
                    "corrupt escape: inserted {character:?} inside the escape at byte {at}"
                ),
            }
        }
        Kind::LoneLowSurrogate | Kind::LoneHighSurrogate => {
            let at = *pick_from(&sites.string_boundaries(), site)?;
            let base = if kind == Kind::LoneLowSurrogate {
                0xDC00
            } else {
                0xD800
            };
            let unit = base + u32::try_from(pick.index(0x400)).ok()?;
            let mut escape = String::new();
            push_u_escape(unit, u8::try_from(extra.index(16)).ok()?, &mut escape);
            let which = if kind == Kind::LoneLowSurrogate {
                "lone low surrogate"
            } else {
                "lone high surrogate"
            };
            Invalid {
                text: splice(text, at, &escape),
                offset: at,
                mutation: format!("{which}: inserted {escape:?} at byte {at}"),
            }
        }
        Kind::ReversedPair => {
            let start = *pick_from(&sites.pairs(), site)?;
            let reversed = format!(
                "{}{}",
                &text[start + 6..start + 12],
                &text[start..start + 6]
            );
            Invalid {
                text: replace(text, start..start + 12, &reversed),
                offset: start,
                mutation: format!(
                    "reversed pair: the surrogate pair at byte {start} is now {reversed:?}"
                ),
            }
        }
        Kind::BrokenPair => {
            // The high half is followed by something other than exactly a
            // `\u` escape of a low surrogate, or by the end of the input.
            let start = *pick_from(&sites.pairs(), site)?;
            let low = start + 6..start + 12;
            let replacement_idx = pick.index(NOT_A_LOW_ESCAPE.len() + 1);
            let (text, what) = match NOT_A_LOW_ESCAPE.get(replacement_idx) {
                Some(replacement) => (
                    replace(text, low, replacement),
                    format!("replaced by {replacement:?}"),
                ),
                None => {
                    let len = low.start + extra.index(6);
                    (
                        text[..len].to_owned(),
                        format!("cut: the input ends at byte {len}"),
                    )
                }
            };
            Invalid {
                text,
                offset: start,
                mutation: format!(
                    "broken pair: the low half of the surrogate pair at byte {start} {what}"
                ),
            }
        }
        Kind::TrailingGarbage => {
            let value_end = doc.value_range(text.len()).end;
            let at = value_end + site.index(text.len() - value_end + 1);
            let garbage = *pick_from(&GARBAGE, pick)?;
            // A digit, `.` or exponent right after a number would extend it.
            let extends_number = doc.is_top_level_number()
                && at == value_end
                && garbage.starts_with(|character: char| {
                    character.is_ascii_digit() || ".eE".contains(character)
                });
            let separator = if extends_number { " " } else { "" };
            Invalid {
                text: splice(text, at, &format!("{separator}{garbage}")),
                offset: at + separator.len(),
                mutation: format!(
                    "trailing garbage: {garbage:?} after the value, at byte {}",
                    at + separator.len()
                ),
            }
        }
        Kind::TrailingComma => {
            let &(last_value_end, close) = pick_from(&sites.closes, site)?;
            let at = last_value_end + pick.index(close - last_value_end + 1);
            let inserted = format!(",{ws}");
            Invalid {
                text: splice(text, at, &inserted),
                offset: close + inserted.len(),
                mutation: format!(
                    "trailing comma: {inserted:?} inserted at byte {at}, before the closing bracket"
                ),
            }
        }
        Kind::MissingColon => {
            let &(colon, value_start) = pick_from(&sites.colons, site)?;
            Invalid {
                text: replace(text, colon..colon + 1, ""),
                offset: value_start - 1,
                mutation: format!("missing colon: removed the ':' at byte {colon}"),
            }
        }
        Kind::MissingComma => {
            // A space rather than nothing, so that `1,2` cannot become `12`.
            let &(comma, next_start) = pick_from(&sites.commas, site)?;
            Invalid {
                text: replace(text, comma..comma + 1, " "),
                offset: next_start,
                mutation: format!("missing comma: the ',' at byte {comma} replaced by a space"),
            }
        }
        Kind::LeadingZero => {
            let &(start, number) = pick_from(&sites.numbers, site)?;
            let at = start + number.int_offset();
            Invalid {
                text: splice(text, at, "0"),
                offset: at + 1,
                mutation: format!(
                    "leading zero: inserted '0' before the integer part at byte {at}"
                ),
            }
        }
        Kind::NoFractionDigits => {
            let with_frac: Vec<_> = sites
                .numbers
                .iter()
                .filter(|(_, number)| number.frac.is_some())
                .collect();
            let &&(start, number) = pick_from(&with_frac, site)?;
            let digits = start + number.dot_offset() + 1..start + number.marker_offset();
            Invalid {
                offset: digits.start,
                text: replace(text, digits.clone(), ""),
                mutation: format!("no fraction digits: removed bytes {digits:?} after the '.'"),
            }
        }
        Kind::NoExponentDigits => {
            let with_exponent: Vec<_> = sites
                .numbers
                .iter()
                .filter(|(_, number)| number.exponent.is_some())
                .collect();
            let &&(start, number) = pick_from(&with_exponent, site)?;
            let exponent = number.exponent.as_ref()?;
            let digits_start =
                start + number.marker_offset() + 1 + exponent.sign.map_or(0, char::len_utf8);
            let digits = digits_start..digits_start + exponent.digits.len();
            Invalid {
                offset: digits.start,
                text: replace(text, digits.clone(), ""),
                mutation: format!("no exponent digits: removed bytes {digits:?} of the exponent"),
            }
        }
        Kind::PlusSign => {
            let &(start, _) = pick_from(&sites.numbers, site)?;
            Invalid {
                text: splice(text, start, "+"),
                offset: start,
                mutation: format!("plus sign: inserted '+' before the number at byte {start}"),
            }
        }
        Kind::Bom => Invalid {
            text: format!("\u{feff}{text}"),
            offset: 0,
            mutation: "bom: a U+FEFF byte order mark before the document".to_owned(),
        },
    };
    Some(res)
}

/// A document nested deeper than the contract allows.
fn too_deep(doc: &Document) -> Invalid {
    let mut sites = Sites::default();
    let text = doc.text_observed(&mut sites);
    let bracket = sites
        .opens
        .iter()
        .find(|&&(_, depth)| depth == MAX_DEPTH + 1)
        .map_or(0, |&(offset, _)| offset);
    Invalid {
        text,
        offset: bracket,
        mutation: format!(
            "too deep: nested {} deep; the bracket at byte {bracket} opens depth {}",
            doc.max_depth(),
            MAX_DEPTH + 1
        ),
    }
}

fn pick_from<T>(candidates: &[T], index: Index) -> Option<&T> {
    if candidates.is_empty() {
        return None;
    }
    Some(&candidates[index.index(candidates.len())])
}

fn splice(text: &str, at: usize, inserted: &str) -> String {
    replace(text, at..at, inserted)
}

fn replace(text: &str, range: std::ops::Range<usize>, with: &str) -> String {
    let mut res = String::with_capacity(text.len() + with.len());
    res.push_str(&text[..range.start]);
    res.push_str(with);
    res.push_str(&text[range.end..]);
    res
}
