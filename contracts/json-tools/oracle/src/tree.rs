//! Lexeme-carrying JSON trees, and the three renderings the contract needs
//! from one tree: the input text (with its whitespace), the expected `format`
//! output, and the expected `minify` output.
//!
//! Nothing here parses JSON.
//! Every rendering walks the tree, so an expectation can never share a parser
//! bug with a guest.

use std::fmt;

/// The largest `indent` the contract accepts; `format` rejects anything above.
pub const MAX_INDENT: u32 = 16;

/// The deepest nesting of arrays and objects the contract accepts.
pub const MAX_DEPTH: usize = 256;

/// Whitespace between tokens: only space, tab, LF and CR, possibly empty.
pub(crate) type Ws = String;

/// A JSON value, with its raw lexemes and the whitespace inside it.
///
/// The whitespace *around* a value belongs to its parent ([`Item`],
/// [`Member`]) or to the [`Document`].
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// `true`, `false` or `null`.
    Literal(&'static str),
    Number(Number),
    String(JsonString),
    /// `inner` is the whitespace between the brackets, used only when `items`
    /// is empty.
    Array {
        items: Vec<Item>,
        inner: Ws,
    },
    /// `inner` is the whitespace between the braces, used only when `members`
    /// is empty.
    Object {
        members: Vec<Member>,
        inner: Ws,
    },
}

/// An array element with the whitespace before and after it.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub(crate) before: Ws,
    pub(crate) value: Node,
    pub(crate) after: Ws,
}

/// An object member: `before "key" before_colon : after_colon value after`.
#[derive(Clone, Debug)]
pub(crate) struct Member {
    pub(crate) before: Ws,
    pub(crate) key: JsonString,
    pub(crate) before_colon: Ws,
    pub(crate) after_colon: Ws,
    pub(crate) value: Node,
    pub(crate) after: Ws,
}

/// How one decoded character is spelled inside a string lexeme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Spelling {
    /// The character itself, as UTF-8.
    Raw,
    /// A two-character escape such as `\n` or `\/`.
    Short,
    /// One `\uXXXX` escape of a BMP character.
    Unicode,
    /// A surrogate pair `\uD83D\uDE00`, twelve bytes, high half first.
    Pair,
}

/// Where one decoded character's spelling sits in [`JsonString::raw`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    /// Byte offset in `raw` (that is, after the opening quote).
    pub(crate) start: usize,
    pub(crate) spelling: Spelling,
}

/// A string lexeme (a value or a key), built one character at a time so that
/// both its spelling and its decoded value are known without decoding.
#[derive(Clone, Debug)]
pub(crate) struct JsonString {
    /// The bytes between the quotes, exactly as they appear in the text.
    pub(crate) raw: String,
    /// The decoded value: what `sort-keys` compares.
    pub(crate) decoded: String,
    /// One entry per decoded character, in order.
    pub(crate) pieces: Vec<Piece>,
}

impl JsonString {
    /// Spells each `(character, style, case)` triple and concatenates them.
    ///
    /// `style` picks among the spellings the character allows, in the order
    /// raw, short escape, `\u` escape (or surrogate pair), so that shrinking
    /// `style` towards 0 shrinks towards the plainest spelling.
    /// The bits of `case` pick upper-case hex digits, digit by digit.
    pub(crate) fn spell(chars: impl IntoIterator<Item = (char, u8, u8)>) -> JsonString {
        let mut res = JsonString {
            raw: String::new(),
            decoded: String::new(),
            pieces: Vec::new(),
        };
        for (character, style, case) in chars {
            let start = res.raw.len();
            let spelling = spell_char(character, style, case, &mut res.raw);
            res.decoded.push(character);
            res.pieces.push(Piece { start, spelling });
        }
        res
    }

    /// The length of the whole lexeme, quotes included.
    pub(crate) fn lexeme_len(&self) -> usize {
        self.raw.len() + 2
    }

    fn write(&self, out: &mut String) {
        out.push('"');
        out.push_str(&self.raw);
        out.push('"');
    }
}

/// The two-character escape of `character`, if it has one.
pub(crate) fn short_escape(character: char) -> Option<char> {
    let letter = match character {
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        '\u{8}' => 'b',
        '\u{c}' => 'f',
        '\n' => 'n',
        '\r' => 'r',
        '\t' => 't',
        _ => return None,
    };
    Some(letter)
}

