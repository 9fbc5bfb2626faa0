"""Tests of runner.py's protocol framing and messages, without wasmtime:
protocol 1 with a fake guest, and protocol 2 with a Guest whose component
is Python functions (call_typed and the converters are real).

Run with `python -m pytest hosts/python` or `python -m unittest discover hosts/python`.
"""

import io
import json
import os
import tempfile
import unittest

import runner
import values

try:
    import wasmtime
except ImportError:
    wasmtime = None

HERE = os.path.dirname(os.path.abspath(__file__))
# The all-types contract's Rust guest, as `cargo xtask` builds it.
ALL_TYPES_RUST = os.path.join(HERE, "..", "..", "target", "witness", "guests", "all-types-rust", "component.wasm")


class FakeGuest:
    """Answers `ok` with the input, `err` for `err`, `trap` for `trap`."""

    def call(self, call):
        if call["input"] == "trap":
            return {"outcome": "trap", "value": "unreachable"}
        if call["input"] == "err":
            return {"outcome": "err", "value": "at byte 0: err"}
        return {"outcome": "ok", "value": call["input"]}


def request(*batches, raw=False):
    out = b""
    for batch_id, calls in enumerate(batches):
        out += json.dumps({"batch": batch_id, "calls": len(calls)}).encode() + b"\n"
        for text in calls:
            if raw:
                data = text.encode()
                out += b"#%d\n%s\n" % (len(data), data) + b'{"fn": "minify"}\n'
            else:
                out += json.dumps({"fn": "minify", "input": text}, ensure_ascii=False).encode() + b"\n"
    return io.BytesIO(out)


def answers(data):
    """The answer frames as objects: a raw string becomes its line's value."""
    frames = io.BytesIO(data)
    parsed = []
    while line := frames.readline():
        if line.startswith(b"#"):
            value = frames.read(int(line[1:]) + 1)
            assert value.endswith(b"\n"), value
            answer = json.loads(frames.readline())
            assert "value" not in answer, answer
            answer["value"] = value[:-1].decode()
            parsed.append(answer)
        else:
            parsed.append(json.loads(line))
    return parsed


class ServeTest(unittest.TestCase):
    def test_answers_each_call_then_the_end_line(self):
        for raw in (False, True):
            out = io.BytesIO()
            runner.serve(FakeGuest(), request(["[1]", "trap", "é😀\n"], ["err"], raw=raw), out)
            self.assertEqual(answers(out.getvalue()), [
            {"outcome": "ok", "value": "[1]"},
            {"outcome": "trap", "value": "unreachable"},
            {"outcome": "ok", "value": "é😀\n"},
            {"end": 0},
            {"outcome": "err", "value": "at byte 0: err"},
            {"end": 1},
            ], f"raw={raw}")

    def test_a_raw_string_must_end_with_a_newline_and_precede_a_line_without_input(self):
        for data, message in [
            (b'{"batch": 0, "calls": 1}\n#3\n[1]X{"fn": "minify"}\n', "not followed by a newline"),
            (b'{"batch": 0, "calls": 1}\n#30\n[1]\n', "inside a raw string of 30 bytes"),
            (b'{"batch": 0, "calls": 1}\n#3\n[1]\n{"fn": "minify", "input": "2"}\n', "both raw and in its line"),
            (b'{"batch": 0, "calls": 1}\n#3x\n[1]\n', "expected a raw string's length"),
        ]:
            with self.assertRaisesRegex(runner.ProtocolError, message):
                runner.serve(FakeGuest(), io.BytesIO(data), io.BytesIO())

    def test_a_bad_header_is_a_protocol_error(self):
        with self.assertRaisesRegex(runner.ProtocolError, "expected a batch header"):
            runner.serve(FakeGuest(), io.BytesIO(b'{"fn": "minify"}\n'), io.BytesIO())

    def test_a_batch_cut_short_is_a_protocol_error(self):
        with self.assertRaisesRegex(runner.ProtocolError, "stdin closed after 1 of 2 calls"):
            runner.serve(FakeGuest(), io.BytesIO(b'{"batch": 0, "calls": 2}\n{"fn": "minify", "input": "1"}\n'), io.BytesIO())

    def test_an_unterminated_line_is_a_protocol_error(self):
        with self.assertRaisesRegex(runner.ProtocolError, "inside a line"):
            runner.serve(FakeGuest(), io.BytesIO(b'{"batch": 0, "calls": 1}\n{"fn"'), io.BytesIO())


