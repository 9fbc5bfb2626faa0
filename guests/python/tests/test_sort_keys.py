"""``sort-keys``: decoded keys in code-point order, stable, at every depth.

Each case is data: an input and the exact minified form of the sorted output
(``minify`` of ``format``'s output, so the layout is tested elsewhere).
"""

from __future__ import annotations

import pytest

import jsonfmt

# (input, the sorted output minified, what the case shows)
SORT_CASES = [
    ('{"b":1,"a":2}', '{"a":2,"b":1}', "two keys"),
    ('{"a":1,"a":2,"A":3}', '{"A":3,"a":1,"a":2}', "duplicates keep their order"),
    ('{"\\u0061":1,"a":2,"\\u0061":3}', '{"\\u0061":1,"a":2,"\\u0061":3}', "two spellings of a key are equal"),
    ('{"a":1,"\\u0061":2}', '{"a":1,"\\u0061":2}', "stable the other way round"),
    ('{"b":1,"\\u0061":2}', '{"\\u0061":2,"b":1}', "an escaped key sorts by its value"),
    ('{"\\u007a":1,"b":2}', '{"b":2,"\\u007a":1}', "\\u007a sorts after b, though \\ < b"),
    ('{"/":1,"\\/":2,".":3}', '{".":3,"/":1,"\\/":2}', "\\/ is /"),
    ('{"ab":1,"a":2,"":3}', '{"":3,"a":2,"ab":1}', "a prefix sorts first, and the empty key before all"),
    ('{"\\ud83d\\ude00":1,"\uff61":2}', '{"\uff61":2,"\\ud83d\\ude00":1}', "U+FF61 before U+1F600, escaped"),
    ('{"😀":1,"\\uFF61":2}', '{"\\uFF61":2,"😀":1}', "U+FF61 before U+1F600, raw"),
    ('{"\\uD83D\\uDE00":1,"😀":2}', '{"\\uD83D\\uDE00":1,"😀":2}', "a pair escape equals the raw scalar"),
    ('{"\\uffff":1,"\\ud800\\udc00":2}', '{"\\uffff":1,"\\ud800\\udc00":2}', "U+FFFF before U+10000"),
    ('{"é":1,"z":2,"\\u00e8":3}', '{"z":2,"\\u00e8":3,"é":1}', "non-ASCII after ASCII"),
    ('{"\\n":1,"\\t":2," ":3}', '{"\\t":2,"\\n":1," ":3}', "control escapes by value"),
    ('{"\\"":1,"!":2,"#":3}', '{"!":2,"\\"":1,"#":3}', "an escaped quote by value"),
    ('{"\\\\":1,"]":2,"[":3}', '{"[":3,"\\\\":1,"]":2}', "an escaped backslash by value"),
    ('{"\\b":1,"\\f":2,"\\r":3}', '{"\\b":1,"\\f":2,"\\r":3}', "\\b < \\f < \\r"),
    ('{"a\\u0000":1,"a":2}', '{"a":2,"a\\u0000":1}', "U+0000 after a prefix"),
    ('{"\\u0080":1,"\\u007f":2}', '{"\\u007f":2,"\\u0080":1}', "the one-to-two-byte boundary"),
    # Every depth, objects inside arrays included; arrays keep their order.
    ('[{"b":1,"a":2},[3,1,2]]', '[{"a":2,"b":1},[3,1,2]]', "objects inside arrays"),
    (
        '{"z":{"y":[{"d":1,"c":2}],"x":0},"a":{}}',
        '{"a":{},"z":{"x":0,"y":[{"c":2,"d":1}]}}',
        "nested objects",
    ),
    ('{"b":{"d":1,"c":2},"a":[1,{"f":1,"e":2}]}', '{"a":[1,{"e":2,"f":1}],"b":{"c":2,"d":1}}', "whole members move"),
]


@pytest.mark.parametrize(("text", "expected", "why"), SORT_CASES, ids=[case[2] for case in SORT_CASES])
def test_sort_keys(text: str, expected: str, why: str) -> None:
    for indent in (0, 2, 16):
        assert jsonfmt.minify(jsonfmt.format(text, indent, True)) == expected
    # minify never sorts.
    assert jsonfmt.minify(text) == text


def test_sorted_members_keep_their_layout() -> None:
    text = '{"b":{"y":[1,{}],"x":null},"a":[]}'
    assert jsonfmt.format(text, 2, True) == (
        '{\n  "a": [],\n  "b": {\n    "x": null,\n    "y": [\n      1,\n      {}\n    ]\n  }\n}'
    )


def test_many_members_sort_stably() -> None:
    keys = [f"k{idx % 37:02d}" for idx in range(500)]
    text = "{" + ",".join(f'"{key}":{idx}' for idx, key in enumerate(keys)) + "}"
    expected_pairs = sorted(enumerate(keys), key=lambda pair: pair[1])
    expected = "{" + ",".join(f'"{key}":{idx}' for idx, key in expected_pairs) + "}"
    assert jsonfmt.minify(jsonfmt.format(text, 0, True)) == expected


def test_surrogate_keys_never_make_lone_surrogates() -> None:
    # A pair decodes to one scalar; the output is the input's escapes.
    text = '{"\\uDBFF\\uDFFF":1,"\\uD800\\uDC00":2,"\\uFFFF":3}'
    output = jsonfmt.format(text, 0, True)
    assert output == '{\n"\\uFFFF": 3,\n"\\uD800\\uDC00": 2,\n"\\uDBFF\\uDFFF": 1\n}'
    output.encode("utf-8")
