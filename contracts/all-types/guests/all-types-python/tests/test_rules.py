"""src/rules.py: the fixed-width arithmetic and string rules."""

import math

import pytest

import rules
from helpers import F32_MAX, F32_MIN_SUBNORMAL, f32_bits, p2, same_float


@pytest.mark.parametrize(
    ("wrap", "n", "expected"),
    [
        (rules.u8, 256, 0),
        (rules.u8, -1, 255),
        (rules.u16, 65536, 0),
        (rules.u32, 2**32, 0),
        (rules.u32, -1, 2**32 - 1),
        (rules.u64, 2**64, 0),
        (rules.u64, 2**64 + 5, 5),
        (rules.u64, -1, 2**64 - 1),
        (rules.s8, 128, -128),
        (rules.s8, -129, 127),
        (rules.s16, 32768, -32768),
        (rules.s32, 2**31, -(2**31)),
        (rules.s32, -(2**31) - 1, 2**31 - 1),
        (rules.s64, 2**63, -(2**63)),
        (rules.s64, -(2**63) - 1, 2**63 - 1),
        (rules.s64, 2**64 + 7, 7),
    ],
)
def test_wrapping(wrap, n, expected):
    assert wrap(n) == expected


@pytest.mark.parametrize("bits", [8, 16, 32, 64])
def test_wrapping_keeps_values_in_range(bits):
    for n in (0, 1, -1, 2 ** (bits - 1) - 1, -(2 ** (bits - 1))):
        assert rules.wrap_signed(n, bits) == n
    for n in (0, 1, 2**bits - 1):
        assert rules.wrap_unsigned(n, bits) == n


def test_to_f32_rounds_to_nearest_even():
    # 1 + 2^-24 is halfway between 1 and the next f32 (1 + 2^-23): to even, 1.
    assert rules.to_f32(1.0 + p2(-24)) == 1.0
    # 1 + 3 * 2^-24 is halfway between 1 + 2^-23 and 1 + 2^-22: to even.
    assert rules.to_f32(1.0 + 3 * p2(-24)) == 1.0 + p2(-22)
    # Just above halfway rounds up.
    assert rules.to_f32(1.0 + p2(-24) + p2(-40)) == 1.0 + p2(-23)
    assert rules.to_f32(0.1) != 0.1
    assert f32_bits(rules.to_f32(0.1)) == 0x3DCCCCCD


def test_to_f32_keeps_specials():
    assert math.isnan(rules.to_f32(math.nan))
    assert rules.to_f32(math.inf) == math.inf
    assert rules.to_f32(-math.inf) == -math.inf
    assert same_float(rules.to_f32(-0.0), -0.0)
    assert rules.to_f32(F32_MAX) == F32_MAX


@pytest.mark.parametrize(
    ("x", "half"),
    [
        (1.0, 0.5),
        (-3.0, -1.5),
        (F32_MAX, F32_MAX / 2),
        # Half the smallest subnormal is a tie between 0 and it: to even, 0.
        (F32_MIN_SUBNORMAL, 0.0),
        (-F32_MIN_SUBNORMAL, -0.0),
        # 1.5, 2.5 and 3.5 times the smallest subnormal: to even.
        (3 * F32_MIN_SUBNORMAL, 2 * F32_MIN_SUBNORMAL),
        (5 * F32_MIN_SUBNORMAL, 2 * F32_MIN_SUBNORMAL),
        (7 * F32_MIN_SUBNORMAL, 4 * F32_MIN_SUBNORMAL),
        # The smallest normal halves exactly into the subnormals.
        (p2(-126), p2(-127)),
        (0.0, 0.0),
        (-0.0, -0.0),
        (math.inf, math.inf),
        (-math.inf, -math.inf),
    ],
)
def test_halve_f32(x, half):
    assert same_float(rules.halve_f32(x), half)


def test_halve_f32_nan():
    assert math.isnan(rules.halve_f32(math.nan))


@pytest.mark.parametrize(
    ("c", "expected"),
    [
        ("\x00", "\x01"),
        ("a", "b"),
        ("\x7f", "\x80"),
        ("\ud7fe", "\ud7ff"),
        ("\ud7ff", "\ue000"),
        ("\uffff", "\U00010000"),
        ("\U0010fffe", "\U0010ffff"),
        ("\U0010ffff", "\x00"),
    ],
)
def test_next_scalar(c, expected):
    assert rules.next_scalar(c) == expected


def test_next_scalar_never_gives_a_surrogate():
    for code in range(0xD000, 0xE100):
        if 0xD800 <= code <= 0xDFFF:
            continue
        assert not 0xD800 <= ord(rules.next_scalar(chr(code))) <= 0xDFFF


def test_reverse_keeps_astral_characters_whole():
    assert rules.reverse("a\U0001F600b") == "b\U0001F600a"
    assert rules.reverse("\U0010ffff\U00010000") == "\U00010000\U0010ffff"
    # Scalar values, not grapheme clusters: the combining accent moves.
    assert rules.reverse("e\u0301") == "\u0301e"
    assert rules.reverse("") == ""


def test_ascii_upper_changes_a_to_z_only():
    assert rules.ascii_upper("abcxyz ABC 019 {`@[") == "ABCXYZ ABC 019 {`@["
    assert rules.ascii_upper("é ß ı ǆ ﬁ ａ ÿ") == "é ß ı ǆ ﬁ ａ ÿ"
    assert rules.ascii_upper("straße") == "STRAßE"


def test_utf8_len():
    assert rules.utf8_len("") == 0
    assert rules.utf8_len("a") == 1
    assert rules.utf8_len("é") == 2
    assert rules.utf8_len("\u20ac") == 3
    assert rules.utf8_len("\U0001F600") == 4


@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("0", 0),
        ("00", 0),
        ("7", 7),
        ("007", 7),
        ("255", 255),
        ("0000000000000000000255", 255),
        ("0000000000000000000000000000000000000000", 0),
        ("", None),
        ("256", None),
        ("1000", None),
        ("99999999999999999999999", None),
        ("+1", None),
        ("-0", None),
        ("-1", None),
        (" 1", None),
        ("1 ", None),
        ("1\n", None),
        ("1_0", None),
        ("0x1", None),
        ("1.0", None),
        ("\uff11", None),  # FULLWIDTH DIGIT ONE
        ("\u00b2", None),  # SUPERSCRIPT TWO
        ("\u0663", None),  # ARABIC-INDIC DIGIT THREE
        ("1\u0663", None),
        ("\U0001D7CF", None),  # MATHEMATICAL BOLD DIGIT ONE
    ],
)
def test_parse_u8(s, expected):
    assert rules.parse_u8(s) == expected


def test_parse_u8_every_value():
    for n in range(256):
        assert rules.parse_u8(str(n)) == n
        assert rules.parse_u8(f"{n:05d}") == n
    for n in range(256, 2000):
        assert rules.parse_u8(str(n)) is None
