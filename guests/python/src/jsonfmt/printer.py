"""The single-pass validator and printer behind :func:`format` and :func:`minify`.

One loop walks the input's UTF-8 bytes once.
Each string, number and key is matched, with the whitespace after it, by a
regular expression on bytes (a fast path that only ever accepts valid
tokens) and copied to the output as one slice; the layout (newlines,
indentation, ``": "``) is written between tokens.
When a fast path does not match, a byte-by-byte scanner finds the exact
error offset that the contract prescribes.

The input gets one NUL byte appended as a sentinel.
NUL cannot appear anywhere in an accepted document (not even raw inside a
string), so every check fails on it, at offset ``len(input)``: exactly the
offset the contract gives an input that ends too early.
The scanner therefore never checks bounds.

With sort-keys, the members of an object are printed in input order, and
when the object closes its printed members are reordered in place.
Nested objects are already sorted by then, and every member of one object is
separated by the same text, so the reordering is a permutation of slices of
the output.
"""

from __future__ import annotations

import functools
import re
from typing import NoReturn

from jsonfmt.keys import decode_key

#: The deepest nesting of arrays and objects that the contract accepts.
MAX_DEPTH = 256

#: The largest indent, in spaces per level, that the contract accepts.
MAX_INDENT = 16


class Error(ValueError):
    """A result of ``err``: its ``str`` is the contract's error message."""


class OptionsError(Error):
    """Invalid options; the message starts with ``invalid options: ``."""

    def __init__(self, message: str) -> None:
        super().__init__("invalid options: " + message)


class JsonSyntaxError(Error):
    """An input that is not an accepted document.

    The message starts with ``at byte N: ``, where N is :attr:`offset`.
    """

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(f"at byte {offset}: {message}")
        #: The contract's 0-based UTF-8 byte offset of the error.
        self.offset = offset


def format(text: str, indent: int = 2, sort_keys: bool = False) -> str:
    """Validates ``text`` and lays it out over several lines.

    The defaults are the contract's for ``options`` set to ``none``.

    Raises :class:`OptionsError` when ``indent`` is greater than
    :data:`MAX_INDENT`, whatever the input, and :class:`JsonSyntaxError` when
    ``text`` is not an accepted document.
    """
    return format_bytes(text.encode("utf-8"), indent, sort_keys).decode("utf-8")


def minify(text: str) -> str:
    """Validates ``text`` and prints it with no whitespace outside strings.

    Raises :class:`JsonSyntaxError` when ``text`` is not an accepted document.
    """
    return minify_bytes(text.encode("utf-8")).decode("utf-8")


def format_bytes(data: bytes, indent: int = 2, sort_keys: bool = False) -> bytes:
    """:func:`format` on UTF-8 bytes, which must be valid UTF-8."""
    # Options come first: an indent of 17 is an error even for empty input.
    if indent > MAX_INDENT:
        raise OptionsError(f"indent {indent} is greater than {MAX_INDENT}")
    if indent < 0:
        # Unreachable through the WIT, whose indent is a u32.
        raise OptionsError(f"indent {indent} is negative")
    return _print(data, _newlines(indent), b": ", sort_keys)


def minify_bytes(data: bytes) -> bytes:
    """:func:`minify` on UTF-8 bytes, which must be valid UTF-8."""
    return _print(data, _NO_NEWLINES, b":", False)


@functools.lru_cache(maxsize=4)
def _newlines(indent: int) -> list[bytes]:
    """What goes between the elements of a container, by their level.

    Building the list costs more than formatting a small document, so the
    lists of the last few indents are kept.
    """
    return [b"\n" + b" " * (level * indent) for level in range(MAX_DEPTH + 1)]


# The default indent's list is made once, at import; in the component that is
# while componentize-py pre-initialises it.
_newlines(2)

# Minified output has no line breaks: every "newline" is empty.
_NO_NEWLINES = [b""] * (MAX_DEPTH + 1)

# Whitespace outside strings: space, tab, LF and CR only.
_WHITESPACE_BYTES = b" \t\n\r"
_WHITESPACE = re.compile(rb"[ \t\n\r]+")

# A whole string whose escapes are all valid and whose surrogate escapes all
# come in high-low pairs.  The possessive quantifiers keep a failed match
# from backtracking.  Any byte above 0x7F is part of a valid UTF-8 character,
# since the input is a WIT string.
_STRING_PATTERN = (
    rb'"(?:[^"\\\x00-\x1f]++'
    rb'|\\["\\/bfnrt]'
    rb"|\\u(?![dD][89a-fA-F])[0-9a-fA-F]{4}"
    rb"|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"
    rb')*+"'
)

