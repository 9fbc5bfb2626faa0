#!/usr/bin/env python3
"""Generate the large documents of the conformance corpus.

The output is committed next to this script; run it again only to change the
documents, then review the diff and the snapshots.  The output depends on
nothing but this file: the pseudo-random numbers come from a fixed-seed
generator written out below, not from Python's `random`, whose algorithms may
change between versions.

Each invalid document is built so that its error offset is known by
construction; the script prints the offsets, and `errors.toml` records them.

Usage: python3 contracts/json-tools/corpus/generate_large.py
"""

import re
from pathlib import Path

CORPUS_DIR = Path(__file__).resolve().parent

# A complete high surrogate escape, then at most an incomplete low one, at the
# end of the text.
HIGH_SURROGATE_AT_END = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(\\(u[0-9a-fA-F]{0,3})?)?$")


class SplitMix64:
    """A tiny deterministic pseudo-random generator (SplitMix64)."""

    MASK = (1 << 64) - 1

    def __init__(self, seed):
        self.state = seed & self.MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & self.MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & self.MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & self.MASK
        return z ^ (z >> 31)

    def below(self, bound):
        """Returns an integer in [0, bound); the tiny modulo bias does not matter here."""
        return self.next_u64() % bound

    def choice(self, items):
        return items[self.below(len(items))]

    def shuffle(self, items):
        for index in range(len(items) - 1, 0, -1):
            other = self.below(index + 1)
            items[index], items[other] = items[other], items[index]


# Number lexemes in every form the grammar allows; they must survive verbatim.
NUMBER_FORMS = [
    "0", "-0", "7", "-7", "42", "1.0", "-0.0", "3.25", "0.5e-10", "1e400", "-1e400",
    "1E+2", "1e+2", "1E2", "1e-2", "6.02214076e23", "1e05", "2E-007", "0e0",
    "18446744073709551616", "-9223372036854775809", "9007199254740993",
    "123456789012345678901234567890", "0.30000000000000004", "5e-324",
]

# String bodies (between the quotes) with escapes, raw non-ASCII and surrogate pairs.
STRING_BODIES = [
    "plain text", "", "caf\u00e9", "\u65e5\u672c\u8a9e", "\U0001F600 raw emoji",
    r"tab\tnewline\nquote\"backslash\\", r"\u00e9\u00E9", r"\uD83D\uDE00",
    r"\ud834\udd1e clef", r"solidus \/ and /", r"\b\f\r", r"\u0000\u001F",
    "mixed \u00e9 and \\u00e9", "\u2028 line separator", "{not: [a, structure]}",
    r"\uFEFF escaped bom", "\ufeff raw bom",
]

KEY_NAMES = [
    "id", "name", "value", "tags", "nested", "a", "b", "\u00e9t\u00e9", r"\u0061",
    "\uff61", "\U0001F600", r"\uD83D\uDE00", "", "key with spaces", r"esc\"aped",
]

WHITESPACE = [" ", "\t", "\n", "\r", "\r\n", "  ", "\n    "]


def number(rng):
    return rng.choice(NUMBER_FORMS)


def string(rng):
    return '"' + rng.choice(STRING_BODIES) + '"'


def value(rng, depth, max_depth):
    """Returns the compact text of a random value nested at most max_depth deep."""
    roll = rng.below(10)
    if depth >= max_depth or roll < 4:
        scalar_roll = rng.below(5)
        if scalar_roll == 0:
            return rng.choice(["true", "false", "null"])
        if scalar_roll in (1, 2):
            return number(rng)
        return string(rng)
    if roll < 7:
        count = rng.below(6)
        return "[" + ",".join(value(rng, depth + 1, max_depth) for _ in range(count)) + "]"
    count = rng.below(6)
    members = []
    for _ in range(count):
        key = rng.choice(KEY_NAMES)
        members.append('"' + key + '":' + value(rng, depth + 1, max_depth))
    # A repeated key now and then: duplicates must be kept, in order.
    if members and rng.below(4) == 0:
        members.append(members[0])
    return "{" + ",".join(members) + "}"


def sprinkle_whitespace(rng, compact):
    """Inserts random whitespace between the tokens of a compact document."""
    out = []
    in_string = False
    escaped = False
    for char in compact:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char in "[]{},:" and rng.below(2) == 0:
            out.append(rng.choice(WHITESPACE))
        out.append(char)
        if char == '"':
            in_string = True
    return "".join(out)


def mixed_document(rng, target_size):
    records = []
    size = 2
    index = 0
    while size < target_size:
        record = value(rng, 0, 6)
        text = '"record-%d":%s' % (index, record)
        records.append(text)
        size += len(text.encode("utf-8")) + 1
        index += 1
    return "{" + ",".join(records) + "}"


