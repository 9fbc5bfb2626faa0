"""Errors: the options check and every offset rule of contracts/json-tools/contract.md.

Each case is data: an input and the offset N that ``at byte N: `` must give.
The tables follow the contract's "How the rule applies" clarifications and
its two example tables, in order.
"""

from __future__ import annotations

import re

import pytest

import jsonfmt

DEPTH_257_ARRAYS = "[" * 257 + "]" * 257
DEPTH_257_OBJECTS = '{"a":' * 257 + "1" + "}" * 257

# (input, N, what the case shows)
OFFSET_CASES = [
    # Offsets count bytes.
    ("é", 0, "a multi-byte character alone"),
    ('["é",é]', 6, "the first byte of a multi-byte character"),
    ('["日本",x]', 10, "three-byte characters before the error"),
    ('["😀",x]', 8, "a four-byte character before the error"),
    # A character that cannot appear there.
    ("[1 2]", 3, "a value where ',' or ']' must be"),
    ('{"a" 1}', 5, "a value where ':' must be"),
    ("[}", 1, "the wrong closing bracket"),
    ('{"a":1]', 6, "']' closing an object"),
    ("[1}", 2, "'}' closing an array"),
    ('"a\tb"', 2, "a raw tab inside a string"),
    ("{1:2}", 1, "a key that is not a string"),
    ("{'a':1}", 1, "a single-quoted key"),
    ("['a']", 1, "a single-quoted string"),
    ("[1,,2]", 3, "two commas"),
    ("[,1]", 1, "a leading comma"),
    ('{"a"::1}', 5, "two colons"),
    ("/* c */ 1", 0, "a comment"),
    # A control character inside a string.
    ('"a\n"', 2, "a raw LF"),
    ('"\x00"', 1, "a raw NUL"),
    ('"\x1f"', 1, "a raw U+001F"),
    ('"a\rb"', 2, "a raw CR"),
    # A bad escape.
    ('"\\x"', 2, "\\x"),
    ('"\\U0041"', 2, "\\U"),
    ("\"\\'\"", 2, "\\'"),
    ('"\\a"', 2, "\\a"),
    ('"\\0"', 2, "\\0"),
    ('"\\ "', 2, "a backslash and a space"),
    ('"\\\t"', 2, "a backslash and a raw tab"),
    # A \u escape with a non-hex digit.
    ('"\\u12G4"', 5, "the first non-hex digit"),
    ('"\\uGGGG"', 3, "the first of four non-hex digits"),
    ('"\\u12"', 5, "the closing quote as a non-hex digit"),
    ('"\\u 123"', 3, "a space as a hex digit"),
    ('"\\u00é9"', 5, "a non-ASCII character as a hex digit"),
    # Leading zeros.
    ("01", 1, "a digit after a leading 0"),
    ("-01", 2, "a digit after -0"),
    ("00", 1, "two zeros"),
    ("[01]", 2, "a leading zero inside an array"),
    ('{"a":01}', 6, "a leading zero as a member value"),
    ("-00.5", 2, "a digit after -0 before a fraction"),
    # A number missing digits.
    ("-", 1, "'-' at the end"),
    ("1.", 2, "'.' at the end"),
    ("1e", 2, "'e' at the end"),
    ("1E", 2, "'E' at the end"),
    ("1e+", 3, "'e+' at the end"),
    ("1e-", 3, "'e-' at the end"),
    ("-a", 1, "'-' then a letter"),
    ("1.e5", 2, "'.' then 'e'"),
    ("[1.]", 3, "'.' then ']'"),
    ("-Infinity", 1, "-Infinity"),
    ("1e+a", 3, "'e+' then a letter"),
    ("1.5e", 4, "a fraction, then 'e' at the end"),
    ("0.", 2, "'0.' at the end"),
    ("- 1", 1, "'-' then a space"),
    ("[1e]", 3, "'e' then ']'"),
    # A number's first byte.
    (".5", 0, "a leading '.'"),
    ("+1", 0, "a leading '+'"),
    ("[.5]", 1, "a leading '.' inside an array"),
    # Literals.
    ("tru", 3, "a cut-off true"),
    ("trUe", 2, "a wrong byte in true"),
    ("nan", 1, "n could start null"),
    ("NaN", 0, "NaN"),
    ("Infinity", 0, "Infinity"),
    ("True", 0, "Python's True"),
    ("None", 0, "Python's None"),
    ("fals", 4, "a cut-off false"),
    ("falsy", 4, "a wrong last byte in false"),
    ("nul", 3, "a cut-off null"),
    ("nulll", 4, "null and one l too many"),
    ("[t]", 2, "a one-byte true"),
    # Trailing content.
    ('"" x', 3, "a letter after a string and a space"),
    ("1 2", 2, "two numbers"),
    ("{}}", 2, "a second closing brace"),
    ("truex", 4, "a letter after true"),
    ("1x", 1, "a letter after a number"),
    ("0x1F", 1, "hex notation"),
    ("[] []", 3, "two arrays"),
    ("1\x00", 1, "a NUL after the value"),
    ("1.5.3", 3, "a second '.'"),
    ("1e5e3", 3, "a second 'e'"),
    ("-0-", 2, "'-' after -0"),
    # Trailing commas.
    ("[1,]", 3, "a trailing comma in an array"),
    ('{"a":1,}', 7, "a trailing comma in an object"),
    ("[1, ]", 4, "a trailing comma and a space"),
    # Empty and whitespace-only input.
    ("", 0, "empty input"),
    ("   ", 3, "three spaces"),
    (" \t\r\n", 4, "every kind of whitespace"),
    # Truncated documents.
    ("[1,", 3, "after a comma"),
    ('{"a":', 5, "after a colon"),
    ('"abc', 4, "inside a string"),
    ('"\\u00', 5, "inside a \\u escape"),
    ("[", 1, "after an opening bracket"),
    ("{", 1, "after an opening brace"),
    ('{"a"', 4, "after a key"),
    ('{"a":1', 6, "after a member"),
    ('"\\', 2, "after a backslash"),
    ("[1", 2, "after a number in an array"),
    ("[ ", 2, "whitespace after an opening bracket"),
    ("-1.5e+", 6, "after an exponent sign"),
    # A lone low surrogate escape.
    ('"\\uDC00"', 1, "a lone low surrogate"),
    ('"\\uDCZZ"', 1, "already a lone low surrogate at C"),
    ('"\\uDC', 1, "a cut-off lone low surrogate"),
    ('"a\\udfff"', 2, "a lower-case lone low surrogate"),
    ('"\\uDC00\\uD800"', 1, "a low surrogate before a high one"),
    ('"\\udE00"', 1, "mixed case"),
    ('"\\uD83D\\uDE00\\uDE00"', 13, "a low surrogate after a complete pair"),
    ('["x","\\uDFFF"]', 6, "inside an array"),
    ('{"\\uDC00":1}', 2, "in a key"),
    # A high surrogate escape not followed by a low one.
    ('"\\uD800"', 1, "at the end of the string"),
    ('"\\uD800x"', 1, "followed by a character"),
    ('"\\uD800\\n"', 1, "followed by another escape"),
    ('"\\uD800\\u0041"', 1, "followed by a non-surrogate \\u escape"),
    ('"\\uD800\\uD800"', 1, "followed by a high surrogate"),
    ('"\\uD800\\uE000"', 1, "followed by E000"),
    ('"\\uD800\\uDCZZ"', 1, "followed by a bad low surrogate"),
    ('"\\uDBFF\\uDBFF\\uDC00"', 1, "two highs, then a low"),
    ('"ab\\ud800\\u00"', 3, "after other text"),
    ('"\\uD800\\uDC0"', 1, "followed by a short low surrogate"),
    ('"\\uD800\\U DC00"', 1, "followed by \\U"),
    # The input ends after a high surrogate escape.
    ('"\\uD800', 1, "nothing after it"),
    ('"\\uD800\\', 1, "a backslash after it"),
    ('"\\uD800\\u', 1, "\\u after it"),
    ('"\\uD800\\uDC', 1, "half a low surrogate after it"),
    ('"\\uD800\\uDC0', 1, "three digits of a low surrogate after it"),
    ('"\\uD80', 6, "inside the high surrogate escape"),
    ('"\\uD8', 5, "after two digits of a high surrogate escape"),
    # Depth 257.
    (DEPTH_257_ARRAYS, 256, "257 arrays"),
    ("[" * 257, 256, "257 open arrays, nothing after"),
    ("[" * 256, 256, "256 open arrays end too early"),
    (DEPTH_257_OBJECTS, 1280, "257 objects"),
    ("[" * 256 + "{}" + "]" * 256, 256, "an empty object at depth 257"),
    ("[" * 256 + "[]" + "]" * 256, 256, "an empty array at depth 257"),
    ('[{"a":' * 128 + "[" + "]" + "}]" * 128, 768, "mixed arrays and objects"),
    # BOM.
    ("\ufeff{}", 0, "a BOM then a document"),
    ("\ufeff", 0, "a BOM alone"),
    ("\ufeff x", 0, "a BOM then anything"),
    (" \ufeff1", 1, "U+FEFF after a space"),
    ("[\ufeff]", 1, "U+FEFF where a value must be"),
    # Whitespace outside the four allowed characters.
    ("\x0c1", 0, "a form feed"),
    ("\x0b1", 0, "a vertical tab"),
    ("\u00a01", 0, "U+00A0"),
    ("\u20281", 0, "U+2028"),
    ("[1,\u3000 2]", 3, "U+3000 inside an array"),
    ("1\x0c", 1, "a form feed after the value"),
]

