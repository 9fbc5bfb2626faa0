"""Values of protocol 2 (docs/host-protocol.md, "Values on the wire") to and
from wasmtime-py's component values.

Both directions are driven by the protocol's type JSON (`"u32"`,
`{"list": T}`, `{"record": [...]}`, ...).  wasmtime-py 50 represents a
component value as (read in `wasmtime/component/_types.py`, and checked
against real components in test_values.py):

- `bool` as `bool`; every integer as `int`; `f32` and `f64` as `float`;
  `char` as a `str` of one code point; `string` and `enum` as `str`;
- `list<u8>` as `bytes`, every other list as `list`; `tuple` as `tuple`;
- `record` as a `Record` whose attributes are the kebab-case field names
  (so `getattr`/`setattr`, since `sort-keys` is no identifier);
- `flags` as a `set` of the names that are set;
- `variant`, `option` and `result` as a `Variant(tag, payload)` when their
  cases are *tagged*, and otherwise as the bare payload, or `None` for a
  case without one.  A type is tagged when two of its cases can produce a
  value of the same Python class (a case without payload counts as
  `object`, and an untagged variant-like type as the union of its cases'
  classes): so `option<u32>` is `int | None`, `option<option<u32>>` is
  `Variant("none")` / `Variant("some", int | None)`, `result<string,
  string>` and `result` without payloads are tagged, `result<_, string>`
  is `None | str`.  A top-level `result` err is returned like any value,
  never raised.

wasmtime-py lowers an untagged value by taking the first case whose classes
it `isinstance`s, which picks the wrong case when a bool meets an integer
case first (`bool` is an `int`) or when an earlier case holds an untagged
option (its `object` class takes anything): such values are refused here
(`LowerError`) rather than passed on to reach the guest as another value.
wasmtime-py also stores integers into ctypes fields, which wrap silently,
and aborts the whole process on a `char` in the surrogate range, so ranges
are checked here before anything reaches it.

This module needs wasmtime-py only for its `Record` and `Variant` classes;
without it (the repository's unit tests run on a bare python3) it uses
stand-ins of the same shape.
"""

from __future__ import annotations

import math
import re
import struct
from dataclasses import dataclass
from typing import Any, Callable, Optional

try:
    from wasmtime.component import Record, Variant
except ImportError:  # pragma: no cover - exercised by the bare-python3 test run
    class Record:  # type: ignore[no-redef]
        """Stand-in for wasmtime.component.Record: attributes are fields."""

        def __eq__(self, other: Any) -> bool:
            return isinstance(other, Record) and self.__dict__ == other.__dict__

    @dataclass
    class Variant:  # type: ignore[no-redef]
        """Stand-in for wasmtime.component.Variant."""

        tag: str
        payload: Optional[Any] = None


Type = Any  # The protocol's type JSON: a str or a one-key dict.
TakeRaw = Callable[[], str]
PushRaw = Callable[[str], None]


class LowerError(ValueError):
    """A wire value that does not fit its type, or that wasmtime-py cannot
    lower faithfully: the call is answered with a trap saying so."""


class LiftError(ValueError):
    """A value from wasmtime-py that does not fit the function's type."""


_INT_RANGES = {
    "s8": (-(1 << 7), (1 << 7) - 1),
    "u8": (0, (1 << 8) - 1),
    "s16": (-(1 << 15), (1 << 15) - 1),
    "u16": (0, (1 << 16) - 1),
    "s32": (-(1 << 31), (1 << 31) - 1),
    "u32": (0, (1 << 32) - 1),
    "s64": (-(1 << 63), (1 << 63) - 1),
    "u64": (0, (1 << 64) - 1),
}
# At most 20 digits: enough for any 64-bit integer, and it keeps int() away
# from its own limits and forms (underscores, spaces, `+`).
_DECIMAL = re.compile(r"-?[0-9]{1,20}")
_SPECIAL_FLOATS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def describe(type_: Type) -> str:
    """A short text of a type for messages."""
    return type_ if isinstance(type_, str) else next(iter(type_), "?")


