"""Generated documents, checked against expectations that do not come from jsonfmt.

Valid documents are generated as trees of raw lexemes; the tree renders the
input (with random whitespace) and the exact expected outputs, and
sort-keys order comes from decoding each key with Python's ``json``, which is
independent of jsonfmt.
Mutated documents check that jsonfmt accepts exactly what ``json`` accepts
once the contract's restrictions are added (no NaN or Infinity, no unpaired
surrogate escape, no BOM, depth at most 256), and that every error offset is
consistent with the prefixes of the input.

The seeds are fixed, so a failure repeats; the case index is in the test id.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from typing import Union

import pytest

import jsonfmt

N_VALID_CASES = 300
N_MUTATED_CASES = 1500


@dataclass
class Scalar:
    """A string, number or literal, as its exact lexeme."""

    lexeme: str


@dataclass
class Container:
    """An array (``keys`` is None) or an object (a key lexeme per member)."""

    values: list["Node"]
    keys: Union[list[str], None] = None
    # Whitespace before each key, each ':', each value, each ',' and the
    # closer, chosen once so that the input is one fixed text.
    spaces: list[str] = field(default_factory=list)


Node = Union[Scalar, Container]

WHITESPACE = " \t\n\r"
# Characters a raw string may hold, from every UTF-8 length.
RAW_CHARACTERS = "aZ09 !#~\x7fé\u00ff\u0100\u07ff\u0800\u2028\ufeff\uffff\ue000\U00010000\U0001f600\U0010ffff"
KEY_POOL = ["a", "b", "", "ab", "é", "\uff61", "😀", "A", "/", "\\/", "\\u0061", "\\uD83D\\uDE00", "\\n", "\\u00e9"]


def random_whitespace(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return ""
    return "".join(rng.choice(WHITESPACE) for _ in range(rng.randint(1, 3)))


def random_hex(rng: random.Random, value: int) -> str:
    return "".join(rng.choice((digit.lower(), digit.upper())) for digit in f"{value:04X}")


def random_string(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(0, 6)):
        choice = rng.random()
        if choice < 0.5:
            parts.append(rng.choice(RAW_CHARACTERS))
        elif choice < 0.7:
            parts.append("\\" + rng.choice('"\\/bfnrt'))
        elif choice < 0.9:
            scalar = rng.choice([0, 0x1F, 0x41, 0x7F, 0x80, 0xE9, 0xD7FF, 0xE000, 0xFF61, 0xFFFF])
            parts.append("\\u" + random_hex(rng, scalar))
        else:
            scalar = rng.choice([0x10000, 0x1F600, 0x10FFFF])
            high = 0xD800 + ((scalar - 0x10000) >> 10)
            low = 0xDC00 + ((scalar - 0x10000) & 0x3FF)
            parts.append("\\u" + random_hex(rng, high) + "\\u" + random_hex(rng, low))
    return '"' + "".join(parts) + '"'


def random_number(rng: random.Random) -> str:
    text = rng.choice(["", "-"])
    text += rng.choice(["0", str(rng.randint(1, 9)), str(rng.randint(1, 10**30))])
    if rng.random() < 0.3:
        text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.3:
        text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randint(0, 500)).zfill(rng.randint(1, 3))
    return text


def random_node(rng: random.Random, depth: int) -> Node:
    choice = rng.random()
    if depth < 5 and choice < 0.35:
        n_values = rng.randint(0, 5)
        values = [random_node(rng, depth + 1) for _ in range(n_values)]
        keys = None
        if rng.random() < 0.5:
            keys = [
                '"' + rng.choice(KEY_POOL) + '"' if rng.random() < 0.7 else random_string(rng) for _ in range(n_values)
            ]
        spaces = [random_whitespace(rng) for _ in range(4 * n_values + 2)]
        return Container(values, keys, spaces)
    if choice < 0.6:
        return Scalar(random_string(rng))
    if choice < 0.9:
        return Scalar(random_number(rng))
    return Scalar(rng.choice(["true", "false", "null"]))


def render_input(node: Node) -> str:
    if isinstance(node, Scalar):
        return node.lexeme
    opener, closer = ("[", "]") if node.keys is None else ("{", "}")
    spaces = iter(node.spaces)
    parts = [opener]
    for idx, value in enumerate(node.values):
        if idx > 0:
            parts += [next(spaces), ","]
        if node.keys is not None:
            parts += [next(spaces), node.keys[idx], next(spaces), ":"]
        parts += [next(spaces), render_input(value)]
    parts += [next(spaces, ""), closer]
    return "".join(parts)


def decoded_key(lexeme: str) -> str:
    """The key's value, decoded by Python's json (not by jsonfmt)."""
    return json.loads(lexeme)


def render_expected(node: Node, indent: Union[int, None], sort_keys: bool, depth: int = 0) -> str:
    """The contract's layout; ``indent`` None is minify."""
    if isinstance(node, Scalar):
        return node.lexeme
    opener, closer = ("[", "]") if node.keys is None else ("{", "}")
    if not node.values:
        return opener + closer
    colon = ":" if indent is None else ": "
    if node.keys is None:
        items = [render_expected(value, indent, sort_keys, depth + 1) for value in node.values]
    else:
        members = list(zip(node.keys, node.values))
        if sort_keys:
            # sorted is stable; str order is code-point order.
            members.sort(key=lambda member: decoded_key(member[0]))
        items = [key + colon + render_expected(value, indent, sort_keys, depth + 1) for key, value in members]
    if indent is None:
        return opener + ",".join(items) + closer
    inner = "\n" + " " * ((depth + 1) * indent)
    return opener + inner + ("," + inner).join(items) + "\n" + " " * (depth * indent) + closer


