//! A reference checker, written separately from the generators: a validator
//! that finds the contract's first-error offset, and a formatter that renders
//! the lexeme tree it parses.
//!
//! It exists only to check the oracle.
//! The generators never parse, and this module never generates, so a bug would
//! have to be made twice, in two different shapes, to go unnoticed.

/// A parsed value: raw lexemes, and decoded keys.
pub enum RefNode<'a> {
    Scalar(&'a str),
    Array(Vec<RefNode<'a>>),
    Object(Vec<RefMember<'a>>),
}

/// An object member: the key's lexeme (quotes included), its decoded value,
/// and the member's value.
pub struct RefMember<'a> {
    pub key: &'a str,
    pub decoded_key: String,
    pub value: RefNode<'a>,
}

const MAX_DEPTH: usize = 256;

/// Parses `text` per the contract, or returns the offset of its first error.
pub fn parse(text: &str) -> Result<RefNode<'_>, usize> {
    if text.starts_with('\u{feff}') {
        return Err(0);
    }
    let mut parser = Parser {
        text,
        pos: 0,
        depth: 0,
    };
    parser.skip_ws();
    let res = parser.value()?;
    parser.skip_ws();
    if parser.pos != text.len() {
        return Err(parser.pos);
    }
    Ok(res)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// The error for the current position: the end of the input, or the byte
    /// that cannot be here.
    fn unexpected(&self) -> usize {
        self.pos.min(self.text.len())
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<RefNode<'a>, usize> {
        match self.peek() {
            Some(b'[') => self.array(),
            Some(b'{') => self.object(),
            Some(b'"') => Ok(RefNode::Scalar(self.string()?.0)),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => Err(self.unexpected()),
        }
    }

    fn literal(&mut self, word: &'static str) -> Result<RefNode<'a>, usize> {
        for &expected in word.as_bytes() {
            if self.peek() != Some(expected) {
                return Err(self.unexpected());
            }
            self.pos += 1;
        }
        Ok(RefNode::Scalar(word))
    }

    fn number(&mut self) -> Result<RefNode<'a>, usize> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits()?,
            _ => return Err(self.unexpected()),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits()?;
        }
        Ok(RefNode::Scalar(&self.text[start..self.pos]))
    }

    /// One or more digits.
    fn digits(&mut self) -> Result<(), usize> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.unexpected());
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        Ok(())
    }

    /// Returns the lexeme (quotes included) and the decoded value.
    fn string(&mut self) -> Result<(&'a str, String), usize> {
        let start = self.pos;
        self.pos += 1;
        let mut decoded = String::new();
        loop {
            match self.peek() {
                None => return Err(self.unexpected()),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok((&self.text[start..self.pos], decoded));
                }
                Some(b'\\') => decoded.push(self.escape()?),
                Some(0..0x20) => return Err(self.pos),
                Some(_) => {
                    let character = self.text[self.pos..].chars().next().ok_or(self.pos)?;
                    self.pos += character.len_utf8();
                    decoded.push(character);
                }
            }
        }
    }

    fn escape(&mut self) -> Result<char, usize> {
        let backslash = self.pos;
        self.pos += 1;
        let simple = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                return self.unicode_escape(backslash);
            }
            _ => return Err(self.unexpected()),
        };
        self.pos += 1;
        Ok(simple)
    }

    /// The rest of a `\u` escape whose backslash is at `backslash`.
    fn unicode_escape(&mut self, backslash: usize) -> Result<char, usize> {
        let unit = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&unit) {
            return Err(backslash);
        }
        if !(0xD800..=0xDBFF).contains(&unit) {
            return char::from_u32(unit).ok_or(backslash);
        }
        // The next six bytes must be exactly a `\u` escape of a low surrogate.
        let next = self
            .text
            .as_bytes()
            .get(self.pos..self.pos + 6)
            .ok_or(backslash)?;
        if next[0] != b'\\' || next[1] != b'u' || !next[2..].iter().all(u8::is_ascii_hexdigit) {
            return Err(backslash);
        }
        let low = u32::from_str_radix(&self.text[self.pos + 2..self.pos + 6], 16)
            .map_err(|_| backslash)?;
        if !(0xDC00..=0xDFFF).contains(&low) {
            return Err(backslash);
        }
        self.pos += 6;
        char::from_u32(0x1_0000 + ((unit - 0xD800) << 10) + (low - 0xDC00)).ok_or(backslash)
    }

    fn hex4(&mut self) -> Result<u32, usize> {
        let mut res = 0;
        for _ in 0..4 {
            let digit = self
                .peek()
                .and_then(|byte| char::from(byte).to_digit(16))
                .ok_or(self.unexpected())?;
            res = res * 16 + digit;
            self.pos += 1;
        }
        Ok(res)
    }

    /// Enters a container at the current bracket.
    fn enter(&mut self) -> Result<(), usize> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.pos);
        }
        self.pos += 1;
        self.skip_ws();
        Ok(())
    }

    fn array(&mut self) -> Result<RefNode<'a>, usize> {
        self.enter()?;
        let mut items = Vec::new();
        if self.peek() != Some(b']') {
            loop {
                items.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                    }
                    Some(b']') => break,
                    _ => return Err(self.unexpected()),
                }
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(RefNode::Array(items))
    }

    fn object(&mut self) -> Result<RefNode<'a>, usize> {
        self.enter()?;
        let mut members = Vec::new();
        if self.peek() != Some(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.unexpected());
                }
                let (key, decoded_key) = self.string()?;
                self.skip_ws();
                if self.peek() != Some(b':') {
                    return Err(self.unexpected());
                }
                self.pos += 1;
                self.skip_ws();
                let value = self.value()?;
                members.push(RefMember {
                    key,
                    decoded_key,
                    value,
                });
                self.skip_ws();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.skip_ws();
                    }
                    Some(b'}') => break,
                    _ => return Err(self.unexpected()),
                }
            }
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(RefNode::Object(members))
    }
}