def _kind(type_: Type) -> tuple[str, Any]:
    if isinstance(type_, str):
        return type_, None
    if isinstance(type_, dict) and len(type_) == 1:
        return next(iter(type_.items()))
    raise ValueError(f"not a protocol-2 type: {type_!r}")


def _cases(type_: Type) -> Optional[list[tuple[str, Optional[Type]]]]:
    """The cases of a variant-like type in wasmtime-py's order, or None."""
    kind, arg = _kind(type_)
    if kind == "variant":
        return [(case["name"], case["type"]) for case in arg]
    if kind == "option":
        return [("none", None), ("some", arg)]
    if kind == "result":
        return [("ok", arg["ok"]), ("err", arg["err"])]
    return None


def python_classes(type_: Type) -> frozenset:
    """The Python classes wasmtime-py makes for a type (its `add_classes`)."""
    kind, arg = _kind(type_)
    if kind == "bool":
        return frozenset({bool})
    if kind in _INT_RANGES:
        return frozenset({int})
    if kind in ("f32", "f64"):
        return frozenset({float})
    if kind in ("char", "string", "enum"):
        return frozenset({str})
    if kind == "list":
        return frozenset({bytes}) if arg == "u8" else frozenset({list})
    if kind == "record":
        return frozenset({Record})
    if kind == "tuple":
        return frozenset({tuple})
    if kind == "flags":
        return frozenset({set})
    cases = _cases(type_)
    if cases is not None:
        if is_tagged(type_):
            return frozenset({Variant})
        classes: set = set()
        for _name, case_type in cases:
            classes |= {object} if case_type is None else python_classes(case_type)
        return frozenset(classes)
    raise ValueError(f"wasmtime-py has no value for type {describe(type_)}")


def is_tagged(type_: Type) -> bool:
    """Whether wasmtime-py represents this variant-like type as `Variant`
    objects (its `VariantLikeType._tagged`)."""
    cases = _cases(type_)
    if cases is None:
        return False
    seen: set = set()
    for _name, case_type in cases:
        classes = {object} if case_type is None else python_classes(case_type)
        if classes & seen:
            return True
        seen |= classes
    return False


# Wire -> wasmtime-py.  A type is compiled once into a closure, since a
# call's arguments are converted on every call of a batch.

