"""The component's exports: every function of the all-types world
(``contracts/all-types/wit/all-types.wit``), each applying the rule of its
WIT doc comment, for componentize-py.

componentize-py generates the ``wit_world`` bindings from the WIT when it
builds the component, and looks in this module for a class named after each
exported interface; it makes one instance of each and calls its methods.

How componentize-py 0.25.1 represents the WIT values (see README.md):

- every integer is an ``int``, which must fit its WIT type when it is
  returned (else the call traps): ``rules`` wraps each one;
- ``f32`` and ``f64`` are ``float``; an ``f32`` result is rounded to ``f32``
  here (``rules.to_f32``), although the lowering would round it too;
- ``char`` is a ``str`` of one code point;
- ``list<u8>`` and ``list<s8>`` are ``bytes`` (a ``list<s8>`` holds the
  two's-complement byte of each element, 0..255), any other list is a
  ``list``, and a tuple a ``tuple`` (the lowering insists on exactly these
  types);
- ``option<T>`` is ``Optional[T]``, except that an option whose payload is
  itself an option wraps the ``some`` case in ``componentize_py_types.Some``,
  so that ``some(none)`` (``Some(None)``) differs from ``none`` (``None``);
- a ``result`` argument or a ``result`` nested in another value is an
  ``Ok(value)`` or ``Err(value)`` (``value`` is ``None`` for no payload); a
  function whose own result type is a ``result`` returns the ``ok`` payload
  (``None`` for none) and *raises* ``Err(payload)`` for ``err``: any other
  exception traps;
- a variant is a union of one dataclass per case (``Shape_Circle(value)``,
  ``Shape_Empty()``), an enum an ``enum.Enum`` whose values are the
  discriminants, flags an ``enum.Flag`` (not ``IntFlag``) with one bit per
  flag, and a record a dataclass.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

import rules
from componentize_py_types import Err, Ok, Result, Some
from wit_world import exports
from wit_world.exports import types as wt


def swap_point(p: wt.Point) -> wt.Point:
    """``x`` and ``y`` swapped, the label's ASCII letters in upper case."""
    return wt.Point(x=p.y, y=p.x, label=rules.ascii_upper(p.label))


def mirror(s: wt.Shape) -> wt.Shape:
    if isinstance(s, wt.Shape_Circle):
        return wt.Shape_Circle(-s.value)
    if isinstance(s, wt.Shape_Rect):
        return wt.Shape_Rect(swap_point(s.value))
    if isinstance(s, wt.Shape_Empty):
        return wt.Shape_Empty()
    if isinstance(s, wt.Shape_Named):
        return wt.Shape_Named(rules.reverse(s.value))
    raise TypeError(f"not a shape: {s!r}")


_NEXT_COLOR = {
    wt.Color.RED: wt.Color.GREEN,
    wt.Color.GREEN: wt.Color.BLUE,
    wt.Color.BLUE: wt.Color.RED,
}


def next_color(c: wt.Color) -> wt.Color:
    return _NEXT_COLOR[c]


def invert(p: wt.Perms) -> wt.Perms:
    return rules.complement(p)


class Types(exports.Types):
    """``witness:all-types/types``: types only, no functions."""


class Scalars(exports.Scalars):
    """``witness:all-types/scalars``."""

    def negate(self, b: bool) -> bool:
        return not b

    def bump_signed(self, a: int, b: int, c: int, d: int) -> Tuple[int, int, int, int]:
        return (rules.s8(a + 1), rules.s16(b + 1), rules.s32(c + 1), rules.s64(d + 1))

    def bump_unsigned(self, a: int, b: int, c: int, d: int) -> Tuple[int, int, int, int]:
        return (rules.u8(a + 1), rules.u16(b + 1), rules.u32(c + 1), rules.u64(d + 1))

    def halve(self, x: float, y: float) -> Tuple[float, float]:
        return (rules.halve_f32(x), rules.halve_f64(y))

    def next_char(self, c: str) -> Tuple[int, str]:
        return (ord(c), rules.next_scalar(c))

    def reverse_string(self, s: str) -> str:
        return rules.reverse(s)

    def echo_scalars(self, a: bool, b: int, c: int, d: int, e: int, f: int, g: int, h: int,
                     i: int, j: float, k: float, l: str, m: str
                     ) -> Tuple[bool, int, int, int, int, int, int, int, int, float, float, str, str]:
        return (a, b, c, d, e, f, g, h, i, j, k, l, m)

    def echo_wide(self, a: int, b: int, c: int, d: int, e: int, f: int, g: int, h: int,
                  i: float, j: float, k: str, l: bool, m: str, n: bytes, o: Optional[int]
                  ) -> Tuple[int, int, int, int, int, int, int, int, float, float, str, bool, str,
                             bytes, Optional[int]]:
        return (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o)


