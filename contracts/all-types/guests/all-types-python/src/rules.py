"""The contract's rules on plain Python values, with no WebAssembly dependency.

Python's ``int`` is unbounded and its ``float`` is an IEEE 754 double, so the
contract's fixed-width arithmetic is done here by hand: every integer result
is wrapped to its WIT width, and every ``f32`` result is rounded to the
nearest ``f32`` (ties to even).  componentize-py lowers a Python ``int`` that
does not fit its WIT type by trapping (PyO3's ``extract`` fails and the
runtime unwraps it), so an unwrapped ``255 + 1`` for a ``u8`` would trap.
"""

from __future__ import annotations

import struct
from enum import Flag
from typing import TypeVar

F = TypeVar("F", bound=Flag)


def wrap_unsigned(n: int, bits: int) -> int:
    """``n`` modulo ``2**bits``: the value of a ``u<bits>`` after wrapping."""
    return n & ((1 << bits) - 1)


def wrap_signed(n: int, bits: int) -> int:
    """``n`` wrapped into the two's-complement range of an ``s<bits>``."""
    half = 1 << (bits - 1)
    return ((n + half) & ((1 << bits) - 1)) - half


def u8(n: int) -> int:
    return wrap_unsigned(n, 8)


def u16(n: int) -> int:
    return wrap_unsigned(n, 16)


def u32(n: int) -> int:
    return wrap_unsigned(n, 32)


def u64(n: int) -> int:
    return wrap_unsigned(n, 64)


def s8(n: int) -> int:
    return wrap_signed(n, 8)


def s16(n: int) -> int:
    return wrap_signed(n, 16)


def s32(n: int) -> int:
    return wrap_signed(n, 32)


def s64(n: int) -> int:
    return wrap_signed(n, 64)


def to_f32(x: float) -> float:
    """``x`` rounded to the nearest ``f32`` (ties to even), as a Python float.

    ``struct`` converts with C's ``(float)x``, which rounds to nearest; NaN,
    the infinities and the sign of zero are kept.  Only a finite ``x`` beyond
    the ``f32`` range raises ``OverflowError``, and no rule of the contract
    makes one from an ``f32`` argument.
    """
    return struct.unpack("<f", struct.pack("<f", x))[0]


def halve_f32(x: float) -> float:
    """``x / 2`` in ``f32`` arithmetic.

    ``x`` is an ``f32`` value, so ``x / 2`` in ``f64`` is exact (the ``f64``
    exponent range covers half the smallest ``f32`` subnormal); rounding it
    once to ``f32`` is then the correctly rounded ``f32`` quotient.
    """
    return to_f32(x / 2.0)


def halve_f64(x: float) -> float:
    """``x / 2`` in ``f64`` arithmetic: Python's own."""
    return x / 2.0


def next_scalar(c: str) -> str:
    """The Unicode scalar value after ``c``: U+D7FF is followed by U+E000
    (the surrogates are not scalar values) and U+10FFFF by U+0000."""
    code = ord(c)
    if code == 0xD7FF:
        return "\ue000"
    if code == 0x10FFFF:
        return "\x00"
    return chr(code + 1)


def reverse(s: str) -> str:
    """The scalar values of ``s`` in reverse order.

    A Python ``str`` is a sequence of code points, and a string lifted from
    the component model holds no surrogates, so slicing reverses exactly the
    scalar values (an astral character is one element, not two).
    """
    return s[::-1]


# Only a-z to A-Z: str.upper() would also change 'é', 'ß' (to "SS"), 'ı', ...
_ASCII_UPPER = {code: code - 32 for code in range(ord("a"), ord("z") + 1)}


def ascii_upper(s: str) -> str:
    """``s`` with the ASCII letters a-z in upper case, nothing else changed."""
    return s.translate(_ASCII_UPPER)


def utf8_len(s: str) -> int:
    """The length of ``s`` in UTF-8 bytes, as a ``u32``."""
    return u32(len(s.encode("utf-8")))


def parse_u8(s: str) -> int | None:
    """The value of ``s`` when it is a decimal number from 0 to 255 written
    with ASCII digits only (at least one, no sign, leading zeros allowed),
    else ``None``.

    ``int(s)`` would not do: it accepts a sign, surrounding whitespace,
    underscores and every Unicode decimal digit (``int("１")`` is 1), and
    ``str.isdigit`` is true for superscripts.
    """
    if not s:
        return None
    value = 0
    for ch in s:
        if not "0" <= ch <= "9":
            return None
        value = value * 10 + (ord(ch) - ord("0"))
        if value > 255:
            return None
    return value


def all_flags(cls: type[F]) -> int:
    """The bits of every member of the flags class ``cls``."""
    mask = 0
    for member in cls.__members__.values():
        mask |= member.value
    return mask


def complement(flags: F) -> F:
    """Every flag of ``flags``' type flipped: the complement within exactly
    that type's members.

    ``~flags`` gives the same in CPython's ``enum``; the explicit mask
    states the rule instead of relying on how ``Flag.__invert__`` treats
    bits beyond the members, which has changed between Python versions.
    """
    cls = type(flags)
    return cls(all_flags(cls) & ~flags.value)