def valid_case(case_idx: int) -> tuple[Node, str]:
    rng = random.Random(f"valid-{case_idx}")
    node = random_node(rng, 0)
    return node, random_whitespace(rng) + render_input(node) + random_whitespace(rng)


@pytest.mark.parametrize("case_idx", range(N_VALID_CASES))
def test_generated_documents(case_idx: int) -> None:
    node, text = valid_case(case_idx)
    assert jsonfmt.minify(text) == render_expected(node, None, False)
    for indent in (0, 2, 7):
        for sort_keys in (False, True):
            assert jsonfmt.format(text, indent, sort_keys) == render_expected(node, indent, sort_keys)


class _Object(list):
    """An object, as ``json`` decodes it here: a list of pairs."""


def _reject_constant(name: str):
    raise ValueError(f"{name} is not JSON")


def contract_accepts(text: str) -> bool:
    """Whether ``json`` accepts text, with the contract's restrictions added."""
    try:
        value = json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=str,
            parse_float=str,
            object_pairs_hook=_Object,
        )
    except (ValueError, RecursionError):
        return False
    # Depth and unpaired surrogates, without recursion.
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, _Object):
            if depth + 1 > jsonfmt.MAX_DEPTH:
                return False
            for key, member in item:
                pending += [(key, depth + 1), (member, depth + 1)]
        elif isinstance(item, list):
            if depth + 1 > jsonfmt.MAX_DEPTH:
                return False
            pending += [(element, depth + 1) for element in item]
        elif isinstance(item, str) and re.search("[\ud800-\udfff]", item):
            return False
    return True


# What a mutation may insert: structure, number and escape characters, the
# bytes of the contract's special cases, and whitespace of both kinds.
MUTATION_CHARACTERS = list('{}[],:"\\0123456789-+.eEtrufalsnuDdCcFf8bx ') + [
    "\t",
    "\n",
    "\x00",
    "\x0c",
    "\x1f",
    "é",
    "\ufeff",
    "\u00a0",
    "😀",
    "\\u",
    "\\uD800",
    "\\uDC00",
    "NaN",
    "Infinity",
]


def mutated_case(case_idx: int) -> str:
    rng = random.Random(f"mutated-{case_idx}")
    _, text = valid_case(case_idx)
    for _ in range(rng.randint(1, 2)):
        at = rng.randint(0, len(text))
        kind = rng.random()
        if kind < 0.4:
            text = text[:at] + rng.choice(MUTATION_CHARACTERS) + text[at:]
        elif kind < 0.7:
            text = text[:at] + text[at + 1 :]
        elif kind < 0.9:
            text = text[:at] + rng.choice(MUTATION_CHARACTERS) + text[at + 1 :]
        else:
            text = text[:at]
    return text


SURROGATE_MESSAGE = "surrogate"


def outcome(text: str) -> Union[str, jsonfmt.JsonSyntaxError]:
    try:
        return jsonfmt.minify(text)
    except jsonfmt.JsonSyntaxError as error:
        return error


@pytest.mark.parametrize("case_idx", range(N_MUTATED_CASES))
def test_mutated_documents(case_idx: int) -> None:
    text = mutated_case(case_idx)
    result = outcome(text)
    assert isinstance(result, str) == contract_accepts(text), (text, result)
    if isinstance(result, str):
        # Accepted: format agrees, and formatting is idempotent.
        assert jsonfmt.minify(jsonfmt.format(text, 3, True)) == jsonfmt.minify(jsonfmt.format(result, 0, True))
        return
    data = text.encode("utf-8")
    offset = result.offset
    assert 0 <= offset <= len(data)
    if SURROGATE_MESSAGE in str(result):
        # Relocated to a backslash that starts a \u escape.
        assert data[offset : offset + 2] == b"\\u"
        return
    # Every shorter prefix up to the offset is a valid prefix: it is either
    # accepted, or it ends too early (or its end cuts a surrogate pair, which
    # the contract reports at the high surrogate's backslash).
    for cut in range(offset + 1):
        prefix = data[:cut]
        try:
            prefix.decode("utf-8")
        except UnicodeDecodeError:
            continue
        try:
            jsonfmt.minify_bytes(prefix)
        except jsonfmt.JsonSyntaxError as error:
            assert error.offset == cut or SURROGATE_MESSAGE in str(error), (text, cut, str(error))
