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


def request(*batches):
    lines = []
    for batch_id, calls in enumerate(batches):
        lines.append(json.dumps({"batch": batch_id, "calls": len(calls)}))
        lines.extend(json.dumps({"fn": "minify", "input": text}, ensure_ascii=False) for text in calls)
    return io.BytesIO(("\n".join(lines) + "\n").encode())


class ServeTest(unittest.TestCase):
    def test_answers_each_call_then_the_end_line(self):
        out = io.BytesIO()
        runner.serve(FakeGuest(), request(["[1]", "trap", "é😀\n"], ["err"]), out)
        answers = [json.loads(line) for line in out.getvalue().decode().splitlines()]
        self.assertEqual(answers, [
            {"outcome": "ok", "value": "[1]"},
            {"outcome": "trap", "value": "unreachable"},
            {"outcome": "ok", "value": "é😀\n"},
            {"end": 0},
            {"outcome": "err", "value": "at byte 0: err"},
            {"end": 1},
        ])

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
