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
        if x == 7:
            raise FakeWasmtime.WasmtimeError("error while executing\n\nCaused by:\n    wasm trap: unreachable")

    def instantiate():
        guest.n_instances += 1

    guest._instantiate = instantiate
    guest.exported = {}
    guest._functions = {}
    for signature, func in ((ECHO, echo), (SINK, sink)):
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