/// Renders `node` as the contract's `format` would, as a list of lines joined
/// at the end (a different shape from the oracle's single pass).
pub fn format(node: &RefNode<'_>, indent: u32, sort_keys: bool) -> String {
    let mut lines = vec![String::new()];
    format_into(node, 0, indent as usize, sort_keys, &mut lines);
    lines.join("\n")
}

fn format_into(
    node: &RefNode<'_>,
    level: usize,
    indent: usize,
    sort_keys: bool,
    lines: &mut Vec<String>,
) {
    let current = lines.len() - 1;
    match node {
        RefNode::Scalar(raw) => lines[current].push_str(raw),
        RefNode::Array(items) if items.is_empty() => lines[current].push_str("[]"),
        RefNode::Object(members) if members.is_empty() => lines[current].push_str("{}"),
        RefNode::Array(items) => {
            lines[current].push('[');
            for (item_idx, item) in items.iter().enumerate() {
                lines.push(" ".repeat((level + 1) * indent));
                format_into(item, level + 1, indent, sort_keys, lines);
                if item_idx + 1 < items.len() {
                    lines.last_mut().expect("a line").push(',');
                }
            }
            lines.push(format!("{}]", " ".repeat(level * indent)));
        }
        RefNode::Object(members) => {
            let mut order: Vec<usize> = (0..members.len()).collect();
            if sort_keys {
                // Compare as sequences of scalar values, with the index as the
                // tie-breaker: an explicitly stable order.
                order.sort_unstable_by(|&left, &right| {
                    let left_chars = members[left].decoded_key.chars();
                    left_chars
                        .cmp(members[right].decoded_key.chars())
                        .then(left.cmp(&right))
                });
            }
            lines[current].push('{');
            for (position, &member_idx) in order.iter().enumerate() {
                let member = &members[member_idx];
                lines.push(format!(
                    "{}{}: ",
                    " ".repeat((level + 1) * indent),
                    member.key
                ));
                format_into(&member.value, level + 1, indent, sort_keys, lines);
                if position + 1 < order.len() {
                    lines.last_mut().expect("a line").push(',');
                }
            }
            lines.push(format!("{}}}", " ".repeat(level * indent)));
        }
    }
}

/// Renders `node` as the contract's `minify` would.
pub fn minify(node: &RefNode<'_>) -> String {
    match node {
        RefNode::Scalar(raw) => (*raw).to_owned(),
        RefNode::Array(items) => format!(
            "[{}]",
            items.iter().map(minify).collect::<Vec<_>>().join(",")
        ),
        RefNode::Object(members) => {
            let members: Vec<String> = members
                .iter()
                .map(|member| format!("{}:{}", member.key, minify(&member.value)))
                .collect();
            format!("{{{}}}", members.join(","))
        }
    }
}

/// How deeply arrays and objects nest.
pub fn depth(node: &RefNode<'_>) -> usize {
    match node {
        RefNode::Scalar(_) => 0,
        RefNode::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        RefNode::Object(members) => {
            1 + members
                .iter()
                .map(|member| depth(&member.value))
                .max()
                .unwrap_or(0)
        }
    }
}