Decoder = Callable[[Any, TakeRaw], Any]
Encoder = Callable[[Any, Optional[PushRaw]], Any]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decoder(type_: Type) -> Decoder:
    kind, arg = _kind(type_)
    if kind == "bool":
        def decode_bool(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, bool):
                raise LowerError(f"expected a bool, got {_show(value)}")
            return value
        return decode_bool
    if kind in ("s64", "u64"):
        low, high = _INT_RANGES[kind]

        def decode_wide(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
                raise LowerError(f"expected a {kind} as a string of decimal digits, got {_show(value)}")
            number = int(value)
            if not low <= number <= high:
                raise LowerError(f"{value} is out of the range of {kind}")
            return number
        return decode_wide
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]

        def decode_int(value: Any, take_raw: TakeRaw) -> Any:
            if not _is_int(value):
                raise LowerError(f"expected a {kind} as a number, got {_show(value)}")
            if not low <= value <= high:
                raise LowerError(f"{value} is out of the range of {kind}")
            return value
        return decode_int
    if kind in ("f32", "f64"):
        single = kind == "f32"

        def decode_float(value: Any, take_raw: TakeRaw) -> Any:
            if isinstance(value, str):
                special = _SPECIAL_FLOATS.get(value)
                if special is None:
                    raise LowerError(f'expected a {kind}: a number, "nan", "inf" or "-inf", got {_show(value)}')
                return special
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise LowerError(f"expected a {kind}, got {_show(value)}")
            try:
                number = float(value)
            except OverflowError:
                raise LowerError(f"{value} is out of the range of {kind}") from None
            if single and math.isfinite(number):
                # ctypes rounds to the nearest f32 as the harness's own
                # f32 would, but turns a value past f32's range into inf.
                try:
                    struct.pack("<f", number)
                except OverflowError:
                    raise LowerError(f"{value} is out of the range of f32") from None
            elif not math.isfinite(number):
                raise LowerError(f"{value} is not a {kind} (NaN and infinities are strings)")
            return number
        return decode_float
    if kind == "char":
        def decode_char(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, str) or len(value) != 1:
                raise LowerError(f"expected a char (a string of one Unicode scalar value), got {_show(value)}")
            if 0xD800 <= ord(value) <= 0xDFFF:
                # wasmtime-py's C API panics, and the process aborts, on a
                # surrogate char: it must never get one.
                raise LowerError(f"U+{ord(value):04X} is a surrogate, not a Unicode scalar value, so not a char")
            return value
        return decode_char
    if kind == "string":
        def decode_string(value: Any, take_raw: TakeRaw) -> Any:
            if value is None:
                return take_raw()
            if not isinstance(value, str):
                raise LowerError(f"expected a string, got {_show(value)}")
            return value
        return decode_string
    if kind == "list":
        element = _decoder(arg)
        as_bytes = arg == "u8"

        def decode_list(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, list):
                raise LowerError(f"expected a list (an array), got {_show(value)}")
            items = [element(item, take_raw) for item in value]
            return bytes(items) if as_bytes else items
        return decode_list
    if kind == "tuple":
        elements = [_decoder(element_type) for element_type in arg]

        def decode_tuple(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, list) or len(value) != len(elements):
                raise LowerError(f"expected a tuple of {len(elements)} (an array), got {_show(value)}")
            return tuple(decode(item, take_raw) for decode, item in zip(elements, value))
        return decode_tuple
    if kind == "record":
        fields = [(field["name"], _decoder(field["type"])) for field in arg]
        names = {name for name, _decode in fields}

        def decode_record(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, dict) or value.keys() != names:
                raise LowerError(f"expected a record with the fields {sorted(names)}, got {_show(value)}")
            record = Record()
            # In the type's order, which is also the order of raw strings.
            for name, decode in fields:
                setattr(record, name, decode(value[name], take_raw))
            return record
        return decode_record
    if kind == "enum":
        cases = set(arg)

        def decode_enum(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, str) or value not in cases:
                raise LowerError(f"expected one of the enum's cases {arg}, got {_show(value)}")
            return value
        return decode_enum
    if kind == "flags":
        flags = set(arg)

        def decode_flags(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, list) or not all(isinstance(name, str) and name in flags for name in value) \
                    or len(set(value)) != len(value):
                raise LowerError(f"expected a list of distinct flags of {arg}, got {_show(value)}")
            return set(value)
        return decode_flags
    if kind in ("variant", "option", "result"):
        return _variant_decoder(type_)
    raise ValueError(f"wasmtime-py has no value for type {describe(type_)}")


