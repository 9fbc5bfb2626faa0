"""witness:all-types/nested."""

import app
from componentize_py_types import Err, Ok
from wit_world.exports import types as wt

N = app.Nested()


def test_nest():
    d = [
        None,
        Ok([("a", None), ("\ud7ff", 5), ("\U0010ffff", 2**63 - 1)]),
        Err(wt.Shape_Named("ab\U0001F600")),
        Ok([]),
        Err(wt.Shape_Rect(wt.Point(1, -1, "p"))),
        Err(wt.Shape_Circle(0.0)),
    ]
    result = N.nest(d)
    assert result == [
        Err(wt.Shape_Circle(-0.0)),
        Err(wt.Shape_Rect(wt.Point(-1, 1, "P"))),
        Ok([]),
        Err(wt.Shape_Named("\U0001F600ba")),
        Ok([("\x00", -(2**63)), ("\ue000", 6), ("b", None)]),
        None,
    ]
    assert type(result) is list
    assert type(result[0]) is Err and type(result[2]) is Ok
    assert all(type(pair) is tuple for pair in result[4].value)
    assert N.nest([]) == []


def test_nest_wraps_s64():
    assert N.nest([Ok([("x", -1), ("y", -(2**63))])]) == [Ok([("z", -(2**63) + 1), ("y", 0)])]


def test_echo_deep():
    d = [None, Ok([("\U0001F600", -(2**63))]), Err(wt.Shape_Empty())]
    assert N.echo_deep(d) == d


def test_echo_compound():
    s = wt.Segment(
        start=wt.Point(1, 2, "a"),
        end=wt.Point(3, 4, "b"),
        tags=["x", ""],
        weight=-0.0,
        note=None,
    )
    r = Err([wt.Point(5, 6, "c")])
    p = [wt.Payload_Uint64(2**64 - 1), wt.Payload_Nothing()]
    args = (s, wt.Big.C299, wt.Flags17.E16 | wt.Flags17.E0, r, p)
    result = N.echo_compound(*args)
    assert type(result) is tuple
    assert result == args
    ok = Ok((wt.Single(255), "s"))
    assert N.echo_compound(s, wt.Big.C0, wt.Flags17(0), ok, [])[3] == ok
