"""witness:all-types/scalars."""

import math

import pytest

import app
from helpers import F32_MAX, F32_MIN_SUBNORMAL, F64_MIN_SUBNORMAL, is_f32, p2, same_float

S = app.Scalars()

S64_MAX = 2**63 - 1
S64_MIN = -(2**63)
U64_MAX = 2**64 - 1


def test_negate():
    assert S.negate(True) is False
    assert S.negate(False) is True


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 0, 0, 0), (1, 1, 1, 1)),
        ((-1, -1, -1, -1), (0, 0, 0, 0)),
        ((127, 32767, 2**31 - 1, S64_MAX), (-128, -32768, -(2**31), S64_MIN)),
        ((-128, -32768, -(2**31), S64_MIN), (-127, -32767, -(2**31) + 1, S64_MIN + 1)),
        ((126, 32766, 2**31 - 2, S64_MAX - 1), (127, 32767, 2**31 - 1, S64_MAX)),
        # Above 2^53, where a float would lose the +1.
        ((0, 0, 0, 2**53), (1, 1, 1, 2**53 + 1)),
        ((0, 0, 0, -(2**53) - 2), (1, 1, 1, -(2**53) - 1)),
    ],
)
def test_bump_signed(args, expected):
    assert S.bump_signed(*args) == expected


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((0, 0, 0, 0), (1, 1, 1, 1)),
        ((255, 65535, 2**32 - 1, U64_MAX), (0, 0, 0, 0)),
        ((254, 65534, 2**32 - 2, U64_MAX - 1), (255, 65535, 2**32 - 1, U64_MAX)),
        ((127, 32767, 2**31 - 1, S64_MAX), (128, 32768, 2**31, 2**63)),
        ((0, 0, 0, 2**53), (1, 1, 1, 2**53 + 1)),
        ((0, 0, 0, 2**64 - 2**11), (1, 1, 1, 2**64 - 2**11 + 1)),
    ],
)
def test_bump_unsigned(args, expected):
    result = S.bump_unsigned(*args)
    assert result == expected
    assert all(type(n) is int for n in result)


@pytest.mark.parametrize(
    ("x", "y", "hx", "hy"),
    [
        (1.0, 1.0, 0.5, 0.5),
        (-5.0, -5.0, -2.5, -2.5),
        (0.0, 0.0, 0.0, 0.0),
        (-0.0, -0.0, -0.0, -0.0),
        (math.inf, -math.inf, math.inf, -math.inf),
        (F32_MAX, 1.7976931348623157e308, F32_MAX / 2, 8.988465674311579e307),
        # Halving the smallest subnormal rounds to zero (a tie, to even),
        # keeping the sign, in each width.
        (F32_MIN_SUBNORMAL, F64_MIN_SUBNORMAL, 0.0, 0.0),
        (-F32_MIN_SUBNORMAL, -F64_MIN_SUBNORMAL, -0.0, -0.0),
        # 3 * min / 2 = 1.5 * min: to even, 2 * min, in each width.
        (3 * F32_MIN_SUBNORMAL, 3 * F64_MIN_SUBNORMAL, 2 * F32_MIN_SUBNORMAL, 2 * F64_MIN_SUBNORMAL),
        # In f64 the f32 subnormal halves exactly; only f32 rounds.
        (F32_MIN_SUBNORMAL, F32_MIN_SUBNORMAL, 0.0, p2(-150)),
    ],
)
def test_halve(x, y, hx, hy):
    rx, ry = S.halve(x, y)
    assert same_float(rx, hx)
    assert same_float(ry, hy)
    assert is_f32(rx)


def test_halve_nan():
    rx, ry = S.halve(math.nan, -math.nan)
    assert math.isnan(rx) and math.isnan(ry)


def test_halve_f32_results_are_f32_values():
    # Every f32 with few mantissa bits at the bottom of the range.
    for k in range(1, 2000):
        rx, _ = S.halve(k * F32_MIN_SUBNORMAL, 0.0)
        assert is_f32(rx)
        # k/2 rounded half to even, in units of the smallest subnormal.
        assert rx == round(k / 2) * F32_MIN_SUBNORMAL


@pytest.mark.parametrize(
    ("c", "code", "following"),
    [
        ("\x00", 0, "\x01"),
        ("A", 65, "B"),
        ("\ud7ff", 0xD7FF, "\ue000"),
        ("\ue000", 0xE000, "\ue001"),
        ("\uffff", 0xFFFF, "\U00010000"),
        ("\U0001F600", 0x1F600, "\U0001F601"),
        ("\U0010ffff", 0x10FFFF, "\x00"),
    ],
)
def test_next_char(c, code, following):
    assert S.next_char(c) == (code, following)


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("", ""),
        ("a", "a"),
        ("abc", "cba"),
        ("a\U0001F600b", "b\U0001F600a"),
        ("\U0001F1FA\U0001F1F8", "\U0001F1F8\U0001F1FA"),
        ("e\u0301x", "x\u0301e"),
        ("a\ufeff", "\ufeffa"),
        ("\x00z", "z\x00"),
    ],
)
def test_reverse_string(s, expected):
    assert S.reverse_string(s) == expected


def test_echo_scalars():
    args = (True, -128, 255, -32768, 65535, -(2**31), 2**32 - 1, S64_MIN, U64_MAX,
            -0.0, math.inf, "\U0010ffff", "x\U0001F600\x00")
    result = S.echo_scalars(*args)
    assert type(result) is tuple
    assert result == args
    assert same_float(result[9], -0.0)


def test_echo_wide():
    args = (255, 65535, 2**32 - 1, U64_MAX, -128, -32768, -(2**31), S64_MIN,
            F32_MIN_SUBNORMAL, -0.0, "\ue000", False, "", b"\x00\xff", None)
    result = S.echo_wide(*args)
    assert type(result) is tuple
    assert result == args
    assert same_float(result[9], -0.0)
    assert S.echo_wide(*args[:-1], 0)[-1] == 0