# The fast paths, each a token as group 1 and the whitespace after it: a
# string value, a number value, and an object member's key with its ':'.
# A number must not be followed by '.', 'e' or 'E': that is a number missing
# digits, or a second fraction or exponent.
# Where a fast path does not match, the byte-by-byte scanners below find the
# contract's error.
_STRING_VALUE = re.compile(rb"(" + _STRING_PATTERN + rb")[ \t\n\r]*+")
_NUMBER_VALUE = re.compile(rb"(-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?(?:[eE][-+]?[0-9]++)?)(?![.eE])[ \t\n\r]*+")
_MEMBER_KEY = re.compile(rb"(" + _STRING_PATTERN + rb")[ \t\n\r]*+:[ \t\n\r]*+")

# A run of string bytes that need no closer look.
_PLAIN_RUN = re.compile(rb'[^"\\\x00-\x1f]+')

# The six bytes that must follow a high surrogate escape.
_LOW_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][c-fC-F][0-9a-fA-F]{2}")

_DIGITS = re.compile(rb"[0-9]+")

# The byte-by-byte scanner's view of an escape: the simple escape letters, and
# the value of each hex digit (-1 for every other byte).
_SIMPLE_ESCAPES = b'"\\/bfnrt'
_HEX_VALUE = [-1] * 256
for _byte in b"0123456789":
    _HEX_VALUE[_byte] = _byte - 0x30
for _byte in b"abcdef":
    _HEX_VALUE[_byte] = _byte - 0x61 + 10
    _HEX_VALUE[_byte - 0x20] = _byte - 0x61 + 10
del _byte

_QUOTE = 0x22
_MINUS = 0x2D
_COMMA = 0x2C
_COLON = 0x3A
_OPEN_ARRAY = 0x5B
_CLOSE_ARRAY = 0x5D
_OPEN_OBJECT = 0x7B
_CLOSE_OBJECT = 0x7D
_BOM = b"\xef\xbb\xbf"


def _fail(pos: int, end: int, message: str) -> NoReturn:
    """Raises the error for the byte at ``pos``; ``end`` is the input's length.

    At ``end`` the byte is the sentinel, and the input ended too early.
    """
    if pos >= end:
        raise JsonSyntaxError(end, "unexpected end of input")
    raise JsonSyntaxError(pos, message)


