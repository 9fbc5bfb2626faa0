"""Tests of runner.py's protocol framing and messages, without wasmtime.

Run with `python -m pytest hosts/python` or `python -m unittest discover hosts/python`.
"""

import io
import json
import unittest

import runner


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
