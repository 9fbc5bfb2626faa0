//! The single-pass validator and printer behind [`format`](crate::format) and
//! [`minify`](crate::minify).
//!
//! One loop walks the input once.
//! Tokens are validated and then copied to the [`Output`] as whole slices;
//! the layout (newlines, indentation, `: `) is written between them.
//! Open containers live on a bit stack of [`MAX_DEPTH`] entries instead of
//! the native call stack, so depth costs no stack space.
//!
//! With sort-keys, the members of an object are printed in input order as
//! usual, and when the object closes its printed members are reordered in
//! place (see [`Printer::sort_members`]).
//! Nested objects are already sorted by then, and every member of one object
//! is separated by the same text, so the reordering is a permutation of
//! slices of the output.

use alloc::string::String;
use alloc::vec::Vec;

use crate::output::Output;
use crate::{Error, MAX_DEPTH, keys};

/// `true` for the bytes that end a run of plain string content: `"`, `\` and
/// the control characters U+0000 to U+001F.
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Finds the first byte at or after `pos` that ends a run of plain string
/// content (see [`STRING_STOP`]), or `bytes.len()`.
///
/// Eight bytes are tested at a time as one `u64` ("SIMD within a register"):
/// a byte that is zero after XOR with `"` or `\\`, or that is below 0x20,
/// sets its top bit in `stops`.  Borrows can only flag bytes above a real
/// match, so the lowest flagged byte is the first stop.
#[inline(always)]
pub(crate) fn plain_run_end(bytes: &[u8], mut pos: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let stops = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        let stops = stops & HIGHS;
        if stops != 0 {
            // At most 7, so the conversion is lossless.
            return pos + (stops.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&byte) = bytes.get(pos) {
        if STRING_STOP[usize::from(byte)] {
            break;
        }
        pos += 1;
    }
    pos
}

/// Validates and prints `input`.
///
/// `layout` is `None` for `minify`.
pub(crate) fn print(input: &str, layout: Option<Layout>) -> Result<String, Error> {
    // A BOM fails at offset 0 by the general rule too; this only gives it a
    // clearer message.
    if input.starts_with('\u{FEFF}') {
        return Err(syntax(0, "a byte order mark (U+FEFF) is not allowed"));
    }
    // Minified output is never longer than the input.  Pretty output usually
    // stays within twice the input, so one allocation is the common case.
    let capacity = match layout {
        Some(_) => input.len().saturating_mul(2),
        None => input.len(),
    };
    let mut printer = Printer {
        bytes: input.as_bytes(),
        pos: 0,
        out: Output::with_capacity(capacity),
        pretty: layout.is_some(),
        indent: layout.map_or(0, |layout| layout.indent),
        sort: layout.is_some_and(|layout| layout.sort_keys),
        depth: 0,
        in_object: false,
        parents: [0; MAX_DEPTH / 64],
        members: Vec::new(),
        open_objects: Vec::new(),
        decoded_keys: Vec::new(),
        scratch: Vec::new(),
    };
    printer.document()?;
    Ok(printer.out.into_string())
}

/// `format`'s options, checked.
#[derive(Clone, Copy)]
pub(crate) struct Layout {
    /// Spaces per level, at most [`MAX_INDENT`](crate::MAX_INDENT).
    pub(crate) indent: usize,
    /// Whether to sort object members by key.
    pub(crate) sort_keys: bool,
}

/// A member of an object that is still open, recorded for sort-keys.
struct Member {
    /// Where the member's key starts in the output.
    start: usize,
    /// Where the member's value ends in the output; set when the member ends.
    end: usize,
    /// The key without quotes, to compare by.
    key: Key,
}

/// Where the bytes that a key compares by are.
#[derive(Clone, Copy)]
enum Key {
    /// A key without escapes: its raw bytes, a range of the output.
    Raw(usize, usize),
    /// A key with escapes: its decoded UTF-8, a range of
    /// [`Printer::decoded_keys`].
    Decoded(usize, usize),
}

impl Key {
    /// The bytes to compare, which sort in Unicode scalar value order.
    fn bytes<'a>(self, out: &'a [u8], decoded_keys: &'a [u8]) -> &'a [u8] {
        match self {
            Key::Raw(start, end) => &out[start..end],
            Key::Decoded(start, end) => &decoded_keys[start..end],
        }
    }
}

/// The state of one call.
///
/// The layout is data, not type parameters: one copy of the loop keeps the
/// component small, and the branches on it always go the same way.
struct Printer<'a> {
    /// The whole input, which is valid UTF-8.
    bytes: &'a [u8],
    /// The next byte to look at.
    pos: usize,
    /// The output so far.
    out: Output,
    /// `format`'s layout rather than `minify`'s.
    pretty: bool,
    /// Spaces per level (pretty only).
    indent: usize,
    /// Sort object members (pretty only).
    sort: bool,
    /// How many containers are open.
    depth: usize,
    /// Whether the innermost open container is an object (when `depth` is
    /// not 0).
    in_object: bool,
    /// Bit `d` is the `in_object` of depth `d`, saved while a container at
    /// depth `d + 1` is open.
    parents: [u64; MAX_DEPTH / 64],
    /// sort-keys: the members of every open object, innermost last.
    members: Vec<Member>,
    /// sort-keys: for each open, non-empty object, the lengths of
    /// [`Self::members`] and [`Self::decoded_keys`] when it opened.
    open_objects: Vec<(usize, usize)>,
    /// sort-keys: the decoded keys of the members in [`Self::members`] whose
    /// keys have escapes.
    decoded_keys: Vec<u8>,
    /// sort-keys: a copy of an object's printed members while they are
    /// reordered, kept to reuse its allocation.
    scratch: Vec<u8>,
}

