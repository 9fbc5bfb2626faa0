"""What the python host costs beyond its protocol: compiling a component
with wasmtime-py, loading it from the compiled cache, and instantiating it
again, as hosts/python/runner.py does after a trap.  Usage::

    python wasmtime_probe.py COMPONENT --compiles N --loads N --iterations N

It uses the runner's own `Guest`, so that it measures the host's code with
the host's settings (fuel and memory limits on).  Prints one JSON line with
samples in nanoseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from importlib import metadata
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "hosts", "python"))

import runner  # noqa: E402  (the path above makes it importable)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="wasmtime_probe.py")
    parser.add_argument("component")
    parser.add_argument("--compiles", type=int, default=3)
    parser.add_argument("--loads", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args(argv)

    import wasmtime
    from wasmtime import component

    with tempfile.TemporaryDirectory(prefix="witness-bench-") as scratch:
        cache = os.path.join(scratch, "compiled.cwasm")
        settings = runner.Settings(args.component, 2_000_000_000, 256 << 20, cache)
        # The first Guest compiles the component and writes the cache file.
        guest = runner.Guest(settings)
        engine = guest._engine

        compile_ns = []
        for _ in range(args.compiles):
            started = time.perf_counter_ns()
            component.Component.from_file(engine, args.component)
            compile_ns.append(time.perf_counter_ns() - started)

        load_ns = []
        for _ in range(args.loads):
            started = time.perf_counter_ns()
            component.Component.deserialize_file(engine, cache)
            load_ns.append(time.perf_counter_ns() - started)

        # Replacing the instance is what the runner does after a trap: a new
        # store with WASI, limits and fuel, then instantiate and look up the
        # exports.
        for _ in range(5):
            guest._instantiate()
        instantiate_ns = []
        for _ in range(args.iterations):
            started = time.perf_counter_ns()
            guest._instantiate()
            instantiate_ns.append(time.perf_counter_ns() - started)

    print(json.dumps({
        "runtime": f"wasmtime-py {metadata.version('wasmtime')}",
        "compile_ns": compile_ns,
        "load_ns": load_ns,
        "instantiate_ns": instantiate_ns,
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
