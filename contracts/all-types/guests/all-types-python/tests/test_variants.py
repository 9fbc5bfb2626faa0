"""witness:all-types/variants."""

import math
import typing

import pytest

import app
from componentize_py_types import Err, Ok, Some
from helpers import F32_MIN_SUBNORMAL, is_f32, same_float
from wit_world.exports import types as wt

V = app.Variants()


def test_mirror():
    assert V.mirror(wt.Shape_Circle(1.5)) == wt.Shape_Circle(-1.5)
    assert same_float(V.mirror(wt.Shape_Circle(0.0)).value, -0.0)
    assert same_float(V.mirror(wt.Shape_Circle(-0.0)).value, 0.0)
    assert math.isnan(V.mirror(wt.Shape_Circle(math.nan)).value)
    assert V.mirror(wt.Shape_Rect(wt.Point(1, 2, "ab\u00e9"))) == wt.Shape_Rect(wt.Point(2, 1, "AB\u00e9"))
    result = V.mirror(wt.Shape_Empty())
    assert type(result) is wt.Shape_Empty
    assert V.mirror(wt.Shape_Named("x\U0001F600y")) == wt.Shape_Named("y\U0001F600x")


def test_next_color():
    assert V.next_color(wt.Color.RED) is wt.Color.GREEN
    assert V.next_color(wt.Color.GREEN) is wt.Color.BLUE
    assert V.next_color(wt.Color.BLUE) is wt.Color.RED


def test_big_has_300_cases_in_order():
    assert len(wt.Big) == 300
    assert [b.value for b in wt.Big] == list(range(300))


@pytest.mark.parametrize(
    ("b", "expected"),
    [
        (wt.Big.C0, wt.Big.C1),
        (wt.Big.C9, wt.Big.C10),
        (wt.Big.C254, wt.Big.C255),
        (wt.Big.C255, wt.Big.C256),
        (wt.Big.C256, wt.Big.C257),
        (wt.Big.C298, wt.Big.C299),
        (wt.Big.C299, wt.Big.C0),
    ],
)
def test_next_big(b, expected):
    assert V.next_big(b) is expected


def test_next_big_every_case():
    for b in wt.Big:
        assert V.next_big(b).name == f"C{(int(b.name[1:]) + 1) % 300}"


def perms(*names):
    value = wt.Perms(0)
    for name in names:
        value |= wt.Perms[name]
    return value


def test_invert():
    assert V.invert(wt.Perms(0)).value == 0x1FF
    assert V.invert(perms(*wt.Perms.__members__)).value == 0
    # The ninth flag, beyond the first byte, flips too.
    assert V.invert(perms("SETUID")) == perms("READ", "WRITE", "EXEC", "ADMIN", "OWNER", "GROUP", "OTHER", "STICKY")
    assert V.invert(perms("READ", "STICKY")) == perms("WRITE", "EXEC", "ADMIN", "OWNER", "GROUP", "OTHER", "SETUID")


FLAG_TYPES = [
    (wt.Flags1, 1),
    (wt.Flags8, 8),
    (wt.Perms, 9),
    (wt.Flags16, 16),
    (wt.Flags17, 17),
    (wt.Flags32, 32),
]


def test_flag_types_have_their_widths():
    for cls, width in FLAG_TYPES:
        assert len(cls.__members__) == width
        assert [m.value for m in cls.__members__.values()] == [1 << i for i in range(width)]


def test_complement_of_none_is_all():
    result = V.complement(*(cls(0) for cls, _ in FLAG_TYPES))
    assert type(result) is tuple
    assert [r.value for r in result] == [(1 << width) - 1 for _, width in FLAG_TYPES]
    assert [type(r) for r in result] == [cls for cls, _ in FLAG_TYPES]


def test_complement_of_all_is_none():
    result = V.complement(*(cls((1 << width) - 1) for cls, width in FLAG_TYPES))
    assert [r.value for r in result] == [0] * 6


def test_complement_of_a_pattern():
    # Alternate bits, and the last member alone.
    args = [cls(0x55555555 & ((1 << width) - 1)) for cls, width in FLAG_TYPES]
    result = V.complement(*args)
    assert [r.value for r in result] == [0xAAAAAAAA & ((1 << width) - 1) for _, width in FLAG_TYPES]
    args = [cls(1 << (width - 1)) for cls, width in FLAG_TYPES]
    result = V.complement(*args)
    assert [r.value for r in result] == [(1 << (width - 1)) - 1 for _, width in FLAG_TYPES]


