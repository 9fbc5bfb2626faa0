package jsonfmt

// This file decodes object keys for sort-keys.
//
// The contract orders keys by their decoded value as Unicode scalar values, so
// "\u0061" and "a" compare equal.
// Decoding a key to UTF-8 gives bytes whose order is exactly that order (Go
// compares byte strings bytewise), and only keys with escapes need it: the
// printer compares the others as they were printed.

import (
	"bytes"
	"unicode/utf8"
)

// appendDecoded appends the UTF-8 of the decoded value of raw to decoded.
//
// raw is the text between a key's quotes, already validated by the printer:
// every escape is complete and surrogate escapes come in pairs.
func appendDecoded(decoded, raw []byte) []byte {
	for len(raw) > 0 {
		backslash := bytes.IndexByte(raw, '\\')
		if backslash < 0 {
			return append(decoded, raw...)
		}
		decoded = append(decoded, raw[:backslash]...)
		kind := raw[backslash+1]
		raw = raw[backslash+2:]
		switch kind {
		case 'b':
			decoded = append(decoded, '\b')
		case 'f':
			decoded = append(decoded, '\f')
		case 'n':
			decoded = append(decoded, '\n')
		case 'r':
			decoded = append(decoded, '\r')
		case 't':
			decoded = append(decoded, '\t')
		case 'u':
			scalar := hex4(raw)
			raw = raw[4:]
			if 0xD800 <= scalar && scalar <= 0xDBFF {
				// Skip the "\u" of the low surrogate that must follow.
				low := hex4(raw[2:])
				raw = raw[6:]
				scalar = 0x10000 + (scalar-0xD800)<<10 + (low - 0xDC00)
			}
			decoded = utf8.AppendRune(decoded, scalar)
		default:
			// '"', '\' and '/' stand for themselves.
			decoded = append(decoded, kind)
		}
	}
	return decoded
}

// hex4 is the value of the four hex digits that raw starts with.
func hex4(raw []byte) rune {
	var value rune
	for _, digit := range raw[:4] {
		value = value<<4 | rune(hexValue[digit])
	}
	return value
}