fn spell_char(character: char, style: u8, case: u8, out: &mut String) -> Spelling {
    let mut options = [Spelling::Raw; 3];
    let mut n_options = 0;
    // Control characters, the quote and the backslash must be escaped.
    if character >= ' ' && character != '"' && character != '\\' {
        options[n_options] = Spelling::Raw;
        n_options += 1;
    }
    if short_escape(character).is_some() {
        options[n_options] = Spelling::Short;
        n_options += 1;
    }
    options[n_options] = if u32::from(character) < 0x1_0000 {
        Spelling::Unicode
    } else {
        Spelling::Pair
    };
    n_options += 1;

    let spelling = options[usize::from(style) % n_options];
    match spelling {
        Spelling::Raw => out.push(character),
        Spelling::Short => {
            out.push('\\');
            out.extend(short_escape(character));
        }
        Spelling::Unicode => push_u_escape(u32::from(character), case, out),
        Spelling::Pair => {
            let offset = u32::from(character) - 0x1_0000;
            push_u_escape(0xD800 + (offset >> 10), case, out);
            push_u_escape(0xDC00 + (offset & 0x3FF), case >> 4, out);
        }
    }
    spelling
}

/// Pushes `\uXXXX` for a UTF-16 code unit; bit `i` of `case` makes hex digit
/// `i` upper case (which only matters for `a`–`f`).
pub(crate) fn push_u_escape(unit: u32, case: u8, out: &mut String) {
    out.push_str("\\u");
    for digit_idx in 0..4 {
        let nibble = (unit >> (12 - 4 * digit_idx)) & 0xF;
        let digit = char::from_digit(nibble, 16).unwrap_or('0');
        if case & (1 << digit_idx) != 0 {
            out.push(digit.to_ascii_uppercase());
        } else {
            out.push(digit);
        }
    }
}

/// A number lexeme, kept in parts so that mutations know where each part is.
#[derive(Clone, Debug)]
pub(crate) struct Number {
    pub(crate) negative: bool,
    /// `0`, or a non-zero digit followed by digits.
    pub(crate) int: String,
    /// The digits after the `.`, at least one.
    pub(crate) frac: Option<String>,
    pub(crate) exponent: Option<Exponent>,
}

/// The exponent of a [`Number`]: `e`/`E`, an optional sign, and digits.
#[derive(Clone, Debug)]
pub(crate) struct Exponent {
    pub(crate) marker: char,
    pub(crate) sign: Option<char>,
    /// At least one digit; leading zeros are allowed here.
    pub(crate) digits: String,
}

impl Number {
    /// Splits a lexeme that is known to be a valid JSON number.
    ///
    /// Only used for the hand-picked numbers in the generator, so it trusts
    /// its input rather than validating it.
    pub(crate) fn from_lexeme(lexeme: &str) -> Number {
        let (negative, rest) = match lexeme.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, lexeme),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(marker_idx) => {
                let marker = rest[marker_idx..].chars().next().unwrap_or('e');
                let after = &rest[marker_idx + 1..];
                let (sign, digits) = match after.chars().next() {
                    Some(sign @ ('+' | '-')) => (Some(sign), &after[1..]),
                    _ => (None, after),
                };
                (
                    &rest[..marker_idx],
                    Some(Exponent {
                        marker,
                        sign,
                        digits: digits.to_owned(),
                    }),
                )
            }
            None => (rest, None),
        };
        let (int, frac) = match mantissa.split_once('.') {
            Some((int, frac)) => (int, Some(frac.to_owned())),
            None => (mantissa, None),
        };
        Number {
            negative,
            int: int.to_owned(),
            frac,
            exponent,
        }
    }

    /// Byte offset of the integer part within the lexeme.
    pub(crate) fn int_offset(&self) -> usize {
        usize::from(self.negative)
    }

    /// Byte offset of the `.` within the lexeme (meaningful when there is a
    /// fraction).
    pub(crate) fn dot_offset(&self) -> usize {
        self.int_offset() + self.int.len()
    }

    /// Byte offset of the `e`/`E` within the lexeme.
    pub(crate) fn marker_offset(&self) -> usize {
        self.dot_offset() + self.frac.as_ref().map_or(0, |frac| frac.len() + 1)
    }

    pub(crate) fn write(&self, out: &mut String) {
        if self.negative {
            out.push('-');
        }
        out.push_str(&self.int);
        if let Some(frac) = &self.frac {
            out.push('.');
            out.push_str(frac);
        }
        if let Some(exponent) = &self.exponent {
            out.push(exponent.marker);
            out.extend(exponent.sign);
            out.push_str(&exponent.digits);
        }
    }
}

