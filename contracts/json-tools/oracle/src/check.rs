//! Checks on outputs that need no expectation: whether an output's objects
//! are sorted, and which offset an error message names.

use std::cmp::Ordering;

/// Checks that in a `format` or `minify` output every object, at every depth,
/// has its members ordered by decoded key, in code-point order.
///
/// Equal keys may appear in any order here: stability is checked by comparing
/// with [`Document::format`](crate::Document::format), not by this function.
/// The output is assumed to be a valid document; this function does not
/// validate it.
///
/// # Errors
///
/// Names the byte offset of the first key that sorts before the key of the
/// previous member of its object, or of a key whose escapes cannot be decoded.
pub fn check_sorted(output: &str) -> Result<(), String> {
    /// What the scanner is inside of.
    enum Frame {
        Array,
        /// `previous` is the last key seen and its offset; `expect_key` is set
        /// after `{` and `,`.
        Object {
            previous: Option<(String, usize)>,
            expect_key: bool,
        },
    }

    let bytes = output.as_bytes();
    let mut stack = Vec::new();
    let mut pos = 0;
    while pos < bytes.len() {
        match bytes[pos] {
            b'[' => stack.push(Frame::Array),
            b'{' => stack.push(Frame::Object {
                previous: None,
                expect_key: true,
            }),
            b']' | b'}' => {
                stack.pop();
            }
            b',' => {
                if let Some(Frame::Object { expect_key, .. }) = stack.last_mut() {
                    *expect_key = true;
                }
            }
            b'"' => {
                let end = string_end(bytes, pos)
                    .ok_or_else(|| format!("the string at byte {pos} has no closing quote"))?;
                if let Some(Frame::Object {
                    previous,
                    expect_key: expect_key @ true,
                }) = stack.last_mut()
                {
                    *expect_key = false;
                    let key = decode(&output[pos + 1..end - 1]).ok_or_else(|| {
                        format!("the key at byte {pos} has an escape that cannot be decoded")
                    })?;
                    if let Some((previous_key, previous_pos)) = previous.as_ref()
                        && key.cmp(previous_key) == Ordering::Less
                    {
                        return Err(format!(
                            "the key at byte {pos} ({key:?}) sorts before the previous key at byte {previous_pos} ({previous_key:?})"
                        ));
                    }
                    *previous = Some((key, pos));
                }
                pos = end;
                continue;
            }
            _ => {}
        }
        pos += 1;
    }
    Ok(())
}

/// The offset just after the closing quote of the string opening at `open`.
fn string_end(bytes: &[u8], open: usize) -> Option<usize> {
    let mut pos = open + 1;
    while pos < bytes.len() {
        match bytes[pos] {
            b'"' => return Some(pos + 1),
            b'\\' => pos += 2,
            _ => pos += 1,
        }
    }
    None
}

/// Decodes the content of a string lexeme (between its quotes).
fn decode(raw: &str) -> Option<String> {
    let mut res = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(character) = chars.next() {
        if character != '\\' {
            res.push(character);
            continue;
        }
        let decoded = match chars.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let unit = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&unit) {
                    if chars.next()? != '\\' || chars.next()? != 'u' {
                        return None;
                    }
                    let low = hex4(&mut chars)?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x1_0000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?
                } else {
                    char::from_u32(unit)?
                }
            }
            other => other,
        };
        res.push(decoded);
    }
    Some(res)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut res = 0;
    for _ in 0..4 {
        res = res * 16 + chars.next()?.to_digit(16)?;
    }
    Some(res)
}

/// The offset `N` from an error message of the form `at byte N: ...`, or
/// `None` when the message does not have that form.
pub fn error_offset(message: &str) -> Option<usize> {
    let rest = message.strip_prefix("at byte ")?;
    let n_digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if n_digits == 0 || !rest[n_digits..].starts_with(':') {
        return None;
    }
    rest[..n_digits].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_escape() {
        assert_eq!(
            decode(r#"a\"\\\/\b\f\n\r\t\u00e9\uD83D\ude00"#).as_deref(),
            Some("a\"\\/\u{8}\u{c}\n\r\t\u{e9}\u{1f600}")
        );
        assert_eq!(decode(r"\uD83D"), None);
        assert_eq!(decode(r"\uD83Dx"), None);
    }
}
