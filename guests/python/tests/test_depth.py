"""Depth: 256 nested arrays and objects are accepted, 257 are not, and
nothing recurses on the way.
"""

from __future__ import annotations

import sys

import pytest

import jsonfmt


def nested(depth: int, opener: str, closer: str, inner: str = "") -> str:
    return opener * depth + inner + closer * depth


@pytest.fixture
def shallow_recursion_limit():
    """A recursion limit far below 256, so a recursive formatter fails."""
    old_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(60)
    try:
        yield
    finally:
        sys.setrecursionlimit(old_limit)


@pytest.mark.usefixtures("shallow_recursion_limit")
@pytest.mark.parametrize(
    "text",
    [
        nested(256, "[", "]"),
        nested(256, "[", "]", "1"),
        nested(255, "[", "]", "{}"),
        nested(256, '{"a":', "}", "1"),
        nested(128, '[{"k":', "}]", "0"),
    ],
    ids=["256 arrays", "256 arrays around a number", "255 arrays around {}", "256 objects", "mixed"],
)
def test_depth_256_is_accepted_without_recursion(text: str) -> None:
    assert jsonfmt.minify(text) == text
    formatted = jsonfmt.format(text, 16, True)
    assert jsonfmt.minify(formatted) == text
    # The deepest line is indented by 256 levels.
    assert max(len(line) - len(line.lstrip(" ")) for line in formatted.split("\n")) <= 256 * 16


def test_depth_256_layout() -> None:
    formatted = jsonfmt.format(nested(256, "[", "]", "0"), 1)
    lines = formatted.split("\n")
    assert lines[255] == " " * 255 + "["
    assert lines[256] == " " * 256 + "0"
    assert lines[257] == " " * 255 + "]"


@pytest.mark.usefixtures("shallow_recursion_limit")
@pytest.mark.parametrize(
    ("text", "offset"),
    [
        (nested(257, "[", "]"), 256),
        (nested(257, '{"a":', "}", "1"), 1280),
        ("[" * 100000, 256),
    ],
)
def test_depth_257_fails_at_its_bracket(text: str, offset: int) -> None:
    with pytest.raises(jsonfmt.JsonSyntaxError) as caught:
        jsonfmt.format(text, 2, True)
    assert caught.value.offset == offset


def test_depth_counts_only_open_containers() -> None:
    # Many closed containers side by side never add up.
    text = "[" + ",".join([nested(256 - 1, "[", "]")] * 3) + "]"
    assert jsonfmt.minify(text) == text
