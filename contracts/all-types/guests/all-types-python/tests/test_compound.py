"""witness:all-types/compound."""

import math

import app
from helpers import F32_MIN_SUBNORMAL, is_f32, same_float
from wit_world.exports.types import Point, Segment, Single

C = app.Compound()


def test_reverse_bytes():
    assert C.reverse_bytes(b"") == b""
    result = C.reverse_bytes(b"\x00\x01\x80\xff")
    assert result == b"\xff\x80\x01\x00"
    # componentize-py lowers a list<u8> only from bytes.
    assert type(result) is bytes


def test_negate_all():
    assert C.negate_all([]) == []
    assert C.negate_all([0, 1, -1, 2**31 - 1, -(2**31)]) == [0, -1, 1, -(2**31) + 1, -(2**31)]


def test_bump_lists():
    # list<s8> arrives as bytes of two's-complement bytes: 127, -1, -128, 0.
    a = bytes([0x7F, 0xFF, 0x80, 0x00])
    b = [0, 65535, 65534]
    c = [0, -1, 2**63 - 1, -(2**63), 2**53]
    d = [0, 2**64 - 1, 2**63, 2**53]
    e = [1.0, -0.0, F32_MIN_SUBNORMAL, 3 * F32_MIN_SUBNORMAL, math.inf]
    f = [1.0, -0.0, 5e-324, -math.inf]
    ra, rb, rc, rd, re, rf = C.bump_lists(a, b, c, d, e, f)
    # -128, 0, -127, 1 in two's complement.
    assert type(ra) is bytes
    assert ra == bytes([0x80, 0x00, 0x81, 0x01])
    assert rb == [1, 0, 65535]
    assert rc == [1, 0, -(2**63), -(2**63) + 1, 2**53 + 1]
    assert rd == [1, 0, 2**63 + 1, 2**53 + 1]
    expected_e = [0.5, -0.0, 0.0, 2 * F32_MIN_SUBNORMAL, math.inf]
    assert len(re) == len(expected_e)
    assert all(same_float(x, y) and is_f32(x) for x, y in zip(re, expected_e))
    expected_f = [0.5, -0.0, 0.0, -math.inf]
    assert all(same_float(x, y) for x, y in zip(rf, expected_f))
    assert all(type(l) is list for l in (rb, rc, rd, re, rf))


def test_bump_lists_empty_and_nan():
    ra, rb, rc, rd, re, rf = C.bump_lists(b"", [], [], [], [math.nan], [math.nan])
    assert (ra, rb, rc, rd) == (b"", [], [], [])
    assert math.isnan(re[0]) and math.isnan(rf[0])


def test_flip_lists():
    bools, chars, strings = C.flip_lists(
        [True, False, False],
        ["a", "\ud7ff", "\U0010ffff", "\uffff"],
        ["ab", "", "c\U0001F600"],
    )
    assert bools == [False, True, True]
    assert chars == ["b", "\ue000", "\x00", "\U00010000"]
    # The list reversed, each string unchanged.
    assert strings == ["c\U0001F600", "", "ab"]


def test_swap():
    p = Point(x=1, y=-2, label="héllo wörld ß ı abcXYZ 09")
    assert C.swap(p) == Point(x=-2, y=1, label="HéLLO WöRLD ß ı ABCXYZ 09")
    assert C.swap(Point(x=-(2**31), y=2**31 - 1, label="")) == Point(x=2**31 - 1, y=-(2**31), label="")


def test_sum_points():
    assert C.sum_points([]) == (0, 0)
    big = Point(x=2**31 - 1, y=0, label="")
    small = Point(x=-(2**31), y=5, label="")
    # Beyond s32: the sum is an s64.
    assert C.sum_points([big, big, big]) == (3, 3 * (2**31 - 1))
    assert C.sum_points([small] * 4) == (4, -(2**33))
    assert C.sum_points([big, small]) == (2, -1)
    # y does not count.
    assert C.sum_points([Point(x=1, y=100, label="a")]) == (1, 1)


def test_reverse_points():
    ps = [Point(1, 2, "a"), Point(3, 4, "b\u00e9"), Point(5, 6, "")]
    assert C.reverse_points(ps) == [Point(6, 5, ""), Point(4, 3, "B\u00e9"), Point(2, 1, "A")]
    assert C.reverse_points([]) == []


def segment(weight, note, tags=("t1", "t2", "t3")):
    return Segment(
        start=Point(1, 2, "start"),
        end=Point(3, 4, "end"),
        tags=list(tags),
        weight=weight,
        note=note,
    )


def test_flip_segment():
    result = C.flip_segment(segment(2.5, "hi"))
    # start and end exchanged, each unchanged (no swap, no upper case).
    assert result.start == Point(3, 4, "end")
    assert result.end == Point(1, 2, "start")
    assert result.tags == ["t3", "t2", "t1"]
    assert result.weight == -2.5
    assert result.note == "hi!"


def test_flip_segment_none_stays_none():
    result = C.flip_segment(segment(None, None, tags=()))
    assert result.weight is None
    assert result.note is None
    assert result.tags == []


def test_flip_segment_negates_zeros_and_nan():
    assert same_float(C.flip_segment(segment(0.0, "")).weight, -0.0)
    assert same_float(C.flip_segment(segment(-0.0, "")).weight, 0.0)
    assert C.flip_segment(segment(math.inf, "")).weight == -math.inf
    weight = C.flip_segment(segment(math.nan, "")).weight
    assert math.isnan(weight)
    # IEEE negation flips the sign bit of a NaN too.
    assert math.copysign(1.0, weight) == -math.copysign(1.0, math.nan)
    assert C.flip_segment(segment(1.0, "")).note == "!"
    assert C.flip_segment(segment(1.0, "\U0001F600")).note == "\U0001F600!"


def test_bump_single():
    assert C.bump_single(Single(0)) == Single(1)
    assert C.bump_single(Single(255)) == Single(0)


def test_rotate():
    result = C.rotate((7, "s\U0001F600", "\U0010ffff"))
    assert type(result) is tuple
    assert result == ("\U0010ffff", 7, "s\U0001F600")


def test_table():
    rows = [("a", [1, 2, -32768]), ("b", None), ("c", []), ("", [32767])]
    result = C.table(rows)
    assert result == [("", [32767]), ("c", []), ("b", None), ("a", [-32768, 2, 1])]
    assert all(type(row) is tuple and (row[1] is None or type(row[1]) is list) for row in result)
    assert C.table([]) == []