class FakeStore:
    def __init__(self):
        self.fuel = []

    def set_fuel(self, fuel):
        self.fuel.append(fuel)


class FakeWasmtime:
    class WasmtimeError(Exception):
        pass


ECHO = {"interface": "example:test/echo@1.0.0", "name": "echo",
        "params": [{"name": "items", "type": {"list": {"record": [{"name": "s", "type": "string"},
                                                                  {"name": "n", "type": "u32"}]}}},
                   {"name": "tail", "type": {"option": "string"}}],
        "result": {"tuple": [{"list": "string"}, {"option": "string"}]}}
SINK = {"interface": None, "name": "sink", "params": [{"name": "x", "type": "u32"}], "result": None}
PERMS = {"interface": None, "name": "perms", "params": [{"name": "f", "type": {"flags": ["read", "write"]}}],
         "result": {"flags": ["read", "write"]}}


def typed_guest(fuel_per_call=None):
    """A protocol-2 Guest whose component is Python: `echo` returns the
    strings of its items and its tail, `sink` returns nothing and traps on
    7.  What is real is call_typed and the converters."""
    guest = runner.Guest.__new__(runner.Guest)
    guest.protocol = 2
    guest._wasmtime = FakeWasmtime
    guest._settings = runner.Settings("guest.wasm", fuel_per_call, None, None)
    guest._store = FakeStore()
    guest._guest_stderr = runner.GuestStderr()
    guest.n_instances = 1
    guest.received = []

    def echo(_store, items, tail):
        guest.received.append((items, tail))
        return ([item.s for item in items], tail)

    def sink(_store, x):
        guest.received.append(x)
        if not isinstance(x, int):
            raise TypeError("expected int for U32 type")
        if x == 7:
            raise FakeWasmtime.WasmtimeError("error while executing\n\nCaused by:\n    wasm trap: unreachable")
        if x == 9:
            raise FakeWasmtime.WasmtimeError("error while executing at wasm backtrace:\n    0: 0x1 - g!f\n\n"
                                             "Caused by:\n    capability denied: wasi:cli/stdout#get-stdout")

    def perms(_store, flags):
        # As wasmtime-py and wasmtime treat a flags value.
        if not isinstance(flags, set):
            raise TypeError("expected set type for Flags type")
        for name in sorted(flags):
            if name not in PERMS["params"][0]["type"]["flags"]:
                raise FakeWasmtime.WasmtimeError(f"unknown flag: `{name}`")
        return flags

    def instantiate():
        guest.n_instances += 1

    guest._instantiate = instantiate
    guest.exported = {}
    guest._functions = {}
    for signature, func in ((ECHO, echo), (SINK, sink), (PERMS, perms)):
        key = values.function_key(signature["interface"], signature["name"])
        guest.exported[key] = runner.compile_exported(key, signature)
        guest._functions[key] = func
    return guest


def raw(text):
    data = text.encode()
    return b"#%d\n%s\n" % (len(data), data)


def typed_batch(*calls):
    """One protocol-2 batch of (raw strings, call object)."""
    out = json.dumps({"batch": 0, "calls": len(calls)}).encode() + b"\n"
    for raws, call in calls:
        out += b"".join(raw(text) for text in raws) + json.dumps(call, ensure_ascii=False).encode() + b"\n"
    return io.BytesIO(out)


def typed_answers(data):
    """The answer lines as (raw strings before it, its object)."""
    frames = io.BytesIO(data)
    parsed, raws = [], []
    while line := frames.readline():
        if line.startswith(b"#"):
            value = frames.read(int(line[1:]) + 1)
            assert value.endswith(b"\n"), value
            raws.append(value[:-1].decode())
        else:
            parsed.append((raws, json.loads(line)))
            raws = []
    assert not raws, raws
    return parsed


ECHO_FN = "example:test/echo@1.0.0#echo"