def test_echo_flags():
    args = tuple(cls(0x12345678 & ((1 << width) - 1)) for cls, width in FLAG_TYPES)
    assert V.echo_flags(*args) == args


def test_peel():
    # option<option<u32>>: none, some(none), some(some(n)).
    assert V.peel(None) is None
    assert V.peel(Some(None)) == 0
    assert V.peel(Some(0)) == 1
    assert V.peel(Some(41)) == 42
    assert V.peel(Some(2**32 - 1)) == 0


def test_bump_options():
    assert V.bump_options([None, 0, 254, 255, None]) == [None, 1, 255, 0, None]
    assert V.bump_options([]) == []


def test_deepen():
    # option<option<string>> -> option<option<option<string>>>: every level
    # but the innermost wraps its `some` in Some.
    assert V.deepen(None) == Some(None)
    assert V.deepen(Some(None)) == Some(Some(None))
    assert V.deepen(Some("x")) == Some(Some("x"))
    assert V.deepen(Some("")) == Some(Some(""))
    assert V.deepen(Some(None)) != V.deepen(None)


def raised(function, *args):
    """The payload of the Err that ``function(*args)`` raises.  The runtime
    takes only an exception of exactly the class Err as the `err` case."""
    with pytest.raises(Err) as error:
        function(*args)
    assert type(error.value) is Err
    return error.value.value


def test_flip():
    assert V.flip(Ok(0)) == "0"
    assert V.flip(Ok(42)) == "42"
    assert V.flip(Ok(2**32 - 1)) == "4294967295"
    assert raised(V.flip, Err("")) == 0
    assert raised(V.flip, Err("abc")) == 3
    # Bytes of UTF-8, not characters: 1 + 2 + 3 + 4.
    assert raised(V.flip, Err("a\u00e9\u20ac\U0001F600")) == 10


def test_toggle():
    assert raised(V.toggle, Ok(None)) == "was ok"
    assert V.toggle(Err(None)) is None


def test_swap_ok():
    assert raised(V.swap_ok, Ok(0)) == 0
    assert raised(V.swap_ok, Ok(2**64 - 1)) == 2**64 - 1
    assert raised(V.swap_ok, Ok(2**53 + 1)) == 2**53 + 1
    assert V.swap_ok(Err(None)) is None


def test_swap_err():
    assert raised(V.swap_err, Ok(None)) is None
    assert V.swap_err(Err("s\U0001F600")) == "s\U0001F600"
    assert V.swap_err(Err("")) == ""


@pytest.mark.parametrize(
    ("s", "n"),
    [("0", 0), ("1", 1), ("255", 255), ("0000000000000000000255", 255), ("000", 0), ("099", 99)],
)
def test_parse_u8_ok(s, n):
    assert V.parse_u8(s) == n


@pytest.mark.parametrize(
    "s",
    ["", "256", "300", "1000", "+1", "-0", "-1", " 1", "1 ", "\uff11", "\u00b9", "\u0661", "0x1", "1e2", "one"],
)
def test_parse_u8_err(s):
    assert raised(V.parse_u8, s) is None


def test_next_step():
    assert V.next_step(wt.Step_Idle()) == wt.Step_Count(0)
    assert V.next_step(wt.Step_Count(7)) == wt.Step_Total(7)
    assert V.next_step(wt.Step_Count(2**32 - 1)) == wt.Step_Total(2**32 - 1)
    assert V.next_step(wt.Step_Total(2**32 - 1)) == wt.Step_Message("4294967295")
    assert V.next_step(wt.Step_Total(0)) == wt.Step_Message("0")
    assert V.next_step(wt.Step_Message("anything")) == wt.Step_Idle()