def _print(data: bytes, newlines: list[bytes], colon: bytes, sort: bool) -> bytes:
    """Validates and prints ``data``.

    ``newlines[level]`` is what goes between elements at ``level`` (a newline
    and indentation, or nothing for minify), and ``colon`` what goes between a
    key and its value.
    """
    if data.startswith(_BOM):
        # The general rule gives 0 too; this only gives a clearer message.
        raise JsonSyntaxError(0, "a byte order mark (U+FEFF) is not allowed")
    end = len(data)
    buf = data + b"\x00"
    out = bytearray()

    # Local names for the hot loop.
    whitespace_bytes = _WHITESPACE_BYTES
    whitespace = _WHITESPACE.match
    string_value = _STRING_VALUE.match
    number_value = _NUMBER_VALUE.match
    member_key = _MEMBER_KEY.match
    startswith = buf.startswith

    # One entry per open non-empty container, True for an object; depth is
    # its length.
    stack: list[bool] = []
    depth = 0
    # With sort-keys, one list per open object of its members so far, each a
    # list [start in out, end in out, key to compare by].
    members: list[list[list]] = []
    # Whether an object member's key comes before the next value.
    key_next = False

    pos = 0
    if buf[pos] in whitespace_bytes:
        pos = whitespace(buf, pos).end()
    while True:
        if key_next:
            key_next = False
            match = member_key(buf, pos)
            if match is None:
                _fail_member_key(buf, pos, end)
            key = match[1]
            if sort:
                raw = key[1:-1]
                members[-1].append([len(out), 0, decode_key(raw) if b"\\" in raw else raw])
            out += key
            out += colon
            pos = match.end()

        # A value must start at pos; it is printed, and the whitespace after
        # it skipped.
        byte = buf[pos]
        if byte == _QUOTE:
            match = string_value(buf, pos)
            if match is None:
                _fail_string(buf, pos, end)
            out += match[1]
            pos = match.end()
        elif byte == _OPEN_ARRAY or byte == _OPEN_OBJECT:
            if depth == MAX_DEPTH:
                raise JsonSyntaxError(pos, "nesting deeper than 256 arrays and objects")
            is_object = byte == _OPEN_OBJECT
            pos += 1
            if buf[pos] in whitespace_bytes:
                pos = whitespace(buf, pos).end()
            if buf[pos] != (_CLOSE_OBJECT if is_object else _CLOSE_ARRAY):
                stack.append(is_object)
                depth += 1
                out.append(byte)
                out += newlines[depth]
                if is_object:
                    if sort:
                        members.append([])
                    key_next = True
                continue
            out += b"{}" if is_object else b"[]"
            pos += 1
            if buf[pos] in whitespace_bytes:
                pos = whitespace(buf, pos).end()
        elif byte == _MINUS or 0x30 <= byte <= 0x39:
            match = number_value(buf, pos)
            if match is None:
                _fail_number(buf, pos, end)
            out += match[1]
            pos = match.end()
        elif byte == 0x74:  # t
            if not startswith(b"true", pos):
                _fail_literal(buf, pos, end, b"true")
            out += b"true"
            pos += 4
            if buf[pos] in whitespace_bytes:
                pos = whitespace(buf, pos).end()
        elif byte == 0x66:  # f
            if not startswith(b"false", pos):
                _fail_literal(buf, pos, end, b"false")
            out += b"false"
            pos += 5
            if buf[pos] in whitespace_bytes:
                pos = whitespace(buf, pos).end()
        elif byte == 0x6E:  # n
            if not startswith(b"null", pos):
                _fail_literal(buf, pos, end, b"null")
            out += b"null"
            pos += 4
            if buf[pos] in whitespace_bytes:
                pos = whitespace(buf, pos).end()
        else:
            _fail(pos, end, "expected a value")

        # A value is complete: close containers until one goes on.
        while True:
            if not depth:
                if pos < end:
                    raise JsonSyntaxError(pos, "unexpected content after the value")
                return bytes(out)
            byte = buf[pos]
            in_object = stack[-1]
            if byte == _COMMA:
                if sort and in_object:
                    members[-1][-1][1] = len(out)
                out.append(_COMMA)
                out += newlines[depth]
                pos += 1
                if buf[pos] in whitespace_bytes:
                    pos = whitespace(buf, pos).end()
                key_next = in_object
                break
            if in_object:
                if byte != _CLOSE_OBJECT:
                    _fail(pos, end, "expected ',' or '}'")
                if sort:
                    object_members = members.pop()
                    object_members[-1][1] = len(out)
                    _sort_members(out, object_members, b"," + newlines[depth])
            elif byte != _CLOSE_ARRAY:
                _fail(pos, end, "expected ',' or ']'")
            stack.pop()
            depth -= 1
            out += newlines[depth]
            out.append(byte)
            pos += 1
            if buf[pos] in whitespace_bytes:
                pos = whitespace(buf, pos).end()


def _sort_members(out: bytearray, object_members: list[list], separator: bytes) -> None:
    """Reorders the printed members of an object that is closing, by key.

    The members run from the first one's start to the end of ``out``,
    separated by ``separator``.
    Moving a member does not change its text: its indentation depends only
    on its depth.
    If the members are already in order, nothing is copied.
    """
    keys = [member[2] for member in object_members]
    if keys == sorted(keys):
        return
    # sorted is stable: members with equal keys keep their input order.
    order = sorted(range(len(keys)), key=keys.__getitem__)
    region_start = object_members[0][0]
    texts = [out[object_members[idx][0] : object_members[idx][1]] for idx in order]
    del out[region_start:]
    out += separator.join(texts)


# The slow paths: each finds the contract's error for a token that a fast
# path did not match.


def _fail_member_key(buf: bytes, pos: int, end: int) -> NoReturn:
    """Raises the error for an object member whose key, or the ``:`` after
    it, is not valid at ``pos``."""
    if buf[pos] != _QUOTE:
        _fail(pos, end, "expected a string key")
    pos = _scan_string(buf, pos, end)
    if buf[pos] in _WHITESPACE_BYTES:
        pos = _WHITESPACE.match(buf, pos).end()
    if buf[pos] == _COLON:
        raise AssertionError(f"the member at byte {pos} is valid, but its fast path did not match")
    _fail(pos, end, "expected ':'")


def _fail_string(buf: bytes, pos: int, end: int) -> NoReturn:
    """Raises the error for the invalid string whose quote is at ``pos``."""
    _scan_string(buf, pos, end)
    raise AssertionError(f"the string at byte {pos} is valid, but its fast path did not match")


