"""Accepted input, verbatim tokens, and the layouts of ``format`` and ``minify``.

Each case is data: an input and the exact expected output.
"""

from __future__ import annotations

import pytest

import jsonfmt

CONTRACT_EXAMPLE = '{"a":[1,{}],"b":{"c":null}}'

# (input, indent, expected format output)
FORMAT_CASES = [
    (CONTRACT_EXAMPLE, 2, '{\n  "a": [\n    1,\n    {}\n  ],\n  "b": {\n    "c": null\n  }\n}'),
    (CONTRACT_EXAMPLE, 0, '{\n"a": [\n1,\n{}\n],\n"b": {\n"c": null\n}\n}'),
    ("[1,2]", 4, "[\n    1,\n    2\n]"),
    ("[[1]]", 16, "[\n" + " " * 16 + "[\n" + " " * 32 + "1\n" + " " * 16 + "]\n]"),
    # Empty containers, whatever whitespace they had inside them.
    ("[ ]", 2, "[]"),
    ("{ \t\r\n}", 2, "{}"),
    ("[[],{}]", 2, "[\n  [],\n  {}\n]"),
    ('{"a":{},"b":[]}', 2, '{\n  "a": {},\n  "b": []\n}'),
    # Top-level scalars print as themselves.
    ("1", 2, "1"),
    ("  -0.0e-0  ", 2, "-0.0e-0"),
    ('"x y"', 2, '"x y"'),
    ("true", 2, "true"),
    ("false", 0, "false"),
    ("null", 16, "null"),
    # Input whitespace is never copied outside strings.
    (' \r\n[ 1 ,\t"a b" ]\n', 2, '[\n  1,\n  "a b"\n]'),
    ('{ "k" :\n[ ] }', 2, '{\n  "k": []\n}'),
]

# (input, expected minify output)
MINIFY_CASES = [
    ('{ "b" : [ 1 , { } ] , "a" : "x y" }', '{"b":[1,{}],"a":"x y"}'),
    (CONTRACT_EXAMPLE, CONTRACT_EXAMPLE),
    ("\n\t 1 \r\n", "1"),
    ("[ [ ] , { } ]", "[[],{}]"),
    ('{"z":1,"a":2}', '{"z":1,"a":2}'),
    ('"  spaced  "', '"  spaced  "'),
]

# Tokens that must be copied byte for byte.
VERBATIM_TOKENS = [
    "1.0",
    "-0",
    "1E+2",
    "1e400",
    "-1e-400",
    "1" * 100,
    "0.05",
    "1e05",
    "1E-007",
    "123456789012345678901234567890.123456789e-1234567",
    '"\\u00e9"',
    '"\\u00E9"',
    '"\\uaBcD"',
    '"\\/"',
    '"é"',
    '"\\ud83d\\ude00"',
    '"\\uD83D\\uDE00"',
    '"😀"',
    '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
    '"\x7f"',
    '"\u2028\u2029"',
    '"\uffff"',
    '"\ufeff"',
    '"\U0010ffff"',
    '""',
    "true",
    "false",
    "null",
]


@pytest.mark.parametrize(("text", "indent", "expected"), FORMAT_CASES)
def test_format(text: str, indent: int, expected: str) -> None:
    assert jsonfmt.format(text, indent) == expected
    # Sort-keys changes nothing where keys are already in order.
    assert jsonfmt.format(text, indent, True) == expected


@pytest.mark.parametrize(("text", "expected"), MINIFY_CASES)
def test_minify(text: str, expected: str) -> None:
    assert jsonfmt.minify(text) == expected


def test_default_options_are_indent_2_without_sorting() -> None:
    text = '{"b":1,"a":[2]}'
    assert jsonfmt.format(text) == jsonfmt.format(text, 2, False) == '{\n  "b": 1,\n  "a": [\n    2\n  ]\n}'


@pytest.mark.parametrize("token", VERBATIM_TOKENS)
def test_tokens_are_copied_verbatim(token: str) -> None:
    assert jsonfmt.minify(token) == token
    assert jsonfmt.format(token) == token
    assert jsonfmt.minify(f" [ {token} ] ") == f"[{token}]"
    assert jsonfmt.format(f"[{token}]", 1) == f"[\n {token}\n]"
    if token.startswith('"'):
        assert jsonfmt.minify(f"{{ {token} : {token} }}") == f"{{{token}:{token}}}"
        assert jsonfmt.format(f"{{{token}:0}}", 2, True) == f"{{\n  {token}: 0\n}}"


def test_duplicate_keys_are_kept_in_order() -> None:
    text = '{"a":1,"a":2,"a":3}'
    assert jsonfmt.minify(text) == text
    assert jsonfmt.format(text, 0) == '{\n"a": 1,\n"a": 2,\n"a": 3\n}'


def test_newlines_are_lf_only() -> None:
    output = jsonfmt.format("[\r\n1\r\n]")
    assert "\r" not in output
    assert output == "[\n  1\n]"


def test_no_leading_or_trailing_whitespace() -> None:
    output = jsonfmt.format("  [1]  ")
    assert output == output.strip()
    assert not output.endswith("\n")


@pytest.mark.parametrize(
    "text",
    [
        # Every scalar value but '"', '\' and U+0000-U+001F may appear raw.
        '"\x20\x21\x23\x5b\x5d\x7e\x7f"',
        '"\u0080\u07ff\u0800\ud7ff\ue000\ufffd\ufffe\uffff"',
        '"\U00010000\U0010ffff"',
        '"a\ufeffb"',
        # Hex digits of either case, mixed within one escape.
        '"\\uAbCd\\uaBcD"',
        # Escaped surrogate pairs at both ends of their ranges.
        '"\\ud800\\udc00\\uDBFF\\uDFFF"',
        # Each simple escape.
        '"\\"\\\\\\/\\b\\f\\n\\r\\t"',
        # Exponents and fractions may start with zeros.
        "[0.05,1e05,1E-007,0e0,-0.0]",
    ],
)
def test_accepted_inputs(text: str) -> None:
    assert jsonfmt.minify(text) == text


def test_bytes_api_matches_str_api() -> None:
    text = '{"é":[1,"😀"]}'
    assert jsonfmt.format_bytes(text.encode(), 3, True) == jsonfmt.format(text, 3, True).encode()
    assert jsonfmt.minify_bytes(text.encode()) == jsonfmt.minify(text).encode()