/// Checks the checker: each case is an input and its expected first-error
/// offset (`None` for valid).
#[test]
fn validator_agrees_with_hand_written_cases() {
    let deep = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let cases: Vec<(String, Option<usize>)> = vec![
        // The contract's own examples.
        ("[1,]".into(), Some(3)),
        ("01".into(), Some(1)),
        ("1.".into(), Some(2)),
        (r#""\x""#.into(), Some(2)),
        (r#""" x"#.into(), Some(3)),
        ("".into(), Some(0)),
        // Whitespace, the BOM, and what is not whitespace.
        (" \t\r\n".into(), Some(4)),
        ("\u{feff}1".into(), Some(0)),
        (" \u{feff}1".into(), Some(1)),
        ("\u{b}1".into(), Some(0)),
        ("1\u{a0}".into(), Some(1)),
        (" \t\n\r[ \t\n\r1 \t\n\r] \t\n\r".into(), None),
        // Numbers.
        ("-0.0e-0".into(), None),
        ("1e400".into(), None),
        ("1E+007".into(), None),
        ("-".into(), Some(1)),
        ("-x".into(), Some(1)),
        ("+1".into(), Some(0)),
        (".5".into(), Some(0)),
        ("1.e5".into(), Some(2)),
        ("1e".into(), Some(2)),
        ("1e+".into(), Some(3)),
        ("1e+]".into(), Some(3)),
        ("[01]".into(), Some(2)),
        ("[-01]".into(), Some(3)),
        ("NaN".into(), Some(0)),
        ("-Infinity".into(), Some(1)),
        // Literals.
        ("tru".into(), Some(3)),
        ("trux".into(), Some(3)),
        ("nulll".into(), Some(4)),
        ("True".into(), Some(0)),
        // Strings and escapes.
        (r#""\"\\\/\b\f\n\r\t\u00e9\u00E9""#.into(), None),
        ("\"a\tb\"".into(), Some(2)),
        ("\"\u{1f}\"".into(), Some(1)),
        ("\"\u{7f}\u{e9}\u{ff61}\u{1f600}\"".into(), None),
        (r#""\u00g0""#.into(), Some(5)),
        (r#""\u00"#.into(), Some(5)),
        (r#""\"#.into(), Some(2)),
        (r#""abc"#.into(), Some(4)),
        ("'a'".into(), Some(0)),
        // Surrogates.
        (r#""\uD83D\uDE00""#.into(), None),
        (r#""\ud83d\ude00""#.into(), None),
        (r#""\uD83D""#.into(), Some(1)),
        (r#""\uDE00""#.into(), Some(1)),
        (r#""ab\uDE00\uD83D""#.into(), Some(3)),
        (r#""\uD83D\uD83D\uDE00""#.into(), Some(1)),
        (r#""\uD83D\u0041""#.into(), Some(1)),
        (r#""\uD83D\uDEx0""#.into(), Some(1)),
        (r#""\uD83D"#.into(), Some(1)),
        (r#""\uD83D\uDE"#.into(), Some(1)),
        (r#""\uD83"#.into(), Some(6)),
        (r#""\uD83D\uDE00\uDE00""#.into(), Some(13)),
        // Structure.
        ("[".into(), Some(1)),
        ("[1 2]".into(), Some(3)),
        ("[,]".into(), Some(1)),
        ("[1,,2]".into(), Some(3)),
        ("{}".into(), None),
        ("{ }".into(), None),
        (r#"{"a":1,}"#.into(), Some(7)),
        (r#"{"a" 1}"#.into(), Some(5)),
        (r#"{"a":}"#.into(), Some(5)),
        ("{1:2}".into(), Some(1)),
        (r#"{"a":1"b":2}"#.into(), Some(6)),
        (r#"{"a":1,"a":2}"#.into(), None),
        ("[1]]".into(), Some(3)),
        ("[}".into(), Some(1)),
        ("1 2".into(), Some(2)),
        ("[] x".into(), Some(3)),
        ("// c\n1".into(), Some(0)),
        // Depth.
        (deep(256), None),
        (deep(257), Some(256)),
        (format!("{{\"a\":{}}}", deep(256)), Some(260)),
        (format!("[{}]", deep(300)), Some(256)),
    ];
    for (input, expected) in cases {
        let actual = parse(&input).err();
        assert_eq!(actual, expected, "input {input:?}");
    }
}

/// Checks the reference formatter on hand-written cases.
#[test]
fn reference_formatter_follows_the_contract_layout() {
    let check = |input: &str, indent: u32, sort_keys: bool, expected: &str| {
        let tree = parse(input).expect("valid");
        assert_eq!(
            format(&tree, indent, sort_keys),
            expected,
            "input {input:?}"
        );
    };
    check(" 1.0 ", 2, false, "1.0");
    check("[ ]", 2, false, "[]");
    check("{\t}", 2, false, "{}");
    check(
        "[1,[2,{}],{\"a\":[]}]",
        2,
        false,
        "[\n  1,\n  [\n    2,\n    {}\n  ],\n  {\n    \"a\": []\n  }\n]",
    );
    check(
        "{\"b\":1,\"a\":{\"d\":1,\"c\":2}}",
        0,
        true,
        "{\n\"a\": {\n\"c\": 2,\n\"d\": 1\n},\n\"b\": 1\n}",
    );
    check(
        "{\"\\uD83D\\uDE00\":1,\"\u{ff61}\":2,\"b\":3,\"\\u0062\":4,\"a\":5}",
        1,
        true,
        "{\n \"a\": 5,\n \"b\": 3,\n \"\\u0062\": 4,\n \"\u{ff61}\": 2,\n \"\\uD83D\\uDE00\": 1\n}",
    );
    let tree = parse(" { \"a\" : [ 1 , true ] } ").expect("valid");
    assert_eq!(minify(&tree), "{\"a\":[1,true]}");
}