def _fail_number(buf: bytes, pos: int, end: int) -> NoReturn:
    """Raises the error for the number at ``pos``, invalid or followed by a
    ``.``, ``e`` or ``E``."""
    pos = _scan_number(buf, pos, end)
    if buf[pos] not in b".eE":
        raise AssertionError(f"the number before byte {pos} is valid, but its fast path did not match")
    _fail(pos, end, "unexpected content after a number")


def _scan_string(buf: bytes, start: int, end: int) -> int:
    """Validates the string whose opening quote is at ``start``, byte by byte.

    Returns the offset after its closing quote, or raises the contract's error.
    """
    pos = start + 1
    plain_run = _PLAIN_RUN.match
    while True:
        match = plain_run(buf, pos)
        if match:
            pos = match.end()
        byte = buf[pos]
        if byte == _QUOTE:
            return pos + 1
        if byte != 0x5C:  # a backslash
            _fail(pos, end, "a control character in a string must be escaped")
        pos = _scan_escape(buf, pos, end)


def _scan_escape(buf: bytes, backslash: int, end: int) -> int:
    """Validates the escape at ``backslash``.

    Returns the offset after it (after both escapes of a surrogate pair), or
    raises the contract's error.
    """
    kind = buf[backslash + 1]
    if kind in _SIMPLE_ESCAPES:
        return backslash + 2
    if kind != 0x75:  # u
        _fail(backslash + 1, end, "invalid escape")
    unit = 0
    for digit_idx in range(4):
        at = backslash + 2 + digit_idx
        digit = _HEX_VALUE[buf[at]]
        if digit < 0:
            _fail(at, end, "invalid hex digit in a \\u escape")
        unit = unit << 4 | digit
        # Two digits D and C-F already make a low surrogate, which is unpaired
        # here: a low surrogate that follows a high one is read below, never
        # as an escape of its own.
        if digit_idx == 1 and 0xDC <= unit <= 0xDF:
            raise JsonSyntaxError(backslash, "a low surrogate escape without a high surrogate escape before it")
    if unit < 0xD800 or unit > 0xDBFF:
        return backslash + 6
    # The contract reports an unpaired high surrogate at its backslash, also
    # when the input ends before the six bytes of the low surrogate escape.
    if not _LOW_SURROGATE_ESCAPE.match(buf, backslash + 6):
        raise JsonSyntaxError(backslash, "a high surrogate escape not followed by a low surrogate escape")
    return backslash + 12


def _scan_number(buf: bytes, start: int, end: int) -> int:
    """Validates the number at ``start`` (a ``-`` or a digit), byte by byte.

    Returns the offset of the first byte after it, or raises the contract's
    error.
    A leading zero ends the integer part, so ``01`` returns after the ``0``
    and the caller fails at the ``1``, where it expects what follows a value.
    """
    pos = start
    if buf[pos] == _MINUS:
        pos += 1
    byte = buf[pos]
    if byte == 0x30:
        pos += 1
    elif 0x31 <= byte <= 0x39:
        pos = _skip_digits(buf, pos + 1)
    else:
        _fail(pos, end, "expected a digit")
    if buf[pos] == 0x2E:  # .
        pos = _required_digits(buf, pos + 1, end)
    if buf[pos] == 0x65 or buf[pos] == 0x45:  # e E
        pos += 1
        if buf[pos] == 0x2B or buf[pos] == _MINUS:
            pos += 1
        pos = _required_digits(buf, pos, end)
    return pos


def _required_digits(buf: bytes, pos: int, end: int) -> int:
    """Skips the one or more digits that must be at ``pos``."""
    if not 0x30 <= buf[pos] <= 0x39:
        _fail(pos, end, "expected a digit")
    return _skip_digits(buf, pos)


def _skip_digits(buf: bytes, pos: int) -> int:
    """The offset of the first byte at or after ``pos`` that is not a digit."""
    match = _DIGITS.match(buf, pos)
    return match.end() if match else pos


def _fail_literal(buf: bytes, start: int, end: int, word: bytes) -> NoReturn:
    """Raises the error for a literal at ``start`` that is not ``word``.

    Literals are checked byte by byte, so ``trUe`` fails at the ``U``.
    """
    for idx, expected in enumerate(word):
        if buf[start + idx] != expected:
            _fail(start + idx, end, "invalid literal")
    raise AssertionError(f"the literal at byte {start} is {word!r}, but its fast path did not match")