class TypedServeTest(unittest.TestCase):
    def test_raw_strings_at_any_depth_are_taken_in_order_and_answered_raw(self):
        guest = typed_guest()
        out = io.BytesIO()
        runner.serve(guest, typed_batch(
            (["a\nb", "é😀", "tail"], {"fn": ECHO_FN, "args": [[{"s": None, "n": 1}, {"s": None, "n": 2}],
                                                              {"some": None}]}),
            ([], {"fn": ECHO_FN, "args": [[{"s": "inline", "n": 0}], None]}),
            ([], {"fn": ECHO_FN, "args": [[], None]}),
        ), out)
        self.assertEqual([([item.s for item in items], tail) for items, tail in guest.received],
                         [(["a\nb", "é😀"], "tail"), (["inline"], None), ([], None)])
        self.assertEqual(typed_answers(out.getvalue()), [
            (["a\nb", "é😀", "tail"], {"outcome": "returned", "value": [[None, None], {"some": None}]}),
            (["inline"], {"outcome": "returned", "value": [[None], None]}),
            ([], {"outcome": "returned", "value": [[], None]}),
            ([], {"end": 0}),
        ])

    def test_unused_or_missing_raw_strings_are_protocol_errors(self):
        for raws, args, message in [
            (["a", "b"], [[{"s": None, "n": 1}], None], "leaves 1 of its 2 raw strings unused"),
            (["a"], [[{"s": "x", "n": 1}], None], "leaves 1 of its 1 raw strings unused"),
            (["a"], [[{"s": None, "n": 1}], {"some": None}], "more null strings than the 1 raw strings"),
            ([], [[{"s": None, "n": 1}], None], "more null strings than the 0 raw strings"),
        ]:
            with self.subTest(message), self.assertRaisesRegex(runner.ProtocolError, message):
                runner.serve(typed_guest(), typed_batch((raws, {"fn": ECHO_FN, "args": args})), io.BytesIO())

    def test_a_call_line_must_have_fn_and_args(self):
        for call in [{"fn": ECHO_FN}, {"args": []}, [ECHO_FN], {"fn": ECHO_FN, "args": [[], None], "fuel-calls": 0}]:
            with self.subTest(call), self.assertRaises(runner.ProtocolError):
                runner.serve(typed_guest(), typed_batch(([], call)), io.BytesIO())
        with self.assertRaisesRegex(runner.ProtocolError, "stdin ended after 1 raw strings"):
            runner.serve(typed_guest(), io.BytesIO(b'{"batch": 0, "calls": 1}\n#1\na\n'), io.BytesIO())

    def test_traps(self):
        guest = typed_guest()
        out = io.BytesIO()
        runner.serve(guest, typed_batch(
            ([], {"fn": "sink", "args": [7]}),
            ([], {"fn": "sink", "args": [8]}),
            ([], {"fn": "sink", "args": [-1]}),
            ([], {"fn": "sink", "args": []}),
            (["x"], {"fn": "example:test/echo@1.0.0#missing", "args": [None]}),
        ), out)
        answers = typed_answers(out.getvalue())
        self.assertEqual(answers[0], ([], {"outcome": "trap", "value": "wasm trap: unreachable"}))
        self.assertEqual(answers[1], ([], {"outcome": "returned"}))
        self.assertEqual(answers[2][1]["outcome"], "trap")
        self.assertIn("cannot lower an argument of sink: -1 is out of the range of u32", answers[2][1]["value"])
        self.assertEqual(answers[3][1], {"outcome": "trap", "value": "sink takes 1 arguments, got 0"})
        self.assertEqual(answers[4][1], {"outcome": "trap",
                                         "value": "the component does not export example:test/echo@1.0.0#missing"})
        # Only the guest's trap replaced the instance.
        self.assertEqual(guest.n_instances, 2)

    def test_fuel_calls_multiply_the_fuel_of_a_call(self):
        guest = typed_guest(fuel_per_call=1000)
        runner.serve(guest, typed_batch(([], {"fn": "sink", "args": [1]}),
                                        ([], {"fn": "sink", "args": [1], "fuel-calls": 5})), io.BytesIO())
        self.assertEqual(guest._store.fuel, [1000, 5000])


