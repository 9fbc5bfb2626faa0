"""Float helpers of the unit tests."""

import math
import struct


def f32_bits(x: float) -> int:
    """The bits of ``x`` as an f32 (``x`` must be one)."""
    return struct.unpack("<I", struct.pack("<f", x))[0]


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def is_f32(x: float) -> bool:
    """Whether ``x`` is exactly an f32 value (NaN counts)."""
    return math.isnan(x) or struct.unpack("<f", struct.pack("<f", x))[0] == x


def same_float(a: float, b: float) -> bool:
    """``a`` and ``b`` are the same value: both NaN, or equal with the same
    sign (so -0.0 differs from 0.0)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)


# Powers of two as exact floats.
def p2(n: int) -> float:
    return math.ldexp(1.0, n)


F32_MIN_SUBNORMAL = p2(-149)
F32_MAX = struct.unpack("<f", bytes.fromhex("ffff7f7f"))[0]
F64_MIN_SUBNORMAL = 5e-324