def _variant_decoder(type_: Type) -> Decoder:
    kind, arg = _kind(type_)
    cases = _cases(type_)
    assert cases is not None
    tagged = is_tagged(type_)
    decoders = {name: (index, None if case_type is None else _decoder(case_type))
                for index, (name, case_type) in enumerate(cases)}
    # How wasmtime-py's `_lower` picks the case of an untagged value: the
    # first case without payload for None, or the first whose classes the
    # value is an instance of.
    tests = [(None if case_type is None else tuple(python_classes(case_type))) for _name, case_type in cases]
    payloads = frozenset().union(*(test for test in tests if test is not None))
    # Only a bool next to an int, or the `object` of an untagged option in a
    # case, can make that choice differ from the value's own case.
    risky = not tagged and (object in payloads or bool in payloads and int in payloads)

    def wasmtime_case(value: Any) -> Optional[int]:
        for index, test in enumerate(tests):
            if (value is None) if test is None else isinstance(value, test):
                return index
        return None

    def build(name: str, payload: Any, has_payload: bool, take_raw: TakeRaw) -> Any:
        index, decode = decoders[name]
        if decode is None:
            if has_payload and payload is not None:
                raise LowerError(f"case {name} of a {kind} has no payload, got {_show(payload)}")
            value = None
        else:
            if not has_payload:
                raise LowerError(f"case {name} of a {kind} needs a payload")
            value = decode(payload, take_raw)
        if tagged:
            return Variant(name) if decode is None else Variant(name, value)
        if risky and wasmtime_case(value) != index:
            raise LowerError(f"wasmtime-py cannot lower case {name} of this {kind}: it would take "
                             f"{_show(value)} for another case (it picks an untagged case by isinstance)")
        return value

    if kind == "option":
        def decode_option(value: Any, take_raw: TakeRaw) -> Any:
            if value is None:
                return build("none", None, False, take_raw)
            if not isinstance(value, dict) or value.keys() != {"some"}:
                raise LowerError(f'expected an option: null or {{"some": V}}, got {_show(value)}')
            return build("some", value["some"], True, take_raw)
        return decode_option
    if kind == "result":
        def decode_result(value: Any, take_raw: TakeRaw) -> Any:
            if not isinstance(value, dict) or len(value) != 1 or not value.keys() <= {"ok", "err"}:
                raise LowerError(f'expected a result: {{"ok": V}} or {{"err": V}}, got {_show(value)}')
            name, payload = next(iter(value.items()))
            # `{"ok": null}` is both a side without payload and, say, a
            # `none` or a raw string on a side with one.
            return build(name, payload, True, take_raw)
        return decode_result

    def decode_variant(value: Any, take_raw: TakeRaw) -> Any:
        if not isinstance(value, dict) or not isinstance(value.get("tag"), str) \
                or value["tag"] not in decoders or not value.keys() <= {"tag", "val"}:
            raise LowerError(f"expected a variant {{\"tag\": N, \"val\": V}} with a case of "
                             f"{[name for name, _ in cases]}, got {_show(value)}")
        return build(value["tag"], value.get("val"), "val" in value, take_raw)
    return decode_variant


# wasmtime-py -> wire.