class RecordingOut(io.BytesIO):
    """An output that keeps what had been flushed at each flush."""

    def __init__(self):
        super().__init__()
        self.flushed = b""

    def flush(self):
        super().flush()
        self.flushed = self.getvalue()


class ProbeTest(unittest.TestCase):
    """Probes (docs/host-protocol.md, "Probes: values outside their type")
    against the Python component of typed_guest: what reaches the
    function, and how its exceptions are answered."""

    def probe(self, guest, fn, args, arg, value, raws=()):
        out = io.BytesIO()
        runner.serve(guest, typed_batch((list(raws), {"fn": fn, "args": args,
                                                       "probe": {"arg": arg, "value": value}})), out)
        answers = typed_answers(out.getvalue())
        self.assertEqual(answers[-1], ([], {"end": 0}))
        return answers[0]

    def test_each_value_form_is_passed_as_a_python_value_unchecked(self):
        guest = typed_guest()
        for value, expected in [
            ({"int": "4294967296"}, 4294967296),
            ({"int": "-1"}, -1),
            ({"int": "18446744073709551616"}, 1 << 64),
            ({"float": 1.5}, 1.5),
            ({"code-points": [97, 55296, 98]}, "a\ud800b"),
            ({"code-points": [128512]}, "\U0001f600"),
            ({"flags": ["read", "no-such-flag"]}, {"read", "no-such-flag"}),
            ({"enum": "no-such-case"}, "no-such-case"),
        ]:
            with self.subTest(value):
                guest.received.clear()
                self.probe(guest, "sink", [0], 0, value)
                self.assertEqual(guest.received, [expected])
                self.assertIs(type(guest.received[0]), type(expected))

    def test_the_other_arguments_are_lowered_as_usual_and_the_probed_ones_raw_strings_taken(self):
        guest = typed_guest()
        answer = self.probe(guest, ECHO_FN, [[{"s": None, "n": 1}], None], 0, {"int": "5"}, raws=["x"])
        self.assertEqual(guest.received, [(5, None)])
        # The fake echo cannot iterate an int: any exception but a trap is
        # the component's API refusing the value.
        self.assertEqual(answer, ([], {"outcome": "rejected", "value": "TypeError: 'int' object is not iterable"}))
        answer = self.probe(guest, ECHO_FN, [[], None], 1, {"code-points": [104, 105]})
        self.assertEqual(answer, (["hi"], {"outcome": "returned", "value": [[], {"some": None}]}))

    def test_outcomes(self):
        guest = typed_guest()
        self.assertEqual(self.probe(guest, "sink", [0], 0, {"float": 1.5}),
                         ([], {"outcome": "rejected", "value": "TypeError: expected int for U32 type"}))
        self.assertEqual(guest.n_instances, 1)
        self.assertEqual(self.probe(guest, "perms", [[]], 0, {"flags": ["read", "no-such-flag"]}),
                         ([], {"outcome": "rejected", "value": "WasmtimeError: unknown flag: `no-such-flag`"}))
        # wasmtime leaves an instance that refused a value unable to be
        # entered again.
        self.assertEqual(guest.n_instances, 2)
        self.assertEqual(self.probe(guest, "sink", [0], 0, {"int": "7"}),
                         ([], {"outcome": "trap", "value": "wasm trap: unreachable"}))
        self.assertEqual(self.probe(guest, "sink", [0], 0, {"int": "9"}),
                         ([], {"outcome": "trap", "value": "capability denied: wasi:cli/stdout#get-stdout"}))
        self.assertEqual(guest.n_instances, 4)
        self.assertEqual(self.probe(guest, "perms", [[]], 0, {"flags": ["write"]}),
                         ([], {"outcome": "returned", "value": ["write"]}))
        self.assertEqual(self.probe(guest, "sink", [0], 0, {"int": "-1"}), ([], {"outcome": "returned"}))

    def test_a_call_without_a_probe_is_never_rejected(self):
        guest = typed_guest()
        guest._functions["perms"] = lambda _store, _flags: (_ for _ in ()).throw(TypeError("no"))
        out = io.BytesIO()
        runner.serve(guest, typed_batch(([], {"fn": "perms", "args": [["read"]]})), out)
        self.assertEqual(typed_answers(out.getvalue())[0][1]["outcome"], "trap")

    def test_a_malformed_probe_is_a_protocol_error(self):
        for probe in [
            {"arg": 1, "value": {"int": "1"}},
            {"arg": -1, "value": {"int": "1"}},
            {"arg": True, "value": {"int": "1"}},
            {"arg": "0", "value": {"int": "1"}},
            {"value": {"int": "1"}},
            {"arg": 0, "value": {"int": "1"}, "extra": 1},
            {"arg": 0, "value": {"bigint": "1"}},
            {"arg": 0, "value": {"int": "1", "float": 1.0}},
            {"arg": 0, "value": {}},
            {"arg": 0, "value": "1"},
            {"arg": 0, "value": {"int": 1}},
            {"arg": 0, "value": {"int": "1.5"}},
            {"arg": 0, "value": {"int": " 1"}},
            {"arg": 0, "value": {"float": "1.5"}},
            {"arg": 0, "value": {"float": True}},
            {"arg": 0, "value": {"code-points": [1114112]}},
            {"arg": 0, "value": {"code-points": [-1]}},
            {"arg": 0, "value": {"code-points": "a"}},
            {"arg": 0, "value": {"flags": "read"}},
            {"arg": 0, "value": {"flags": [1]}},
            {"arg": 0, "value": {"enum": 1}},
            None,
            [0, {"int": "1"}],
        ]:
            guest = typed_guest()
            with self.subTest(probe), self.assertRaisesRegex(runner.ProtocolError, "the probe of a call of sink"):
                runner.serve(guest, typed_batch(([], {"fn": "sink", "args": [0], "probe": probe})), io.BytesIO())
            self.assertEqual(guest.received, [])

    def test_what_was_answered_before_a_probe_is_flushed_before_it_runs(self):
        # wasmtime may abort the process on a probe: the answers before it
        # must be out by then, even in the probe's own batch.
        guest = typed_guest()
        out = RecordingOut()
        seen = []
        sink = guest._functions["sink"]

        def watching_sink(store, x):
            seen.append(out.flushed)
            return sink(store, x)

        guest._functions["sink"] = watching_sink
        data = (json.dumps({"batch": 0, "calls": 1}) + "\n" + json.dumps({"fn": "sink", "args": [1]}) + "\n"
                + json.dumps({"batch": 1, "calls": 2}) + "\n" + json.dumps({"fn": "sink", "args": [2]}) + "\n"
                + json.dumps({"fn": "sink", "args": [0], "probe": {"arg": 0, "value": {"int": "3"}}}) + "\n")
        runner.serve(guest, io.BytesIO(data.encode()), out)
        self.assertEqual([len(typed_answers(flushed)) for flushed in seen], [0, 2, 3])
        self.assertEqual([answer for _raws, answer in typed_answers(seen[2])],
                         [{"outcome": "returned"}, {"end": 0}, {"outcome": "returned"}])
        self.assertEqual(len(typed_answers(out.getvalue())), 5)