class Compound(exports.Compound):
    """``witness:all-types/compound``."""

    def reverse_bytes(self, l: bytes) -> bytes:
        return l[::-1]

    def negate_all(self, l: List[int]) -> List[int]:
        return [rules.s32(-n) for n in l]

    def bump_lists(self, a: bytes, b: List[int], c: List[int], d: List[int], e: List[float],
                   f: List[float]
                   ) -> Tuple[bytes, List[int], List[int], List[int], List[float], List[float]]:
        # `a` is a list<s8> as bytes: each byte is the element's two's
        # complement, and adding one modulo 256 to it is the wrapping s8 add.
        return (
            bytes(rules.u8(n + 1) for n in a),
            [rules.u16(n + 1) for n in b],
            [rules.s64(n + 1) for n in c],
            [rules.u64(n + 1) for n in d],
            [rules.halve_f32(x) for x in e],
            [rules.halve_f64(x) for x in f],
        )

    def flip_lists(self, a: List[bool], b: List[str], c: List[str]
                   ) -> Tuple[List[bool], List[str], List[str]]:
        return ([not x for x in a], [rules.next_scalar(ch) for ch in b], c[::-1])

    def swap(self, p: wt.Point) -> wt.Point:
        return swap_point(p)

    def sum_points(self, ps: List[wt.Point]) -> Tuple[int, int]:
        return (rules.u32(len(ps)), rules.s64(sum(p.x for p in ps)))

    def reverse_points(self, ps: List[wt.Point]) -> List[wt.Point]:
        return [swap_point(p) for p in reversed(ps)]

    def flip_segment(self, s: wt.Segment) -> wt.Segment:
        return wt.Segment(
            start=s.end,
            end=s.start,
            tags=s.tags[::-1],
            # Python's unary minus is IEEE negation: it flips the sign bit,
            # of 0.0 and of NaN too.
            weight=None if s.weight is None else -s.weight,
            note=None if s.note is None else s.note + "!",
        )

    def bump_single(self, s: wt.Single) -> wt.Single:
        return wt.Single(value=rules.u8(s.value + 1))

    def rotate(self, t: Tuple[int, str, str]) -> Tuple[str, int, str]:
        a, b, c = t
        return (c, a, b)

    def table(self, rows: List[Tuple[str, Optional[List[int]]]]
              ) -> List[Tuple[str, Optional[List[int]]]]:
        return [(name, None if values is None else values[::-1]) for name, values in reversed(rows)]


def transform(p: wt.Payload) -> wt.Payload:
    if isinstance(p, wt.Payload_Nothing):
        return wt.Payload_Nothing()
    if isinstance(p, wt.Payload_Boolean):
        return wt.Payload_Boolean(not p.value)
    if isinstance(p, wt.Payload_Int8):
        return wt.Payload_Int8(rules.s8(p.value + 1))
    if isinstance(p, wt.Payload_Uint8):
        return wt.Payload_Uint8(rules.u8(p.value + 1))
    if isinstance(p, wt.Payload_Int16):
        return wt.Payload_Int16(rules.s16(p.value + 1))
    if isinstance(p, wt.Payload_Uint16):
        return wt.Payload_Uint16(rules.u16(p.value + 1))
    if isinstance(p, wt.Payload_Int32):
        return wt.Payload_Int32(rules.s32(p.value + 1))
    if isinstance(p, wt.Payload_Uint32):
        return wt.Payload_Uint32(rules.u32(p.value + 1))
    if isinstance(p, wt.Payload_Int64):
        return wt.Payload_Int64(rules.s64(p.value + 1))
    if isinstance(p, wt.Payload_Uint64):
        return wt.Payload_Uint64(rules.u64(p.value + 1))
    if isinstance(p, wt.Payload_Float32):
        return wt.Payload_Float32(rules.halve_f32(p.value))
    if isinstance(p, wt.Payload_Float64):
        return wt.Payload_Float64(rules.halve_f64(p.value))
    if isinstance(p, wt.Payload_Letter):
        return wt.Payload_Letter(rules.next_scalar(p.value))
    if isinstance(p, wt.Payload_Text):
        return wt.Payload_Text(rules.reverse(p.value))
    if isinstance(p, wt.Payload_Bytes):
        return wt.Payload_Bytes(p.value[::-1])
    if isinstance(p, wt.Payload_Point):
        return wt.Payload_Point(swap_point(p.value))
    if isinstance(p, wt.Payload_Color):
        return wt.Payload_Color(next_color(p.value))
    if isinstance(p, wt.Payload_Perms):
        return wt.Payload_Perms(invert(p.value))
    if isinstance(p, wt.Payload_Maybe):
        return wt.Payload_Maybe(None if p.value is None else rules.u32(p.value + 1))
    if isinstance(p, wt.Payload_Outcome):
        # A result inside a variant is a value (Ok or Err), never raised.
        outcome = p.value
        if isinstance(outcome, Ok):
            return wt.Payload_Outcome(Err(str(outcome.value)))
        return wt.Payload_Outcome(Ok(rules.utf8_len(outcome.value)))
    if isinstance(p, wt.Payload_Pair):
        n, s = p.value
        return wt.Payload_Pair((rules.u32(n + 1), rules.reverse(s)))
    if isinstance(p, wt.Payload_Shape):
        return wt.Payload_Shape(mirror(p.value))
    raise TypeError(f"not a payload: {p!r}")