TRANSFORMS = [
    (wt.Payload_Nothing(), wt.Payload_Nothing()),
    (wt.Payload_Boolean(True), wt.Payload_Boolean(False)),
    (wt.Payload_Boolean(False), wt.Payload_Boolean(True)),
    (wt.Payload_Int8(127), wt.Payload_Int8(-128)),
    (wt.Payload_Int8(-1), wt.Payload_Int8(0)),
    (wt.Payload_Uint8(255), wt.Payload_Uint8(0)),
    (wt.Payload_Int16(32767), wt.Payload_Int16(-32768)),
    (wt.Payload_Uint16(65535), wt.Payload_Uint16(0)),
    (wt.Payload_Int32(2**31 - 1), wt.Payload_Int32(-(2**31))),
    (wt.Payload_Uint32(2**32 - 1), wt.Payload_Uint32(0)),
    (wt.Payload_Int64(2**63 - 1), wt.Payload_Int64(-(2**63))),
    (wt.Payload_Int64(2**53), wt.Payload_Int64(2**53 + 1)),
    (wt.Payload_Uint64(2**64 - 1), wt.Payload_Uint64(0)),
    (wt.Payload_Uint64(2**53), wt.Payload_Uint64(2**53 + 1)),
    (wt.Payload_Float32(3.0), wt.Payload_Float32(1.5)),
    (wt.Payload_Float32(3 * F32_MIN_SUBNORMAL), wt.Payload_Float32(2 * F32_MIN_SUBNORMAL)),
    (wt.Payload_Float64(3.0), wt.Payload_Float64(1.5)),
    (wt.Payload_Float64(3 * F32_MIN_SUBNORMAL), wt.Payload_Float64(1.5 * F32_MIN_SUBNORMAL)),
    (wt.Payload_Letter("\ud7ff"), wt.Payload_Letter("\ue000")),
    (wt.Payload_Letter("\U0010ffff"), wt.Payload_Letter("\x00")),
    (wt.Payload_Text("ab\U0001F600"), wt.Payload_Text("\U0001F600ba")),
    (wt.Payload_Bytes(b"\x01\x02\xff"), wt.Payload_Bytes(b"\xff\x02\x01")),
    (wt.Payload_Point(wt.Point(1, 2, "q\u00e9")), wt.Payload_Point(wt.Point(2, 1, "Q\u00e9"))),
    (wt.Payload_Color(wt.Color.BLUE), wt.Payload_Color(wt.Color.RED)),
    (wt.Payload_Perms(wt.Perms.SETUID), wt.Payload_Perms(wt.Perms(0xFF))),
    (wt.Payload_Maybe(None), wt.Payload_Maybe(None)),
    (wt.Payload_Maybe(2**32 - 1), wt.Payload_Maybe(0)),
    (wt.Payload_Maybe(0), wt.Payload_Maybe(1)),
    (wt.Payload_Outcome(Ok(0)), wt.Payload_Outcome(Err("0"))),
    (wt.Payload_Outcome(Ok(2**32 - 1)), wt.Payload_Outcome(Err("4294967295"))),
    (wt.Payload_Outcome(Err("\u00e9\U0001F600")), wt.Payload_Outcome(Ok(6))),
    (wt.Payload_Outcome(Err("")), wt.Payload_Outcome(Ok(0))),
    (wt.Payload_Pair((2**32 - 1, "ab")), wt.Payload_Pair((0, "ba"))),
    (wt.Payload_Shape(wt.Shape_Circle(2.0)), wt.Payload_Shape(wt.Shape_Circle(-2.0))),
    (wt.Payload_Shape(wt.Shape_Empty()), wt.Payload_Shape(wt.Shape_Empty())),
    (wt.Payload_Shape(wt.Shape_Named("xy")), wt.Payload_Shape(wt.Shape_Named("yx"))),
    (wt.Payload_Shape(wt.Shape_Rect(wt.Point(5, 6, "z"))), wt.Payload_Shape(wt.Shape_Rect(wt.Point(6, 5, "Z")))),
]


@pytest.mark.parametrize(("p", "expected"), TRANSFORMS)
def test_transform(p, expected):
    result = V.transform(p)
    assert type(result) is type(expected)
    assert result == expected
    # A result inside the variant is a value of exactly Ok or Err.
    if isinstance(expected, wt.Payload_Outcome):
        assert type(result.value) is type(expected.value)
    if isinstance(expected, wt.Payload_Pair):
        assert type(result.value) is tuple


def test_transform_covers_every_case():
    cases = set(typing.get_args(wt.Payload))
    assert len(cases) == 22
    assert {type(p) for p, _ in TRANSFORMS} == cases


def test_transform_floats():
    assert is_f32(V.transform(wt.Payload_Float32(F32_MIN_SUBNORMAL)).value)
    assert same_float(V.transform(wt.Payload_Float32(-F32_MIN_SUBNORMAL)).value, -0.0)
    assert same_float(V.transform(wt.Payload_Float64(-0.0)).value, -0.0)
    assert math.isnan(V.transform(wt.Payload_Float32(math.nan)).value)
    assert math.isnan(V.transform(wt.Payload_Float64(math.nan)).value)


def test_echo_payload():
    for p, _ in TRANSFORMS:
        assert V.echo_payload(p) is p