# The contract's two example tables, verbatim.
EXAMPLE_TABLES = [
    ("[1,]", 3),
    ("01", 1),
    ("1.", 2),
    ('"\\x"', 2),
    ('"" x', 3),
    ("", 0),
    ("-01", 2),
    ("-", 1),
    ("-a", 1),
    ("1.e5", 2),
    ('"\\u12G4"', 5),
    ('"\\uDC00"', 1),
    ('"\\uDCZZ"', 1),
    ('"\\uD800"', 1),
    ('"\\uD800\\u0041"', 1),
    ('"\\uD800', 1),
    ('"\\uD80', 6),
    (DEPTH_257_ARRAYS, 256),
    ("\ufeff{}", 0),
    (" \ufeff{}", 1),
]

ERROR_MESSAGE = re.compile(r"at byte (0|[1-9][0-9]*): .")


def error_of(call, *args) -> jsonfmt.JsonSyntaxError:
    with pytest.raises(jsonfmt.JsonSyntaxError) as caught:
        call(*args)
    message = str(caught.value)
    assert ERROR_MESSAGE.match(message), message
    assert message.startswith(f"at byte {caught.value.offset}: ")
    return caught.value


def check_offset(text: str, offset: int) -> None:
    """Every entry point reports ``offset``, whatever the options."""
    assert error_of(jsonfmt.minify, text).offset == offset
    assert error_of(jsonfmt.format, text).offset == offset
    assert error_of(jsonfmt.format, text, 0, True).offset == offset
    assert error_of(jsonfmt.format, text, 16, False).offset == offset
    assert error_of(jsonfmt.minify_bytes, text.encode()).offset == offset