SCALARS = "witness:all-types/scalars@0.1.0"
VARIANTS = "witness:all-types/variants@0.1.0"
WIDE_TYPES = ["u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64", "f32", "f64", "char", "bool", "string",
              {"list": "u8"}, {"option": "u32"}]
ECHO_WIDE = {"interface": SCALARS, "name": "echo-wide",
             "params": [{"name": name, "type": type_} for name, type_ in zip("abcdefghijklmno", WIDE_TYPES)],
             "result": {"tuple": WIDE_TYPES}}
FLAGS_TYPES = [{"flags": ["a0"]}, {"flags": [f"b{index}" for index in range(8)]},
               {"flags": ["read", "write", "exec", "admin", "owner", "group", "other", "sticky", "setuid"]},
               {"flags": [f"d{index}" for index in range(16)]}, {"flags": [f"e{index}" for index in range(17)]},
               {"flags": [f"g{index}" for index in range(32)]}]
ECHO_FLAGS = {"interface": VARIANTS, "name": "echo-flags",
              "params": [{"name": name, "type": type_} for name, type_ in zip("abcdef", FLAGS_TYPES)],
              "result": {"tuple": FLAGS_TYPES}}
COLOR = {"enum": ["red", "green", "blue"]}
NEXT_COLOR = {"interface": VARIANTS, "name": "next-color", "params": [{"name": "c", "type": COLOR}], "result": COLOR}
# A valid value of every parameter of echo-wide, and what it returns for them.
WIDE_ARGS = [0, 0, 0, "0", 0, 0, 0, "0", 0.0, 0.0, "a", False, "", [], None]