_BIG = list(wt.Big)

Flagset = Tuple[wt.Flags1, wt.Flags8, wt.Perms, wt.Flags16, wt.Flags17, wt.Flags32]


class Variants(exports.Variants):
    """``witness:all-types/variants``."""

    def mirror(self, s: wt.Shape) -> wt.Shape:
        return mirror(s)

    def next_color(self, c: wt.Color) -> wt.Color:
        return next_color(c)

    def next_big(self, b: wt.Big) -> wt.Big:
        return _BIG[(b.value + 1) % len(_BIG)]

    def transform(self, p: wt.Payload) -> wt.Payload:
        return transform(p)

    def next_step(self, s: wt.Step) -> wt.Step:
        if isinstance(s, wt.Step_Idle):
            return wt.Step_Count(0)
        if isinstance(s, wt.Step_Count):
            return wt.Step_Total(s.value)
        if isinstance(s, wt.Step_Total):
            return wt.Step_Message(str(s.value))
        if isinstance(s, wt.Step_Message):
            return wt.Step_Idle()
        raise TypeError(f"not a step: {s!r}")

    def invert(self, p: wt.Perms) -> wt.Perms:
        return invert(p)

    def complement(self, a: wt.Flags1, b: wt.Flags8, c: wt.Perms, d: wt.Flags16,
                   e: wt.Flags17, f: wt.Flags32) -> Flagset:
        return (
            rules.complement(a),
            rules.complement(b),
            rules.complement(c),
            rules.complement(d),
            rules.complement(e),
            rules.complement(f),
        )

    def peel(self, o: Optional[Some[Optional[int]]]) -> Optional[int]:
        # option<option<u32>>: `none` is None, `some(none)` is Some(None) and
        # `some(some(n))` is Some(n).
        if o is None:
            return None
        if o.value is None:
            return 0
        return rules.u32(o.value + 1)

    def bump_options(self, l: List[Optional[int]]) -> List[Optional[int]]:
        return [None if o is None else rules.u8(o + 1) for o in l]

    def deepen(self, o: Optional[Some[Optional[str]]]
               ) -> Optional[Some[Optional[Some[Optional[str]]]]]:
        # `o` is None, Some(None) or Some(s); `some(o)` of the deeper type
        # is Some(o) in every case: Some(None), Some(Some(None)), Some(Some(s)).
        return Some(o)

    # A function whose result type is a `result` returns the `ok` payload
    # and raises Err(payload) for `err`.

    def flip(self, r: Result[int, str]) -> str:
        if isinstance(r, Ok):
            return str(r.value)
        raise Err(rules.utf8_len(r.value))

    def toggle(self, r: Result[None, None]) -> None:
        if isinstance(r, Ok):
            raise Err("was ok")
        return None

    def swap_ok(self, r: Result[int, None]) -> None:
        if isinstance(r, Ok):
            raise Err(r.value)
        return None

    def swap_err(self, r: Result[None, str]) -> str:
        if isinstance(r, Ok):
            raise Err(None)
        return r.value

    def parse_u8(self, s: str) -> int:
        value = rules.parse_u8(s)
        if value is None:
            raise Err(None)
        return value

    def echo_payload(self, p: wt.Payload) -> wt.Payload:
        return p

    def echo_flags(self, a: wt.Flags1, b: wt.Flags8, c: wt.Perms, d: wt.Flags16,
                   e: wt.Flags17, f: wt.Flags32) -> Flagset:
        return (a, b, c, d, e, f)


Deep = List[Optional[Result[List[Tuple[str, Optional[int]]], wt.Shape]]]


def _nest_element(element):
    if element is None:
        return None
    if isinstance(element, Ok):
        return Ok([
            (rules.next_scalar(c), None if n is None else rules.s64(n + 1))
            for c, n in reversed(element.value)
        ])
    return Err(mirror(element.value))


class Nested(exports.Nested):
    """``witness:all-types/nested``."""

    def nest(self, d: Deep) -> Deep:
        return [_nest_element(element) for element in reversed(d)]

    def echo_deep(self, d: Deep) -> Deep:
        return d

    def echo_compound(self, s: wt.Segment, b: wt.Big, f: wt.Flags17,
                      r: Result[Tuple[wt.Single, str], List[wt.Point]], p: List[wt.Payload]
                      ) -> Tuple[wt.Segment, wt.Big, wt.Flags17,
                                 Result[Tuple[wt.Single, str], List[wt.Point]], List[wt.Payload]]:
        return (s, b, f, r, p)