def wide_array_of_numbers(rng, count):
    return "[" + ",".join(number(rng) for _ in range(count)) + "]"


def long_string(rng, target_size):
    pieces = []
    size = 2
    while size < target_size:
        piece = rng.choice(STRING_BODIES)
        pieces.append(piece)
        size += len(piece.encode("utf-8"))
    return '"' + "".join(pieces) + '"'


def big_integer(rng, digits):
    text = str(1 + rng.below(9)) + "".join(str(rng.below(10)) for _ in range(digits - 1))
    return "[" + text + ",-" + text[: digits // 2] + "," + text[:40] + "e-" + text[:3] + "]"


def many_unsorted_keys(rng, count):
    members = []
    for index in range(count):
        # Keys that collide, differ only by spelling, or sort differently in
        # UTF-16 order and in code-point order.
        kind = index % 6
        if kind == 0:
            key = "k%04d" % rng.below(count)
        elif kind == 1:
            key = "\uff61%d" % rng.below(50)
        elif kind == 2:
            key = "\U0001F600%d" % rng.below(50)
        elif kind == 3:
            key = r"\uD83D\uDE00%d" % rng.below(50)
        elif kind == 4:
            key = r"\u006b%04d" % rng.below(count)
        else:
            key = "\u00e9%d" % rng.below(50)
        members.append('"%s":%d' % (key, index))
    rng.shuffle(members)
    return "{" + ",".join(members) + "}"


def pretty_printed(rng, target_size):
    """A document already laid out with tabs and CRLF, as an editor might save it."""
    compact = mixed_document(rng, target_size * 2 // 3)
    out = []
    depth = 0
    in_string = False
    escaped = False
    for char in compact:
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            continue
        if char in "[{":
            depth += 1
            out.append(char + "\r\n" + "\t" * depth)
        elif char in "]}":
            depth -= 1
            out.append("\r\n" + "\t" * depth + char)
        elif char == ",":
            out.append(",\r\n" + "\t" * depth)
        elif char == ":":
            out.append(": ")
        else:
            out.append(char)
            if char == '"':
                in_string = True
    return "".join(out) + "\r\n"


def write(relative_path, text):
    data = text.encode("utf-8")
    path = CORPUS_DIR / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def main():
    rng = SplitMix64(0x5EED_0001)
    mixed = mixed_document(rng, 30_000)
    write("large/mixed-document.json", mixed)
    write("large/mixed-document-with-whitespace.json", sprinkle_whitespace(rng, mixed_document(rng, 24_000)))
    wide = wide_array_of_numbers(rng, 2_000)
    write("large/wide-array-of-numbers.json", wide)
    long_text = long_string(rng, 16_000)
    write("large/long-string.json", long_text)
    write("large/big-integer.json", big_integer(rng, 10_000))
    write("large/many-unsorted-keys.json", many_unsorted_keys(rng, 1_200))
    write("large/pretty-printed-crlf-tabs.json", pretty_printed(rng, 20_000))

    offsets = {}

    # Cut the mixed document at a character boundary: a valid prefix that
    # ends too early, so the offset is the length.  A cut just after a high
    # surrogate escape would move the offset to that escape's backslash
    # (contracts/json-tools/contract.md), so the cut must not land there.
    cut = mixed.encode("utf-8")[:20_000].decode("utf-8", errors="ignore")
    assert not HIGH_SURROGATE_AT_END.search(cut), "the cut lands inside a surrogate pair"
    data = write("invalid/large/truncated.json", cut)
    offsets["invalid/large/truncated.json"] = len(data)

    # A trailing comma before the final bracket: the bracket is the error.
    data = write("invalid/large/trailing-comma.json", wide[:-1] + ",]")
    offsets["invalid/large/trailing-comma.json"] = len(data) - 1

    # A raw tab inside the last string of a long string document.
    data = write("invalid/large/raw-tab-in-string.json", long_text[:-1] + "\t" + '"')
    offsets["invalid/large/raw-tab-in-string.json"] = len(data) - 2

    # A lone low surrogate escape appended to a long string.
    data = write("invalid/large/lone-low-surrogate.json", long_text[:-1] + r"\uDE00" + '"')
    offsets["invalid/large/lone-low-surrogate.json"] = len(data) - 7

    for path in sorted(CORPUS_DIR.glob("large/*.json")):
        print("%-60s %6d bytes" % (path.relative_to(CORPUS_DIR), path.stat().st_size))
    for relative_path, offset in sorted(offsets.items()):
        print("%-60s error at byte %d" % (relative_path, offset))


if __name__ == "__main__":
    main()