def _encoder(type_: Type) -> Encoder:
    kind, arg = _kind(type_)
    if kind == "bool":
        def encode_bool(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, bool):
                raise LiftError(f"expected a bool, got {_show(value)}")
            return value
        return encode_bool
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        wide = kind in ("s64", "u64")

        def encode_int(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not _is_int(value) or not low <= value <= high:
                raise LiftError(f"expected a {kind}, got {_show(value)}")
            return str(value) if wide else value
        return encode_int
    if kind in ("f32", "f64"):
        def encode_float(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, float):
                raise LiftError(f"expected a {kind}, got {_show(value)}")
            if value != value:
                return "nan"
            if value in (math.inf, -math.inf):
                return "inf" if value > 0 else "-inf"
            # wasmtime-py widens an f32 to the float of the same value.
            return value
        return encode_float
    if kind == "char":
        def encode_char(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, str) or len(value) != 1:
                raise LiftError(f"expected a char, got {_show(value)}")
            return value
        return encode_char
    if kind == "string":
        def encode_string(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, str):
                raise LiftError(f"expected a string, got {_show(value)}")
            if push_raw is None:
                return value
            push_raw(value)
            return None
        return encode_string
    if kind == "list":
        element = _encoder(arg)
        as_bytes = arg == "u8"

        def encode_list(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if as_bytes:
                if not isinstance(value, (bytes, bytearray)):
                    raise LiftError(f"expected bytes for a list<u8>, got {_show(value)}")
                return list(value)
            if not isinstance(value, list):
                raise LiftError(f"expected a list, got {_show(value)}")
            return [element(item, push_raw) for item in value]
        return encode_list
    if kind == "tuple":
        elements = [_encoder(element_type) for element_type in arg]

        def encode_tuple(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, tuple) or len(value) != len(elements):
                raise LiftError(f"expected a tuple of {len(elements)}, got {_show(value)}")
            return [encode(item, push_raw) for encode, item in zip(elements, value)]
        return encode_tuple
    if kind == "record":
        fields = [(field["name"], _encoder(field["type"])) for field in arg]

        def encode_record(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, Record):
                raise LiftError(f"expected a Record, got {_show(value)}")
            out = {}
            for name, encode in fields:
                if not hasattr(value, name):
                    raise LiftError(f"the record has no field {name}")
                out[name] = encode(getattr(value, name), push_raw)
            return out
        return encode_record
    if kind == "enum":
        cases = set(arg)

        def encode_enum(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, str) or value not in cases:
                raise LiftError(f"expected a case of the enum {arg}, got {_show(value)}")
            return value
        return encode_enum
    if kind == "flags":
        flags = set(arg)

        def encode_flags(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, (set, frozenset)) or not value <= flags:
                raise LiftError(f"expected a set of flags of {arg}, got {_show(value)}")
            return [name for name in arg if name in value]
        return encode_flags
    if kind in ("variant", "option", "result"):
        return _variant_encoder(type_)
    raise ValueError(f"wasmtime-py has no value for type {describe(type_)}")


def _variant_encoder(type_: Type) -> Encoder:
    kind, _arg = _kind(type_)
    cases = _cases(type_)
    assert cases is not None
    tagged = is_tagged(type_)
    encoders = {name: (None if case_type is None else _encoder(case_type)) for name, case_type in cases}
    # An untagged value's case is the one whose classes hold the value's
    # exact class (None for `object`): the cases' classes are disjoint, and
    # the exact class tells a bool from an int where isinstance does not.
    by_class: dict = {}
    for name, case_type in cases:
        for cls in ({object} if case_type is None else python_classes(case_type)):
            by_class[type(None) if cls is object else cls] = name

    def wire(name: str, payload: Any, push_raw: Optional[PushRaw]) -> Any:
        encode = encoders[name]
        val = None if encode is None else encode(payload, push_raw)
        if kind == "option":
            return None if name == "none" else {"some": val}
        if kind == "result":
            return {name: val}
        return {"tag": name} if encode is None else {"tag": name, "val": val}

    if tagged:
        def encode_tagged(value: Any, push_raw: Optional[PushRaw]) -> Any:
            if not isinstance(value, Variant) or value.tag not in encoders:
                raise LiftError(f"expected a Variant with a case of {list(encoders)}, got {_show(value)}")
            if encoders[value.tag] is None and value.payload is not None:
                raise LiftError(f"case {value.tag} has no payload, got {_show(value.payload)}")
            return wire(value.tag, value.payload, push_raw)
        return encode_tagged

    def encode_untagged(value: Any, push_raw: Optional[PushRaw]) -> Any:
        name = by_class.get(type(value))
        if name is None:
            raise LiftError(f"expected a value of a case of {list(encoders)}, got {_show(value)}")
        return wire(name, value, push_raw)
    return encode_untagged


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# Compiled converters are kept per type object: the runner and the tests
# pass the same type objects again and again, and the cache holds the type
# itself, so that its id is not reused while the entry lives.
_decoders: dict[int, tuple[Type, Decoder]] = {}
_encoders: dict[int, tuple[Type, Encoder]] = {}


def decoder(type_: Type) -> Decoder:
    """The compiled wire -> wasmtime-py converter of a type."""
    entry = _decoders.get(id(type_))
    if entry is None or entry[0] is not type_:
        entry = (type_, _decoder(type_))
        _decoders[id(type_)] = entry
    return entry[1]


def encoder(type_: Type) -> Encoder:
    """The compiled wasmtime-py -> wire converter of a type."""
    entry = _encoders.get(id(type_))
    if entry is None or entry[0] is not type_:
        entry = (type_, _encoder(type_))
        _encoders[id(type_)] = entry
    return entry[1]


def _no_raw() -> str:
    raise LowerError("a null in a string position, and no raw string for it")


def from_wire(type_: Type, value: Any, take_raw: TakeRaw = _no_raw) -> Any:
    """The Python value wasmtime-py takes for `value`, the wire JSON of
    `type_`; `take_raw()` gives the next raw string for a `null` string.
    Raises LowerError for a value that does not fit."""
    return decoder(type_)(value, take_raw)


def to_wire(type_: Type, value: Any, push_raw: Optional[PushRaw] = None) -> Any:
    """The wire JSON of `value`, a value wasmtime-py lifted for `type_`; with
    `push_raw`, every string is pushed as a raw string and written as None.
    Raises LiftError for a value that does not fit."""
    return encoder(type_)(value, push_raw)


# wasmtime-py's types -> the protocol's type JSON.

def wire_type(value_type: Any) -> Type:
    """The protocol's type JSON of a wasmtime-py `ValType`.

    A kind the protocol has no form for (a resource, a future, a stream, an
    error-context) is `{"unsupported": "<its class>"}`, which never equals a
    WIT type, so the harness reports the difference.
    """
    from wasmtime import component as c

    simple = {c.Bool: "bool", c.S8: "s8", c.S16: "s16", c.S32: "s32", c.S64: "s64",
              c.U8: "u8", c.U16: "u16", c.U32: "u32", c.U64: "u64",
              c.F32: "f32", c.F64: "f64", c.Char: "char", c.String: "string"}
    name = simple.get(type(value_type))
    if name is not None:
        return name
    if isinstance(value_type, c.ListType):
        return {"list": wire_type(value_type.element)}
    if isinstance(value_type, c.OptionType):
        return {"option": wire_type(value_type.payload)}
    if isinstance(value_type, c.TupleType):
        return {"tuple": [wire_type(element) for element in value_type.elements]}
    if isinstance(value_type, c.RecordType):
        return {"record": [{"name": field, "type": wire_type(field_type)}
                           for field, field_type in value_type.fields]}
    if isinstance(value_type, c.VariantType):
        return {"variant": [{"name": case, "type": None if case_type is None else wire_type(case_type)}
                            for case, case_type in value_type.cases]}
    if isinstance(value_type, c.EnumType):
        return {"enum": value_type.names}
    if isinstance(value_type, c.FlagsType):
        return {"flags": value_type.names}
    if isinstance(value_type, c.ResultType):
        ok, err = value_type.ok, value_type.err
        return {"result": {"ok": None if ok is None else wire_type(ok),
                           "err": None if err is None else wire_type(err)}}
    return {"unsupported": type(value_type).__name__}


def wire_signature(interface: Optional[str], name: str, func_type: Any) -> dict:
    """A function's entry of the ready line, from wasmtime-py's `FuncType`."""
    result = func_type.result
    return {
        "interface": interface,
        "name": name,
        "params": [{"name": param, "type": wire_type(param_type)} for param, param_type in func_type.params],
        "result": None if result is None else wire_type(result),
    }


def function_key(interface: Optional[str], name: str) -> str:
    """The wire's `fn` of a function: `interface#name`, or `name`."""
    return name if interface is None else f"{interface}#{name}"


def find_function(instance: Any, store: Any, key: str) -> Optional[Any]:
    """The exported function `interface#name` (or a bare `name`, exported by
    the world itself) of a component instance, or None."""
    interface, _hash, name = key.rpartition("#")
    parent = None
    if interface:
        parent = instance.get_export_index(store, interface)
        if parent is None:
            return None
    index = instance.get_export_index(store, name, parent)
    if index is None:
        return None
    return instance.get_func(store, index)
