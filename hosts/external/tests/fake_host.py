"""A fake host process for the tests of witness-host-external.

Usage: fake_host.py MODE COMPONENT [--fuel-per-call N] [--memory-bytes N]

It speaks the witness host protocol (docs/host-protocol.md) well or badly,
depending on MODE:

- `echo`: answers `ok` with the call's input, `err` for the input `err`,
  and `trap` for the input `trap`; the ready line echoes the limits.
- `not-ready`: prints a `"ready": false` line and exits 1.
- `silent`: prints nothing and waits forever.
- `garbage`: answers the first call with a line that is not JSON.
- `chatty`: prints a log line on stdout before the ready line.
- `crash`: answers the first call of a batch, writes to stderr, and exits 3.
- `hang`: answers one call, then sleeps without answering the rest.
- `child-hang`: starts a grandchild that sleeps, reports its pid in the
  ready line's `runtime`, and hangs on the first batch.
- `wrong-end`: ends each batch with the wrong batch id.
- `raw-echo`: as `echo`, but says `"raw-strings": true`, reads inputs as
  raw strings and answers every other outcome with a raw string.
- `bad-raw`: says `"raw-strings": true` and answers the first call with a
  raw string whose bytes are not followed by a newline.
- `typed-echo`: protocol 2 with raw strings, given `--functions FILE`: its
  ready line lists the file's functions; a call's first argument (a string)
  comes back as `ok`, raw, or as `err` for `err` and a trap for `trap`.
- `typed-mistyped`: as `typed-echo`, but the ready line says the first
  function returns `result<u8, string>`.
- `typed-missing`: as `typed-echo`, but the ready line lists no functions.
"""

import json
import os
import subprocess
import sys
import time


def out(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    mode = sys.argv[1]
    args = sys.argv[3:]
    limits = {"fuel-per-call": None, "memory-bytes": None}
    for flag, key in (("--fuel-per-call", "fuel-per-call"), ("--memory-bytes", "memory-bytes")):
        if flag in args:
            limits[key] = int(args[args.index(flag) + 1])
    runtime = "fake"
    if mode.startswith("typed-"):
        return typed(mode, args)
    if mode == "not-ready":
        print("could not parse the component", file=sys.stderr)
        out({"ready": False, "host": "fake", "error": "no such export"})
        return 1
    if mode == "silent":
        time.sleep(3600)
        return 0
    if mode == "chatty":
        print("loading the guest...", flush=True)
    if mode == "child-hang":
        child = subprocess.Popen(["sleep", "3600"])
        runtime = f"child {child.pid}"
    raw = mode in ("raw-echo", "bad-raw")
    ready = {"ready": True, "host": "fake", "runtime": runtime, "limits": limits}
    if raw:
        ready["raw-strings"] = True
    out(ready)
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        header_line = stdin.readline()
        if not header_line:
            return 0
        header = json.loads(header_line)
        for call_idx in range(header["calls"]):
            line = stdin.readline()
            if raw:
                assert line.startswith(b"#"), line
                data = stdin.read(int(line[1:]) + 1)
                call = json.loads(stdin.readline())
                assert "input" not in call, call
                call["input"] = data[:-1].decode()
            else:
                call = json.loads(line)
            if mode == "bad-raw":
                stdout.write(b"#3\nabcX")
                stdout.flush()
                time.sleep(3600)
            if raw and call_idx % 2 == 0 and call["input"] not in ("trap", "err"):
                data = call["input"].encode()
                stdout.write(b"#%d\n%s\n{\"outcome\": \"ok\"}\n" % (len(data), data))
                stdout.flush()
                continue
            if mode == "garbage":
                sys.stdout.write("this is not a protocol line\n")
                sys.stdout.flush()
                time.sleep(3600)
            if mode == "crash" and call_idx == 1:
                print("fake host: something broke inside", file=sys.stderr, flush=True)
                os._exit(3)
            if mode in ("hang", "child-hang") and call_idx == 1:
                time.sleep(3600)
            text = call["input"]
            if text == "trap":
                out({"outcome": "trap", "value": "unreachable"})
            elif text == "err":
                out({"outcome": "err", "value": "at byte 0: err"})
            else:
                out({"outcome": "ok", "value": text})
        out({"end": header["batch"] + (1 if mode == "wrong-end" else 0)})


def typed(mode, args):
    """Protocol 2 (docs/host-protocol.md, "Protocol 2")."""
    with open(args[args.index("--functions") + 1], encoding="utf-8") as file:
        functions = json.load(file)["functions"]
    reported = json.loads(json.dumps(functions))
    if mode == "typed-mistyped":
        reported[0]["result"] = {"result": {"ok": "u8", "err": "string"}}
    if mode == "typed-missing":
        reported = []
    out({"ready": True, "host": "fake", "runtime": "fake", "protocol": 2,
         "raw-strings": True, "functions": reported})
    stdin = sys.stdin.buffer
    stdout = sys.stdout.buffer
    while True:
        header_line = stdin.readline()
        if not header_line:
            return 0
        header = json.loads(header_line)
        for _ in range(header["calls"]):
            raws = []
            line = stdin.readline()
            while line.startswith(b"#"):
                raws.append(stdin.read(int(line[1:]) + 1)[:-1].decode())
                line = stdin.readline()
            call = json.loads(line)
            first = call["args"][0]
            text = raws.pop(0) if first is None else first
            assert not raws, raws
            if text == "trap":
                out({"outcome": "trap", "value": "unreachable"})
            elif text == "err":
                out({"outcome": "returned", "value": {"err": "at byte 0: err"}})
            else:
                data = text.encode()
                stdout.write(b'#%d\n%s\n{"outcome":"returned","value":{"ok":null}}\n' % (len(data), data))
                stdout.flush()
        out({"end": header["batch"]})


if __name__ == "__main__":
    sys.exit(main())