/// Receives the positions of interesting lexemes while the input text is
/// rendered; the invalid-document generator uses them to mutate at known bytes.
pub(crate) trait Observer<'a> {
    /// A string (value or key) whose opening quote is at `open`.
    fn string(&mut self, _open: usize, _string: &'a JsonString) {}
    /// A number whose first byte is at `start`.
    fn number(&mut self, _start: usize, _number: &'a Number) {}
    /// An opening bracket at `offset` that opens nesting depth `depth`.
    fn open(&mut self, _offset: usize, _depth: usize) {}
    /// A non-empty container: its last value ends at `last_value_end`, its
    /// closing bracket is at `close`.
    fn close(&mut self, _last_value_end: usize, _close: usize) {}
    /// A member's `:` at `colon`; its value starts at `value_start`.
    fn colon(&mut self, _colon: usize, _value_start: usize) {}
    /// A `,` at `comma`; the next element (or key) starts at `next_start`.
    fn comma(&mut self, _comma: usize, _next_start: usize) {}
}

/// An [`Observer`] that ignores everything.
pub(crate) struct Unobserved;

impl Observer<'_> for Unobserved {}

impl Node {
    pub(crate) fn array(items: Vec<Item>, inner: Ws) -> Node {
        Node::Array { items, inner }
    }

    pub(crate) fn object(members: Vec<Member>, inner: Ws) -> Node {
        Node::Object { members, inner }
    }

    fn depth(&self) -> usize {
        match self {
            Node::Literal(_) | Node::Number(_) | Node::String(_) => 0,
            Node::Array { items, .. } => {
                1 + items
                    .iter()
                    .map(|item| item.value.depth())
                    .max()
                    .unwrap_or(0)
            }
            Node::Object { members, .. } => {
                1 + members
                    .iter()
                    .map(|member| member.value.depth())
                    .max()
                    .unwrap_or(0)
            }
        }
    }

    /// Renders the input text; `depth` is the number of containers around
    /// this node.
    fn write_text<'a>(&'a self, depth: usize, out: &mut String, observer: &mut impl Observer<'a>) {
        match self {
            Node::Literal(literal) => out.push_str(literal),
            Node::Number(number) => {
                observer.number(out.len(), number);
                number.write(out);
            }
            Node::String(string) => {
                observer.string(out.len(), string);
                string.write(out);
            }
            Node::Array { items, inner } => {
                observer.open(out.len(), depth + 1);
                out.push('[');
                if items.is_empty() {
                    out.push_str(inner);
                }
                let mut last_value_end = 0;
                for (item_idx, item) in items.iter().enumerate() {
                    let comma = out.len();
                    if item_idx > 0 {
                        out.push(',');
                    }
                    out.push_str(&item.before);
                    if item_idx > 0 {
                        observer.comma(comma, out.len());
                    }
                    item.value.write_text(depth + 1, out, observer);
                    last_value_end = out.len();
                    out.push_str(&item.after);
                }
                if !items.is_empty() {
                    observer.close(last_value_end, out.len());
                }
                out.push(']');
            }
            Node::Object { members, inner } => {
                observer.open(out.len(), depth + 1);
                out.push('{');
                if members.is_empty() {
                    out.push_str(inner);
                }
                let mut last_value_end = 0;
                for (member_idx, member) in members.iter().enumerate() {
                    let comma = out.len();
                    if member_idx > 0 {
                        out.push(',');
                    }
                    out.push_str(&member.before);
                    if member_idx > 0 {
                        observer.comma(comma, out.len());
                    }
                    observer.string(out.len(), &member.key);
                    member.key.write(out);
                    out.push_str(&member.before_colon);
                    let colon = out.len();
                    out.push(':');
                    out.push_str(&member.after_colon);
                    observer.colon(colon, out.len());
                    member.value.write_text(depth + 1, out, observer);
                    last_value_end = out.len();
                    out.push_str(&member.after);
                }
                if !members.is_empty() {
                    observer.close(last_value_end, out.len());
                }
                out.push('}');
            }
        }
    }

    /// Renders the expected `format` output; `level` is the layout depth of
    /// this node (0 for the top-level value).
    fn write_formatted(&self, level: usize, indent: usize, sort_keys: bool, out: &mut String) {
        match self {
            Node::Literal(literal) => out.push_str(literal),
            Node::Number(number) => number.write(out),
            Node::String(string) => string.write(out),
            Node::Array { items, .. } if items.is_empty() => out.push_str("[]"),
            Node::Object { members, .. } if members.is_empty() => out.push_str("{}"),
            Node::Array { items, .. } => {
                out.push('[');
                for (item_idx, item) in items.iter().enumerate() {
                    if item_idx > 0 {
                        out.push(',');
                    }
                    push_line_start(level + 1, indent, out);
                    item.value
                        .write_formatted(level + 1, indent, sort_keys, out);
                }
                push_line_start(level, indent, out);
                out.push(']');
            }
            Node::Object { members, .. } => {
                let mut order: Vec<&Member> = members.iter().collect();
                if sort_keys {
                    // `sort_by` is stable, so equal keys keep their input order,
                    // and `String`'s order is code-point order.
                    order.sort_by(|left, right| left.key.decoded.cmp(&right.key.decoded));
                }
                out.push('{');
                for (member_idx, member) in order.into_iter().enumerate() {
                    if member_idx > 0 {
                        out.push(',');
                    }
                    push_line_start(level + 1, indent, out);
                    member.key.write(out);
                    out.push_str(": ");
                    member
                        .value
                        .write_formatted(level + 1, indent, sort_keys, out);
                }
                push_line_start(level, indent, out);
                out.push('}');
            }
        }
    }

    fn write_minified(&self, sort_keys: bool, out: &mut String) {
        match self {
            Node::Literal(literal) => out.push_str(literal),
            Node::Number(number) => number.write(out),
            Node::String(string) => string.write(out),
            Node::Array { items, .. } => {
                out.push('[');
                for (item_idx, item) in items.iter().enumerate() {
                    if item_idx > 0 {
                        out.push(',');
                    }
                    item.value.write_minified(sort_keys, out);
                }
                out.push(']');
            }
            Node::Object { members, .. } => {
                let mut order: Vec<&Member> = members.iter().collect();
                if sort_keys {
                    // The same stable code-point order as `write_formatted`.
                    order.sort_by(|left, right| left.key.decoded.cmp(&right.key.decoded));
                }
                out.push('{');
                for (member_idx, member) in order.into_iter().enumerate() {
                    if member_idx > 0 {
                        out.push(',');
                    }
                    member.key.write(out);
                    out.push(':');
                    member.value.write_minified(sort_keys, out);
                }
                out.push('}');
            }
        }
    }
}

