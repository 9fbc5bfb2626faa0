"""Decoding object keys for sort-keys.

The contract orders keys by their decoded value as Unicode scalar values, so
``"\\u0061"`` and ``"a"`` compare equal.
The UTF-8 encoding of a sequence of scalar values sorts bytewise exactly in
code-point order, and Python compares ``bytes`` bytewise, so a decoded key is
kept as UTF-8 ``bytes``.
Only keys with escapes need decoding: the printer compares the others as
they were written.

A surrogate pair escape decodes to the one scalar it stands for.
Nothing here makes a ``str`` holding a lone surrogate: ``chr`` only ever sees
a scalar value, because the printer has already checked that surrogate
escapes come in high-low pairs.
"""

from __future__ import annotations

import re

# A surrogate pair, any other \u escape, or a simple escape.  The printer has
# validated the key, so a high surrogate escape is always followed by a low
# one.
_ESCAPE = re.compile(rb"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([0-9a-fA-F]{4})|u([0-9a-fA-F]{4})|(.))", re.DOTALL)

_SIMPLE = {
    b'"': b'"',
    b"\\": b"\\",
    b"/": b"/",
    b"b": b"\b",
    b"f": b"\f",
    b"n": b"\n",
    b"r": b"\r",
    b"t": b"\t",
}


def _decode_escape(match: re.Match[bytes]) -> bytes:
    high, low, unit, simple = match.groups()
    if simple is not None:
        return _SIMPLE[simple]
    if high is not None:
        scalar = 0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00)
    else:
        scalar = int(unit, 16)
    if 0xD800 <= scalar <= 0xDFFF:
        # Unreachable after validation; never hand chr a surrogate.
        raise AssertionError(f"unpaired surrogate escape in a validated key: {match.group(0)!r}")
    return chr(scalar).encode("utf-8")


def decode_key(raw: bytes) -> bytes:
    """The UTF-8 of the decoded value of ``raw``.

    ``raw`` is the text between a key's quotes, already validated: every
    escape is complete, and surrogate escapes come in high-low pairs.
    """
    return _ESCAPE.sub(_decode_escape, raw)