@unittest.skipIf(wasmtime is None, "wasmtime-py is not installed (use target/witness/venv/bin/python)")
@unittest.skipUnless(os.path.exists(ALL_TYPES_RUST), f"{ALL_TYPES_RUST} is not built (cargo xtask builds it)")
class ComponentProbeTest(unittest.TestCase):
    """Probe lines through runner.serve to the all-types contract's Rust
    guest in wasmtime-py: what wasmtime-py 50 does with each value."""

    @classmethod
    def setUpClass(cls):
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        with handle:
            json.dump({"functions": [ECHO_WIDE, ECHO_FLAGS, NEXT_COLOR]}, handle)
        cls.addClassCleanup(os.unlink, handle.name)
        cls.guest = runner.Guest(runner.Settings(ALL_TYPES_RUST, 2_000_000_000, 256 << 20, None, [], handle.name))
        cls.batch = 0

    def serve(self, *calls):
        """Answers one batch of (raw strings, call object): (raws, outcome) each."""
        out = io.BytesIO()
        data = json.dumps({"batch": self.batch, "calls": len(calls)}).encode() + b"\n"
        for raws, call in calls:
            data += b"".join(raw(text) for text in raws) + json.dumps(call, ensure_ascii=False).encode() + b"\n"
        runner.serve(self.guest, io.BytesIO(data), out)
        answers = typed_answers(out.getvalue())
        self.assertEqual(answers.pop(), ([], {"end": self.batch}))
        type(self).batch += 1
        return answers

    def probe(self, key, args, arg, value):
        [answer] = self.serve(([], {"fn": key, "args": args, "probe": {"arg": arg, "value": value}}))
        return answer

    def wide(self, arg, value):
        return self.probe(f"{SCALARS}#echo-wide", WIDE_ARGS, arg, value)

    def assert_usable(self):
        """A plain call still works: a rejected probe left no broken instance."""
        args = list(WIDE_ARGS)
        args[0] = 9
        self.assertEqual(self.serve(([], {"fn": f"{SCALARS}#echo-wide", "args": args}))[0][1]["value"][0], 9)

    def test_the_signatures_are_the_contracts(self):
        self.assertEqual([exported.signature for exported in self.guest.exported.values()],
                         [ECHO_WIDE, ECHO_FLAGS, NEXT_COLOR])

    def test_integers_out_of_range_reach_the_guest_wrapped(self):
        # The identity shows what the guest received; every other argument
        # was lowered as usual.
        for arg, value, received in [
            (0, "256", 0), (0, "-1", 255), (5, "40000", -25536), (2, "4294967296", 0),
            (3, "-1", "18446744073709551615"), (3, "18446744073709551616", "0"),
            (7, "9223372036854775808", "-9223372036854775808"),
        ]:
            with self.subTest(arg=arg, value=value):
                raws, outcome = self.wide(arg, {"int": value})
                expected = list(WIDE_ARGS)
                expected[arg] = received
                expected[12] = None  # the string, answered raw
                self.assertEqual((raws, outcome), ([""], {"outcome": "returned", "value": expected}))

    def test_the_probed_arguments_raw_string_is_taken_and_the_others_are_lowered(self):
        args = list(WIDE_ARGS)
        args[1], args[12], args[14] = 65535, None, {"some": 4}
        [(raws, outcome)] = self.serve((["unused"], {"fn": f"{SCALARS}#echo-wide", "args": args,
                                                     "probe": {"arg": 12, "value": {"code-points": [104, 128512]}}}))
        self.assertEqual(raws, ["h😀"])
        self.assertEqual(outcome["outcome"], "returned")
        self.assertEqual((outcome["value"][1], outcome["value"][14]), (65535, {"some": 4}))

    def test_values_wasmtime_py_refuses_are_rejected(self):
        cases = [
            (lambda: self.wide(0, {"float": 1.5}), "TypeError: expected int for U8 type"),
            (lambda: self.wide(11, {"int": "2"}), "TypeError: expected bool for Bool type"),
            (lambda: self.wide(10, {"code-points": [97, 98]}),
             "TypeError: expected single-character string for Char type"),
            (lambda: self.wide(12, {"code-points": [97, 55296, 98]}),
             "UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position 1: "
             "surrogates not allowed"),
            (lambda: self.probe(f"{VARIANTS}#echo-flags", [[], [], [], [], [], []], 2,
                                {"flags": ["read", "no-such-flag"]}),
             "WasmtimeError: unknown flag: `no-such-flag`"),
            (lambda: self.probe(f"{VARIANTS}#next-color", ["red"], 0, {"enum": "no-such-case"}),
             "WasmtimeError: enum variant name `no-such-case` is not valid"),
        ]
        for send, message in cases:
            with self.subTest(message):
                self.assertEqual(send(), ([], {"outcome": "rejected", "value": message}))
                self.assert_usable()

    def test_valid_flags_and_enum_cases_go_through(self):
        raws, outcome = self.probe(f"{VARIANTS}#echo-flags", [[], [], [], [], [], []], 2,
                                   {"flags": ["write", "read"]})
        self.assertEqual(outcome, {"outcome": "returned", "value": [[], [], ["read", "write"], [], [], []]})
        self.assertEqual(self.probe(f"{VARIANTS}#next-color", ["red"], 0, {"enum": "blue"}),
                         ([], {"outcome": "returned", "value": "red"}))

    def test_a_probe_whose_call_traps_is_a_trap(self):
        settings = self.guest._settings
        fuel = settings.fuel_per_call
        settings.fuel_per_call = 5
        try:
            raws, outcome = self.wide(0, {"int": "256"})
        finally:
            settings.fuel_per_call = fuel
        self.assertEqual((raws, outcome),
                         ([], {"outcome": "trap", "value": "wasm trap: all fuel consumed by WebAssembly"}))
        self.assert_usable()

    def test_a_malformed_probe_is_a_protocol_error(self):
        for probe in [{"arg": 15, "value": {"int": "0"}}, {"arg": 0, "value": {"bigint": "0"}}]:
            with self.subTest(probe), self.assertRaisesRegex(runner.ProtocolError, "the probe of a call of"):
                self.serve(([], {"fn": f"{SCALARS}#echo-wide", "args": WIDE_ARGS, "probe": probe}))
        self.assert_usable()