fn push_line_start(level: usize, indent: usize, out: &mut String) {
    // Whole slices of spaces, not a `char` at a time: at depth 256 this is
    // most of what the oracle writes.
    const SPACES: &str = "                                                                ";
    out.push('\n');
    let mut left = level * indent;
    out.reserve(left);
    while left > 0 {
        let run = left.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        left -= run;
    }
}

/// A JSON document that carries its raw lexemes and the whitespace around
/// them, so that the input text and every expected output are rendered from
/// the same tree without parsing anything.
///
/// Its [`Debug`] output is the input text, which is what a person wants to see
/// when proptest reports a minimal failing case.
#[derive(Clone)]
pub struct Document {
    pub(crate) leading: Ws,
    pub(crate) root: Node,
    pub(crate) trailing: Ws,
}

impl Document {
    pub(crate) fn new(leading: Ws, root: Node, trailing: Ws) -> Document {
        Document {
            leading,
            root,
            trailing,
        }
    }

    /// The input text, with all its whitespace.
    pub fn text(&self) -> String {
        self.text_observed(&mut Unobserved)
    }

    /// The input text, reporting the position of each lexeme to `observer`.
    pub(crate) fn text_observed<'a>(&'a self, observer: &mut impl Observer<'a>) -> String {
        let mut out = String::with_capacity(64);
        out.push_str(&self.leading);
        self.root.write_text(0, &mut out, observer);
        out.push_str(&self.trailing);
        out
    }

    /// The byte range of the top-level value within [`Document::text`].
    pub(crate) fn value_range(&self, text_len: usize) -> std::ops::Range<usize> {
        self.leading.len()..text_len - self.trailing.len()
    }

    /// Whether the top-level value is a number (whose prefixes can be complete
    /// documents themselves).
    pub(crate) fn is_top_level_number(&self) -> bool {
        matches!(self.root, Node::Number(_))
    }

    /// The output the contract expects from `format` with these options.
    ///
    /// # Panics
    ///
    /// Panics if `indent` is greater than [`MAX_INDENT`]: the contract makes
    /// that an `invalid options` error, which has no formatted output.
    pub fn format(&self, indent: u32, sort_keys: bool) -> String {
        assert!(
            indent <= MAX_INDENT,
            "indent {indent} is above the contract's maximum {MAX_INDENT}"
        );
        let indent = usize::try_from(indent).unwrap_or(usize::MAX);
        let mut out = String::with_capacity(64);
        self.root.write_formatted(0, indent, sort_keys, &mut out);
        out
    }

    /// The output the contract expects from `minify`.
    pub fn minify(&self) -> String {
        let mut out = String::with_capacity(64);
        self.root.write_minified(false, &mut out);
        out
    }

    /// The output the pipeline expects from `normalize`: minified, with the
    /// members of every object sorted as `format` with `sort-keys` sorts them
    /// (`contracts/json-pipeline/contract.md`).
    pub fn normalize(&self) -> String {
        let mut out = String::with_capacity(64);
        self.root.write_minified(true, &mut out);
        out
    }

    /// How deeply arrays and objects nest: 0 for a scalar, 1 for `[]`.
    pub fn max_depth(&self) -> usize {
        self.root.depth()
    }
}

impl fmt::Debug for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Document")
            .field("text", &self.text())
            .finish()
    }
}
