//! Decoding object keys for sort-keys.
//!
//! The contract orders keys by their decoded value as Unicode scalar values,
//! so `"\u0061"` and `"a"` compare equal.
//! Decoding a key to UTF-8 gives bytes whose order is exactly that order, and
//! only keys with escapes need it: the printer compares the others raw.

use alloc::vec::Vec;

/// Appends the UTF-8 of the decoded value of `raw` to `decoded`.
///
/// `raw` is the text between a key's quotes, already validated by the
/// printer: every escape is complete and surrogate escapes come in pairs.
pub(crate) fn decode(raw: &[u8], decoded: &mut Vec<u8>) {
    let mut pos = 0;
    while pos < raw.len() {
        let run_end = raw[pos..]
            .iter()
            .position(|&byte| byte == b'\\')
            .map_or(raw.len(), |run_len| pos + run_len);
        decoded.extend_from_slice(&raw[pos..run_end]);
        pos = run_end;
        let Some(&kind) = raw.get(pos + 1) else {
            return;
        };
        pos += 2;
        let byte = match kind {
            b'b' => 0x08,
            b'f' => 0x0C,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => {
                let unit = hex4(raw, pos);
                pos += 4;
                let scalar = if (0xD800..=0xDBFF).contains(&unit) {
                    // Skip the `\u` of the low surrogate that must follow.
                    let low = hex4(raw, pos + 2);
                    pos += 6;
                    0x10000 + ((unit - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF)
                } else {
                    unit
                };
                let character = char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER);
                let mut utf8 = [0; 4];
                decoded.extend_from_slice(character.encode_utf8(&mut utf8).as_bytes());
                continue;
            }
            // `"`, `\` and `/` stand for themselves.
            other => other,
        };
        decoded.push(byte);
    }
}

/// The value of the four hex digits at `at`, or 0 where `raw` has none.
fn hex4(raw: &[u8], at: usize) -> u32 {
    raw.get(at..at + 4)
        .into_iter()
        .flatten()
        .fold(0, |value, &byte| {
            value * 16 + char::from(byte).to_digit(16).unwrap_or(0)
        })
}