class FunctionsFileTest(unittest.TestCase):
    def write(self, document):
        handle = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        with handle:
            json.dump(document, handle)
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def test_the_flag_selects_protocol_2(self):
        self.assertIsNone(runner.parse_args(["guest.wasm"]).functions)
        settings = runner.parse_args(["guest.wasm", "--functions", "f.json", "--fuel-per-call", "5"])
        self.assertEqual((settings.functions, settings.fuel_per_call), ("f.json", 5))

    def test_a_file_is_read_and_checked(self):
        self.assertEqual(runner.load_functions(self.write({"functions": [ECHO, SINK]})), [ECHO, SINK])
        self.assertEqual(runner.load_functions(self.write({"functions": []})), [])
        for bad in ([ECHO], {"functions": [{"name": "f", "params": []}]},
                    {"functions": [{"interface": 1, "name": "f", "params": [], "result": None}]},
                    {"functions": [{"interface": None, "name": "f", "params": [{"type": "u8"}], "result": None}]}):
            with self.subTest(bad), self.assertRaises(ValueError):
                runner.load_functions(self.write(bad))


class TrapMessageTest(unittest.TestCase):
    def test_keeps_the_root_cause_without_the_backtrace(self):
        error = Exception(
            "error while executing at wasm backtrace:\n    0:   0x1bf8 - guest.wasm!check\n\n"
            "Caused by:\n    wasm trap: all fuel consumed by WebAssembly\n"
        )
        self.assertEqual(runner.trap_message(error), "wasm trap: all fuel consumed by WebAssembly")

    def test_plain_message(self):
        self.assertEqual(runner.trap_message(Exception("wasm trap: cannot enter component instance")),
                         "wasm trap: cannot enter component instance")


if __name__ == "__main__":
    unittest.main()
