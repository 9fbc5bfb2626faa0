"""The Python baseline of `cargo xtask bench`: json.loads + json.dumps.

It formats the document with indent 2 (and ensure_ascii off, so that
non-ASCII text is copied as the contract does), timed call by call, in the
same shape as bench/go-native.  Usage::

    python json_baseline.py --doc FILE --calls N [--warmup N]

Prints one JSON line: the runtime, the first call's time, every sample in
nanoseconds, the output's length and the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time

from common import peak_resident_kib


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="json_baseline.py")
    parser.add_argument("--doc", required=True)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    args = parser.parse_args(argv)
    with open(args.doc, encoding="utf-8") as file:
        doc = file.read()

    def format_once() -> str:
        return json.dumps(json.loads(doc), indent=2, ensure_ascii=False)

    started = time.perf_counter_ns()
    output = format_once()
    first_call_ns = time.perf_counter_ns() - started
    for _ in range(args.warmup):
        format_once()
    samples_ns = []
    for _ in range(args.calls):
        started = time.perf_counter_ns()
        format_once()
        samples_ns.append(time.perf_counter_ns() - started)
    print(json.dumps({
        "runtime": f"python {platform.python_version()} json.loads+json.dumps",
        "first_call_ns": first_call_ns,
        "samples_ns": samples_ns,
        "output_bytes": len(output.encode("utf-8")),
        "vmhwm_kib": peak_resident_kib(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