@pytest.mark.parametrize(("text", "offset", "why"), OFFSET_CASES, ids=[case[2] for case in OFFSET_CASES])
def test_offset_rules(text: str, offset: int, why: str) -> None:
    check_offset(text, offset)


@pytest.mark.parametrize(("text", "offset"), EXAMPLE_TABLES)
def test_contract_example_tables(text: str, offset: int) -> None:
    check_offset(text, offset)


def test_end_of_input_says_so() -> None:
    assert str(error_of(jsonfmt.minify, "[1,")).startswith("at byte 3: unexpected end of input")


@pytest.mark.parametrize("indent", [17, 18, 100, 2**32 - 1])
@pytest.mark.parametrize("text", ["[1]", "", "[1,", "\ufeff", '"\\uDC00"'])
def test_options_are_checked_before_the_input(indent: int, text: str) -> None:
    for sort_keys in (False, True):
        with pytest.raises(jsonfmt.OptionsError) as caught:
            jsonfmt.format(text, indent, sort_keys)
        assert str(caught.value).startswith("invalid options: ")


def test_options_error_is_not_a_syntax_error() -> None:
    with pytest.raises(jsonfmt.Error) as caught:
        jsonfmt.format("[1]", 17)
    assert not isinstance(caught.value, jsonfmt.JsonSyntaxError)


@pytest.mark.parametrize("indent", [0, 1, 15, 16])
def test_indents_up_to_16_are_accepted(indent: int) -> None:
    assert jsonfmt.format("[1]", indent) == "[\n" + " " * indent + "1\n]"