/// An input error at `offset`.
#[cold]
#[inline(never)]
fn syntax(offset: usize, message: &str) -> Error {
    Error::Syntax {
        offset,
        message: String::from(message),
    }
}

impl Printer<'_> {
    /// Prints the whole document, or reports the first error.
    fn document(&mut self) -> Result<(), Error> {
        self.skip_whitespace();
        // Each turn of this loop prints one value that starts at `self.pos`
        // (whitespace before it is already skipped); the inner loop then
        // closes containers until one goes on with a comma.
        'value: loop {
            match self.peek() {
                Some(b'{') => {
                    self.open(true)?;
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b'}') => {
                            self.pos += 1;
                            self.close();
                            self.out.push(b'{');
                            self.out.push(b'}');
                        }
                        Some(b'"') => {
                            if self.sort {
                                self.open_objects
                                    .push((self.members.len(), self.decoded_keys.len()));
                            }
                            self.out.push(b'{');
                            self.newline();
                            self.member()?;
                            continue 'value;
                        }
                        Some(_) => return Err(self.error("expected a string key or '}'")),
                        None => return Err(self.end_of_input()),
                    }
                }
                Some(b'[') => {
                    self.open(false)?;
                    self.skip_whitespace();
                    match self.peek() {
                        Some(b']') => {
                            self.pos += 1;
                            self.close();
                            self.out.push(b'[');
                            self.out.push(b']');
                        }
                        Some(_) => {
                            self.out.push(b'[');
                            self.newline();
                            continue 'value;
                        }
                        None => return Err(self.end_of_input()),
                    }
                }
                Some(b'"') => {
                    self.string()?;
                }
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(_) => return Err(self.error("expected a value")),
                None => return Err(self.end_of_input()),
            }
            loop {
                self.skip_whitespace();
                if self.depth == 0 {
                    if self.pos < self.bytes.len() {
                        return Err(self.error("unexpected character after the document"));
                    }
                    return Ok(());
                }
                let in_object = self.in_object;
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if self.sort && in_object {
                            self.end_member();
                        }
                        self.out.push(b',');
                        self.newline();
                        self.skip_whitespace();
                        if in_object {
                            match self.peek() {
                                Some(b'"') => self.member()?,
                                Some(_) => return Err(self.error("expected a string key")),
                                None => return Err(self.end_of_input()),
                            }
                        }
                        continue 'value;
                    }
                    Some(b']') if !in_object => {
                        self.pos += 1;
                        self.close();
                        self.newline();
                        self.out.push(b']');
                    }
                    Some(b'}') if in_object => {
                        self.pos += 1;
                        if self.sort {
                            self.end_member();
                            self.sort_members();
                        }
                        self.close();
                        self.newline();
                        self.out.push(b'}');
                    }
                    Some(_) if in_object => return Err(self.error("expected ',' or '}'")),
                    Some(_) => return Err(self.error("expected ',' or ']'")),
                    None => return Err(self.end_of_input()),
                }
            }
        }
    }

    /// The byte at the cursor, if the input goes on.
    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// An error at the cursor.
    #[cold]
    fn error(&self, message: &str) -> Error {
        syntax(self.pos, message)
    }

    /// The error for an input that ends while it is still a valid prefix.
    #[cold]
    fn end_of_input(&self) -> Error {
        syntax(self.bytes.len(), "unexpected end of input")
    }

    /// Skips space, tab, LF and CR.
    #[inline(always)]
    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    // Pretty-printed input indents after each newline, often
                    // by many spaces.
                    while self.bytes.get(self.pos..self.pos + 8) == Some(b"        ") {
                        self.pos += 8;
                    }
                }
                _ => break,
            }
        }
    }

    /// Writes a newline and the indentation of the current depth (pretty
    /// output only).
    #[inline(always)]
    fn newline(&mut self) {
        if self.pretty {
            self.out.push_newline(self.depth * self.indent);
        }
    }

    /// Enters the container whose bracket is at the cursor.
    #[inline(always)]
    fn open(&mut self, is_object: bool) -> Result<(), Error> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nesting deeper than 256 arrays and objects"));
        }
        // Remember what the enclosing container is, for `close`.
        let word = &mut self.parents[self.depth / 64];
        let bit = 1u64 << (self.depth % 64);
        if self.in_object {
            *word |= bit;
        } else {
            *word &= !bit;
        }
        self.in_object = is_object;
        self.depth += 1;
        self.pos += 1;
        Ok(())
    }

    /// Leaves the innermost container.
    #[inline(always)]
    fn close(&mut self) {
        self.depth -= 1;
        self.in_object = self.parents[self.depth / 64] & (1u64 << (self.depth % 64)) != 0;
    }

    /// Prints an object member's key (at the cursor, a `"`), the `:` after
    /// it and the whitespace before its value.
    #[inline(always)]
    fn member(&mut self) -> Result<(), Error> {
        let start = self.out.len();
        let has_escapes = self.string()?;
        if self.sort {
            self.record_member(start, has_escapes);
        }
        self.skip_whitespace();
        match self.peek() {
            Some(b':') => self.pos += 1,
            Some(_) => return Err(self.error("expected ':'")),
            None => return Err(self.end_of_input()),
        }
        self.out.push(b':');
        if self.pretty {
            self.out.push(b' ');
        }
        self.skip_whitespace();
        Ok(())
    }

    /// sort-keys: records the member whose key was just printed from
    /// `start`.
    fn record_member(&mut self, start: usize, has_escapes: bool) {
        // The key without its quotes.
        let (key_start, key_end) = (start + 1, self.out.len() - 1);
        let key = if has_escapes {
            let decoded_start = self.decoded_keys.len();
            keys::decode(
                &self.out.as_bytes()[key_start..key_end],
                &mut self.decoded_keys,
            );
            Key::Decoded(decoded_start, self.decoded_keys.len())
        } else {
            Key::Raw(key_start, key_end)
        };
        self.members.push(Member {
            start,
            end: start,
            key,
        });
    }

    /// sort-keys: the innermost object's last member ends here.
    fn end_member(&mut self) {
        let end = self.out.len();
        if let Some(member) = self.members.last_mut() {
            member.end = end;
        }
    }

    /// sort-keys: reorders the printed members of the innermost object, which
    /// is closing, by key.
    ///
    /// The members run from the first one's start to the end of the output,
    /// separated by `,`, a newline and the indentation of the current depth.
    /// If they are already in order, nothing is copied.
    fn sort_members(&mut self) {
        let Some((members_start, decoded_start)) = self.open_objects.pop() else {
            return;
        };
        // The same separator as `newline` writes between these members.
        let pretty = self.pretty;
        let n_spaces = self.depth * self.indent;
        let Self {
            out,
            members,
            decoded_keys,
            scratch,
            ..
        } = self;
        let object_members = &mut members[members_start..];
        let printed = out.as_bytes();
        let in_order = object_members.is_sorted_by(|a, b| {
            a.key.bytes(printed, decoded_keys) <= b.key.bytes(printed, decoded_keys)
        });
        if !in_order {
            let region_start = object_members[0].start;
            // `sort_by` is stable, so equal keys keep their input order.
            object_members.sort_by(|a, b| {
                a.key
                    .bytes(printed, decoded_keys)
                    .cmp(b.key.bytes(printed, decoded_keys))
            });
            scratch.clear();
            scratch.extend_from_slice(&printed[region_start..]);
            out.truncate(region_start);
            for (member_idx, member) in object_members.iter().enumerate() {
                if member_idx > 0 {
                    out.push(b',');
                    if pretty {
                        out.push_newline(n_spaces);
                    }
                }
                out.push_range(
                    scratch,
                    member.start - region_start,
                    member.end - region_start,
                );
            }
        }
        members.truncate(members_start);
        decoded_keys.truncate(decoded_start);
    }

    /// Validates and copies the string at the cursor (a `"`).
    ///
    /// Returns whether it has escapes.
    #[inline(always)]
    fn string(&mut self) -> Result<bool, Error> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut pos = plain_run_end(bytes, start + 1);
        let mut has_escapes = false;
        loop {
            match bytes.get(pos) {
                Some(b'"') => break,
                Some(b'\\') => {
                    has_escapes = true;
                    pos = self.escape(pos)?;
                    pos = plain_run_end(bytes, pos);
                }
                Some(_) => {
                    return Err(syntax(pos, "control character in a string must be escaped"));
                }
                None => return Err(self.end_of_input()),
            }
        }
        pos += 1;
        self.out.push_range(bytes, start, pos);
        self.pos = pos;
        Ok(has_escapes)
    }

    /// Validates the escape whose backslash is at `backslash`.
    ///
    /// Returns the offset just after it (after both escapes of a surrogate
    /// pair).
    fn escape(&self, backslash: usize) -> Result<usize, Error> {
        match self.bytes.get(backslash + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(backslash + 2),
            Some(b'u') => {
                // A `\u` escape whose first two hex digits are `D` and one of
                // `C` to `F` can only be a low surrogate, and nothing pairs it
                // here: the contract reports its backslash as soon as that is
                // certain, even if the escape is cut off or malformed later.
                let is_low = |at: usize, test: fn(u8) -> bool| {
                    self.bytes.get(at).is_some_and(|&byte| test(byte))
                };
                if is_low(backslash + 2, |byte| byte | 0x20 == b'd')
                    && is_low(backslash + 3, |byte| matches!(byte | 0x20, b'c'..=b'f'))
                {
                    return Err(syntax(
                        backslash,
                        "low surrogate escape without a high surrogate before it",
                    ));
                }
                let unit = self.hex4(backslash + 2)?;
                match unit {
                    0xD800..=0xDBFF => {
                        self.low_surrogate(backslash + 6, backslash)?;
                        Ok(backslash + 12)
                    }
                    _ => Ok(backslash + 6),
                }
            }
            Some(_) => Err(syntax(backslash + 1, "invalid escape")),
            None => Err(self.end_of_input()),
        }
    }

    /// Reads the four hex digits of a `\u` escape at `at`.
    fn hex4(&self, at: usize) -> Result<u32, Error> {
        let mut value = 0;
        for offset in at..at + 4 {
            let Some(&byte) = self.bytes.get(offset) else {
                return Err(self.end_of_input());
            };
            let Some(digit) = char::from(byte).to_digit(16) else {
                return Err(syntax(offset, "invalid hex digit in a \\u escape"));
            };
            value = value * 16 + digit;
        }
        Ok(value)
    }

    /// Checks that a `\u` escape of a low surrogate (DC00 to DFFF) is at `at`,
    /// right after the high surrogate escape at `high_backslash`.
    ///
    /// Anything else, the end of the input included, is an unpaired high
    /// surrogate, reported at its backslash (contracts/json-tools/contract.md: "The input
    /// ends after a high surrogate escape").
    fn low_surrogate(&self, at: usize, high_backslash: usize) -> Result<(), Error> {
        for idx in 0..6 {
            let Some(&byte) = self.bytes.get(at + idx) else {
                return Err(syntax(
                    high_backslash,
                    "high surrogate escape at the end of the input, without a low surrogate escape",
                ));
            };
            let fits = match idx {
                0 => byte == b'\\',
                1 => byte == b'u',
                2 => byte | 0x20 == b'd',
                3 => matches!(byte | 0x20, b'c'..=b'f'),
                _ => byte.is_ascii_hexdigit(),
            };
            if !fits {
                return Err(syntax(
                    high_backslash,
                    "high surrogate escape not followed by a low surrogate escape",
                ));
            }
        }
        Ok(())
    }

    /// Validates and copies the number at the cursor (`-` or a digit).
    #[inline(always)]
    fn number(&mut self) -> Result<(), Error> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            // A leading zero ends the integer part: `01` fails at the `1`,
            // where the caller expects a separator.
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            Some(_) => return Err(self.error("expected a digit")),
            None => return Err(self.end_of_input()),
        }
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            self.fraction_and_exponent()?;
        }
        self.out.push_range(self.bytes, start, self.pos);
        Ok(())
    }

    /// Validates the fraction and exponent of a number, if any, at the
    /// cursor.
    fn fraction_and_exponent(&mut self) -> Result<(), Error> {
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.required_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.required_digits()?;
        }
        Ok(())
    }

    /// Skips the digits at the cursor.
    #[inline(always)]
    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Skips one or more digits at the cursor.
    fn required_digits(&mut self) -> Result<(), Error> {
        match self.peek() {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            Some(_) => Err(self.error("expected a digit")),
            None => Err(self.end_of_input()),
        }
    }

    /// Validates and copies `word` (`true`, `false` or `null`) at the cursor.
    #[inline(always)]
    fn literal(&mut self, word: &'static [u8]) -> Result<(), Error> {
        let start = self.pos;
        let end = start + word.len();
        if self.bytes.get(start..end) != Some(word) {
            return Err(self.literal_error(word));
        }
        self.pos = end;
        self.out.push_range(self.bytes, start, end);
        Ok(())
    }

    /// The error for a misspelled or cut-off `word` at the cursor.
    #[cold]
    fn literal_error(&self, word: &'static [u8]) -> Error {
        for (idx, &expected) in word.iter().enumerate() {
            match self.bytes.get(self.pos + idx) {
                Some(&byte) if byte == expected => {}
                Some(_) => return syntax(self.pos + idx, "invalid literal"),
                None => return self.end_of_input(),
            }
        }
        self.end_of_input()
    }
}
