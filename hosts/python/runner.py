"""The python host of witness: runs one guest component in wasmtime-py.

It answers the witness host protocol (docs/host-protocol.md) on stdin and
stdout.  Usage::

    python runner.py COMPONENT [--fuel-per-call N] [--memory-bytes N]
                               [--allow-imports LIST] [--compiled-cache FILE]
                               [--functions FILE]

Each call gets `--fuel-per-call` fuel, and the instance's linear memory may
not grow past `--memory-bytes`, as in the wasmtime host.  A trap, including
running out of fuel, is a `trap` outcome; the instance is then replaced by a
fresh one.  `--allow-imports` lists the interfaces (without versions,
comma-separated) the guest may call: every function of every other import
traps with `capability denied: <interface>#<function>`.  `--compiled-cache`
names a file that holds the compiled component, so that a later start skips
compiling it.  `--functions` names the signatures of the functions to call
and switches the session to protocol 2 (typed calls of any exported
function); without it the session speaks protocol 1 (json-tools only).

A protocol-2 call line with a `probe` passes one argument's value to
wasmtime-py as a user would write it, without values.py's checks, and
answers `rejected` when wasmtime-py refuses it (docs/host-protocol.md,
"Probes: values outside their type").
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from typing import Any, BinaryIO, Optional

import values

HOST = "python"
INTERFACE = "example:json-tools/formatter@1.0.0"
# A composed pipeline's interface (contracts/json-pipeline/contract.md): a component that
# exports it answers `normalize` instead of `format` and `minify`.
PIPELINE_INTERFACE = "example:pipeline/normalizer@1.0.0"


class ProtocolError(Exception):
    """A request the runner cannot answer; the process exits with status 2."""


@dataclass
class Settings:
    """What the harness passed on the command line."""

    component: str
    fuel_per_call: Optional[int]
    memory_bytes: Optional[int]
    compiled_cache: Optional[str]
    # None: the flag was not given, and every WASI interface is linked.
    allow_imports: Optional[list[str]] = None
    # None: protocol 1.  Otherwise the `--functions` file, and protocol 2.
    functions: Optional[str] = None


def parse_args(argv: list[str]) -> Settings:
    """Parses the command line; argparse exits with status 2 on bad flags."""
    parser = argparse.ArgumentParser(prog="runner.py", description=__doc__.splitlines()[0])
    parser.add_argument("component")
    parser.add_argument("--fuel-per-call", type=int, default=None)
    parser.add_argument("--memory-bytes", type=int, default=None)
    parser.add_argument("--compiled-cache", default=None)
    parser.add_argument("--allow-imports", default=None)
    parser.add_argument("--functions", default=None)
    args = parser.parse_args(argv)
    allow_imports = None
    if args.allow_imports is not None:
        allow_imports = [name for name in args.allow_imports.split(",") if name]
    return Settings(args.component, args.fuel_per_call, args.memory_bytes, args.compiled_cache, allow_imports,
                    args.functions)


def load_functions(path: str) -> list[dict]:
    """The signatures of a `--functions` file (docs/host-protocol.md, "The
    functions"); a ValueError says what is wrong with it."""
    with open(path, encoding="utf-8") as file:
        document = json.load(file)
    functions = document.get("functions") if isinstance(document, dict) else None
    if not isinstance(functions, list):
        raise ValueError(f'{path}: expected {{"functions": [...]}}')
    for index, function in enumerate(functions):
        if not isinstance(function, dict) or not isinstance(function.get("name"), str) \
                or not (function.get("interface") is None or isinstance(function["interface"], str)) \
                or not isinstance(function.get("params"), list) or "result" not in function \
                or not all(isinstance(param, dict) and isinstance(param.get("name"), str) and "type" in param
                           for param in function["params"]):
            raise ValueError(f"{path}: function {index} is not "
                             '{"interface": I, "name": N, "params": [{"name": N, "type": T}, ...], "result": T}')
    return functions


def unversioned(name: str) -> str:
    """`wasi:cli/stderr@0.2.6` without its `@0.2.6`."""
    return name.split("@", 1)[0]


def deny_imports(linker: Any, engine: Any, component: Any, allowed: list[str]) -> None:
    """Makes every function of every import not in `allowed` trap.

    The linker already holds all of WASI (`add_wasip2`), so a denied
    interface's functions are shadowed by stubs under the import's own name.
    A resource that a denied interface introduces gets a placeholder type
    (the same one for every alias of it, so that they agree), since no call
    can make one; a resource that an allowed interface introduced is left as
    WASI defines it.
    """
    import wasmtime
    from wasmtime import component as wasm_component

    linker.allow_shadowing = True
    allowed_resources: list = []
    placeholders: list = []  # (the component's resource type, its placeholder)
    with linker.root() as root:
        for name, extern in component.type.imports(engine).items():
            item = extern.ty
            if not isinstance(item, wasm_component.ComponentInstanceType):
                continue
            exports = item.exports(engine)
            if unversioned(name) in allowed:
                allowed_resources.extend(e.ty for e in exports.values()
                                         if isinstance(e.ty, wasm_component.ResourceType))
                continue
            with root.add_instance(name) as instance:
                for export, export_extern in exports.items():
                    export_type = export_extern.ty
                    if isinstance(export_type, wasm_component.FuncType):
                        instance.add_func(export, denied_function(f"{name}#{export}", wasmtime))
                    elif isinstance(export_type, wasm_component.ResourceType):
                        if any(export_type == seen for seen in allowed_resources):
                            continue
                        placeholder = next((host for seen, host in placeholders if seen == export_type), None)
                        if placeholder is None:
                            placeholder = wasm_component.ResourceType.host(len(placeholders) + 1)
                            placeholders.append((export_type, placeholder))
                        instance.add_resource(export, placeholder, lambda _store, _rep: None)


def denied_function(qualified_name: str, wasmtime: Any) -> Any:
    """A host function that traps, naming the import it stands for."""

    def deny(_store: Any, *_args: Any) -> None:
        raise wasmtime.WasmtimeError(f"capability denied: {qualified_name}")

    return deny


def trap_message(error: BaseException) -> str:
    """The root cause of a wasmtime error, without the wasm backtrace.

    wasmtime prints `error while executing at wasm backtrace: ...` and then
    `Caused by:` and the cause; the cause is what a person needs, and it does
    not change with the guest's function names.
    """
    text = str(error).strip()
    marker = "Caused by:"
    if marker in text:
        text = text.rsplit(marker, 1)[1].strip()
    return text.splitlines()[0].strip() if text else type(error).__name__


@dataclass
class Exported:
    """A function of the `--functions` file that the component exports, as
    wasmtime-py sees it, with its converters compiled once."""

    key: str  # `interface#name`, or `name`
    signature: dict  # its entry of the ready line
    params: list[values.Decoder]
    result: Optional[values.Encoder]  # None: the function returns nothing


class Guest:
    """One component, with an instance that is replaced after every trap."""

    def __init__(self, settings: Settings) -> None:
        import wasmtime
        from wasmtime import component

        self._wasmtime = wasmtime
        self._component_api = component
        self._settings = settings
        # Protocol 2: the file's functions, and (after the first instance)
        # those of them that the component exports, by wire key.
        self.protocol = 1 if settings.functions is None else 2
        self._wanted = None if settings.functions is None else load_functions(settings.functions)
        self.exported: dict[str, Exported] = {}
        config = wasmtime.Config()
        config.consume_fuel = settings.fuel_per_call is not None
        self._engine = wasmtime.Engine(config)
        self._component = self._load_component()
        self._linker = component.Linker(self._engine)
        # A guest that imports WASI gets an implementation of it with no
        # preopens, environment or arguments; one that imports nothing is
        # not affected.  What it was not granted traps.
        self._linker.add_wasip2()
        if settings.allow_imports is not None:
            deny_imports(self._linker, self._engine, self._component, settings.allow_imports)
        self.n_instances = 0
        self._guest_stderr = GuestStderr()
        self._instantiate()

    def _load_component(self) -> Any:
        component = self._component_api.Component
        cache = self._settings.compiled_cache
        if cache is not None and os.path.exists(cache):
            try:
                return component.deserialize_file(self._engine, cache)
            except self._wasmtime.WasmtimeError as error:
                # A file compiled by another version or with other settings
                # is not usable; compile again and overwrite it.
                print(f"runner.py: ignoring {cache}: {trap_message(error)}", file=sys.stderr)
        compiled = component.from_file(self._engine, self._settings.component)
        if cache is not None:
            temporary = f"{cache}.{os.getpid()}.tmp"
            with open(temporary, "wb") as file:
                file.write(compiled.serialize())
            os.replace(temporary, cache)
        return compiled

    def _instantiate(self) -> None:
        wasmtime = self._wasmtime
        store = wasmtime.Store(self._engine)
        wasi = wasmtime.WasiConfig()
        # The real stdout is the protocol's; fd 1 is stderr by now (see
        # main), so inheriting it sends the guest's output (if it was granted
        # stdio) to stderr, where the harness keeps it for reports.  Its
        # stderr also goes there, through a tail kept for trap messages.
        wasi.inherit_stdout()
        wasi.stderr_custom = self._guest_stderr.write
        store.set_wasi(wasi)
        if self._settings.memory_bytes is not None:
            store.set_limits(memory_size=self._settings.memory_bytes)
        if self._settings.fuel_per_call is not None:
            store.set_fuel(self._settings.fuel_per_call)
        instance = self._linker.instantiate(store, self._component)
        if self._wanted is not None:
            self._functions = self._find_wanted(instance, store)
            self._store = store
            self.n_instances += 1
            return
        exported, names = PIPELINE_INTERFACE, ("normalize",)
        interface = instance.get_export_index(store, PIPELINE_INTERFACE)
        if interface is None:
            exported, names = INTERFACE, ("format", "minify")
            interface = instance.get_export_index(store, INTERFACE)
        if interface is None:
            raise RuntimeError(f"the component exports neither {INTERFACE} nor {PIPELINE_INTERFACE}")
        functions = {}
        for name in names:
            index = instance.get_export_index(store, name, interface)
            func = instance.get_func(store, index) if index is not None else None
            if func is None:
                raise RuntimeError(f"{exported} has no function {name}")
            functions[name] = func
        for func in functions.values():
            memoize_signature(func, store)
        self._store = store
        self._functions = functions
        self.n_instances += 1

    def _find_wanted(self, instance: Any, store: Any) -> dict:
        """The file's functions that this instance exports, by wire key.

        On the first instance their signatures are read from wasmtime-py
        (`Func.type`), for the ready line and for the converters: the values
        are converted by the types wasmtime-py will lower and lift them by,
        and if those differ from the file's, the harness fails the load on
        the ready line's types anyway.  A function the component does not
        export is left out (the harness reports it).
        """
        functions = {}
        first = self.n_instances == 0
        for wanted in self._wanted:
            key = values.function_key(wanted["interface"], wanted["name"])
            if key in functions:
                continue
            func = values.find_function(instance, store, key)
            if func is None:
                continue
            memoize_signature(func, store)
            if first:
                self.exported[key] = compile_exported(key, values.wire_signature(
                    wanted["interface"], wanted["name"], func.type(store)))
            functions[key] = func
        return functions

    def call_typed(self, call: Any, raws: list[str]) -> tuple[dict, list[str]]:
        """Answers one protocol-2 call with an outcome object and the raw
        strings that go before its line.

        `raws` are the raw strings that came before the call line, for its
        `null` strings, in order; a line that leaves some unused or lacks
        some is a protocol error.  Every string of a `returned` value is
        answered as a raw string.
        """
        if not isinstance(call, dict) or not isinstance(call.get("fn"), str) or not isinstance(call.get("args"), list):
            raise ProtocolError(f'expected a call {{"fn": F, "args": [...]}}, got {json.dumps(call)[:200]}')
        key = call["fn"]
        fuel_calls = call.get("fuel-calls", 1)
        if not isinstance(fuel_calls, int) or isinstance(fuel_calls, bool) or fuel_calls < 1:
            raise ProtocolError(f"fuel-calls of a call of {key} is not a positive integer: {fuel_calls!r}")
        exported = self.exported.get(key)
        func = self._functions.get(key)
        if exported is None or func is None:
            # Which of the line's nulls are strings is unknown, so its raw
            # strings are not counted: the call cannot be made, which is the
            # guest's failure, not a broken request.
            return trap(f"the component does not export {key}")
        args = call["args"]
        if len(args) != len(exported.params):
            return trap(f"{key} takes {len(exported.params)} arguments, got {len(args)}")
        probe = probe_of(call, key, len(args))
        taken = 0

        def take_raw() -> str:
            nonlocal taken
            if taken >= len(raws):
                raise ProtocolError(f"the call of {key} has more null strings than the {len(raws)} raw strings before it")
            taken += 1
            return raws[taken - 1]

        try:
            arguments = [decode(arg, take_raw) for decode, arg in zip(exported.params, args)]
        except values.LowerError as error:
            return trap(f"wasmtime-py cannot lower an argument of {key}: {error}")
        if taken != len(raws):
            raise ProtocolError(f"the call of {key} leaves {len(raws) - taken} of its {len(raws)} raw strings unused")
        if self._settings.fuel_per_call is not None:
            self._store.set_fuel(self._settings.fuel_per_call * fuel_calls)
        self._guest_stderr.clear()
        if probe is not None:
            # The probed argument's valid value was decoded above only to
            # take its raw strings; the probe's value replaces it unchecked.
            index, value = probe
            arguments[index] = value
            return self._call_probe(key, exported, func, arguments)
        try:
            result = func(self._store, *arguments)
        except self._wasmtime.WasmtimeError as error:
            message = trap_message(error) + self._guest_stderr.describe()
            # A trapped instance cannot be entered again.
            self._instantiate()
            return trap(message)
        except (TypeError, ValueError, AttributeError, OverflowError) as error:
            # wasmtime-py's own conversion refused a value (values.py lets
            # through only what it should take, so this is a gap there).
            return trap(f"wasmtime-py cannot convert a value of {key}: {type(error).__name__}: {error}")
        return returned(key, exported, result)

    def _call_probe(self, key: str, exported: Exported, func: Any, arguments: list) -> tuple[dict, list[str]]:
        """Calls `func` with a probe's value among `arguments`, as a user of
        wasmtime-py would (docs/host-protocol.md, "Probes").

        wasmtime-py 50 never raises `wasmtime.Trap` from a component call:
        a guest trap and wasmtime's own refusal of a value while lowering it
        (an unknown flag or enum case) are both a `WasmtimeError`.  A trap's
        text says it happened in wasm (`wasm trap: ...`, or the `wasm
        backtrace` of an error a host function raised there); any other
        exception, from wasmtime-py's Python conversion (`TypeError`,
        `UnicodeEncodeError`, ...) or from wasmtime's lowering, is a
        refusal before the guest ran: `rejected`.  Either `WasmtimeError`
        leaves the instance unable to be entered again, so it is replaced.
        A `char` in the surrogate range makes wasmtime abort the process;
        serve() has flushed every earlier answer by then.
        """
        try:
            result = func(self._store, *arguments)
        except self._wasmtime.WasmtimeError as error:
            text = str(error)
            self._instantiate()
            if "wasm trap" in text or "wasm backtrace" in text:
                return trap(trap_message(error) + self._guest_stderr.describe())
            return rejected(error)
        except Exception as error:  # noqa: BLE001 - any refusal of the API is the observation
            return rejected(error)
        return returned(key, exported, result)

    def call(self, call: dict) -> dict:
        """Answers one call with an outcome object of the protocol."""
        function = call.get("fn") if isinstance(call, dict) else None
        if function == "format":
            options = call.get("options")
            record = None
            if options is not None:
                record = self._component_api.Record()
                setattr(record, "indent", options["indent"])
                setattr(record, "sort-keys", options["sort-keys"])
            arguments: tuple = (call["input"], record)
        elif function in ("minify", "normalize"):
            arguments = (call["input"],)
        else:
            raise ProtocolError(f"unknown function {function!r}")
        func = self._functions.get(function)
        if func is None:
            # The component is of the other world: the call cannot be made,
            # which is the guest's failure, not a broken request.
            return {"outcome": "trap", "value": f"the component does not export {function}"}
        if self._settings.fuel_per_call is not None:
            # `normalize` makes five formatter calls inside the component
            # (contracts/json-pipeline/contract.md), so it gets five calls' fuel, as
            # Call::fuel_calls says for the wasmtime host.
            calls = 5 if function == "normalize" else 1
            self._store.set_fuel(self._settings.fuel_per_call * calls)
        self._guest_stderr.clear()
        try:
            result = func(self._store, *arguments)
        except self._wasmtime.WasmtimeError as error:
            # wasmtime-py's memory limit makes `memory.grow` fail instead of
            # trapping, so a guest that runs out of memory says so only on
            # its stderr, before it aborts: the message includes that.
            message = trap_message(error) + self._guest_stderr.describe()
            # A trapped instance cannot be entered again.
            self._instantiate()
            return {"outcome": "trap", "value": message}
        tag = getattr(result, "tag", None)
        payload = getattr(result, "payload", None)
        if tag not in ("ok", "err") or not isinstance(payload, str):
            raise RuntimeError(f"unexpected result from {function}: {result!r}")
        return {"outcome": tag, "value": payload}


def trap(message: str) -> tuple[dict, list[str]]:
    """A protocol-2 `trap` outcome; its message goes in its line."""
    return {"outcome": "trap", "value": message}, []


def rejected(error: BaseException) -> tuple[dict, list[str]]:
    """A probe's `rejected` outcome: the exception's class and message."""
    message = trap_message(error) if str(error).strip() else ""
    name = type(error).__name__
    return {"outcome": "rejected", "value": f"{name}: {message}" if message else name}, []


def returned(key: str, exported: Exported, result: Any) -> tuple[dict, list[str]]:
    """A `returned` outcome with the lifted result, its strings raw."""
    if exported.result is None:
        return {"outcome": "returned"}, []
    pushed: list[str] = []
    try:
        value = exported.result(result, pushed.append)
    except values.LiftError as error:
        return trap(f"wasmtime-py lifted a value that {key}'s result type does not allow: {error}")
    return {"outcome": "returned", "value": value}, pushed


# A probe's integer: digits enough for any integer a probe needs, and within
# int()'s own limits.
_PROBE_INT = re.compile(r"-?[0-9]{1,100}")
_CODE_POINT_MAX = 0x10FFFF


def probe_of(call: dict, key: str, n_params: int) -> Optional[tuple[int, Any]]:
    """The probe of a call line (docs/host-protocol.md, "Probes: values
    outside their type"): the index of the probed argument and the Python
    value to pass in its place, as a user of wasmtime-py would write it,
    unchecked; None for a line without `probe`.  A malformed probe is a
    protocol error."""
    if "probe" not in call:
        return None
    probe = call["probe"]

    def malformed(why: str) -> ProtocolError:
        return ProtocolError(f"the probe of a call of {key} {why}: {json.dumps(probe)[:200]}")

    if not isinstance(probe, dict) or probe.keys() != {"arg", "value"}:
        raise malformed('is not {"arg": i, "value": V}')
    index = probe["arg"]
    if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < n_params:
        raise malformed(f"does not name one of its {n_params} arguments")
    form = probe["value"]
    if not isinstance(form, dict) or len(form) != 1:
        raise malformed("has no value of one form")
    kind, value = next(iter(form.items()))
    if kind == "int":
        if not isinstance(value, str) or not _PROBE_INT.fullmatch(value):
            raise malformed('has an "int" that is not a string of decimal digits')
        return index, int(value)
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise malformed('has a "float" that is not a number')
        try:
            return index, float(value)
        except OverflowError:
            raise malformed('has a "float" past the range of a float') from None
    if kind == "code-points":
        if not isinstance(value, list) or not all(
                isinstance(point, int) and not isinstance(point, bool) and 0 <= point <= _CODE_POINT_MAX
                for point in value):
            raise malformed('has "code-points" that are not a list of code points')
        # chr() of a surrogate is a lone surrogate in the str, as intended.
        return index, "".join(chr(point) for point in value)
    if kind == "flags":
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise malformed('has "flags" that are not a list of names')
        return index, set(value)
    if kind == "enum":
        if not isinstance(value, str):
            raise malformed('has an "enum" that is not a name')
        return index, value
    raise malformed(f"has a value of unknown form {kind!r}")


def compile_exported(key: str, signature: dict) -> Exported:
    """An exported function with converters for its types; a type the
    converters cannot handle (a resource) makes every call of it a trap."""
    params = [_decoder_or_trap(param["type"]) for param in signature["params"]]
    result = signature["result"]
    return Exported(key, signature, params, None if result is None else _encoder_or_trap(result))


def _decoder_or_trap(type_: Any) -> values.Decoder:
    try:
        return values.decoder(type_)
    except ValueError as error:
        message = str(error)

        def refuse(_value: Any, _take_raw: values.TakeRaw) -> Any:
            raise values.LowerError(message)
        return refuse


def _encoder_or_trap(type_: Any) -> values.Encoder:
    try:
        return values.encoder(type_)
    except ValueError as error:
        message = str(error)

        def refuse(_value: Any, _push_raw: Optional[values.PushRaw]) -> Any:
            raise values.LiftError(message)
        return refuse


class GuestStderr:
    """The guest's stderr: passed on to ours, and its tail kept for the
    message of a trap in the same call."""

    LIMIT = 4096

    def __init__(self) -> None:
        self._tail = bytearray()

    def write(self, data: bytes) -> None:
        sys.stderr.buffer.write(data)
        sys.stderr.buffer.flush()
        self._tail += data
        del self._tail[:-self.LIMIT]

    def clear(self) -> None:
        self._tail.clear()

    def describe(self) -> str:
        """`; the guest's stderr: ...` with what it wrote, or nothing."""
        text = " / ".join(line.strip() for line in self._tail.decode("utf-8", "replace").splitlines() if line.strip())
        if not text:
            return ""
        return f"; the guest's stderr: {text[:500]}"


def memoize_signature(func: Any, store: Any) -> None:
    """Makes `func` look its type up once instead of on every call.

    wasmtime-py's `Func.__call__` asks the C API for the function's type, and
    for the cases of every option and result in it, on each call; that was
    more than half of the time of a call.  The type of an export never
    changes, so the answers are kept on the objects (instance attributes
    shadow the methods).  The values are still converted by wasmtime-py.
    """
    func_type = func.type(store)
    params = func_type.params
    result = func_type.result
    for _name, param_type in params:
        _memoize_cases(param_type)
    if result is not None:
        _memoize_cases(result)
    signature = _Signature(params, result, func_type)
    func.type = lambda _store: signature


@dataclass
class _Signature:
    params: list
    result: Any
    owner: Any  # Keeps the C type, which the param types were read from, alive.


def _memoize_cases(value_type: Any) -> None:
    if not (hasattr(value_type, "_cases") and hasattr(value_type, "_tagged")):
        return
    cases = value_type._cases()
    tagged = value_type._tagged()
    value_type._cases = lambda: cases
    value_type._tagged = lambda: tagged
    for _name, case_type in cases:
        if case_type is not None:
            _memoize_cases(case_type)


def read_line(stdin: BinaryIO) -> Optional[str]:
    """The next line without its newline, or None at the end of stdin."""
    line = stdin.readline()
    if not line:
        return None
    if not line.endswith(b"\n"):
        raise ProtocolError(f"stdin ended inside a line: {line[:200]!r}")
    return line[:-1].decode("utf-8")


RAW_LENGTH = re.compile(r"#([0-9]{1,18})")


def read_call(stdin: BinaryIO, what: str) -> Optional[dict]:
    """The next call: its line's object, with its input filled in from the
    raw string before the line (`#N`, a newline, N bytes, a newline) where
    the harness sent one; None at the end of stdin."""
    line = read_line(stdin)
    if line is None:
        return None
    raw = None
    if line.startswith("#"):
        raw = read_raw(stdin, line, what)
        line = read_line(stdin)
        if line is None:
            raise ProtocolError(f"{what}: stdin ended after its raw string")
    call = parse_json(line, what)
    if raw is not None:
        if not isinstance(call, dict) or "input" in call:
            raise ProtocolError(f"{what} has an input both raw and in its line: {line[:200]!r}")
        call["input"] = raw
    return call


def read_raw(stdin: BinaryIO, line: str, what: str) -> str:
    """The raw string that the line `#N` introduces: the next N bytes, which
    a newline must follow."""
    length = RAW_LENGTH.fullmatch(line)
    if length is None:
        raise ProtocolError(f"{what}: expected a raw string's length (#N), got {line[:200]!r}")
    data = stdin.read(int(length.group(1)) + 1)
    if len(data) <= int(length.group(1)):
        raise ProtocolError(f"{what}: stdin ended inside a raw string of {length.group(1)} bytes")
    if not data.endswith(b"\n"):
        raise ProtocolError(f"{what}: a raw string of {length.group(1)} bytes is not followed by a newline")
    return data[:-1].decode("utf-8")


def read_typed_call(stdin: BinaryIO, what: str) -> Optional[tuple[Any, list[str]]]:
    """The next protocol-2 call: its line's JSON and the raw strings that
    came right before the line, in order (any number of them, for the
    line's `null` strings at any depth); None at the end of stdin."""
    line = read_line(stdin)
    if line is None:
        return None
    raws = []
    while line.startswith("#"):
        raws.append(read_raw(stdin, line, what))
        line = read_line(stdin)
        if line is None:
            raise ProtocolError(f"{what}: stdin ended after {len(raws)} raw strings")
    return parse_json(line, what), raws


# `json.dumps` with any argument builds a new encoder on every call.
_encode_json = json.JSONEncoder(separators=(",", ":")).encode
# The lines of a `result<string, string>` returned with its string raw, as
# json-tools answers every call: encoding them took a tenth of a call.
_OK_RAW = {"outcome": "returned", "value": {"ok": None}}
_ERR_RAW = {"outcome": "returned", "value": {"err": None}}
_OK_RAW_LINE = _encode_json(_OK_RAW).encode()
_ERR_RAW_LINE = _encode_json(_ERR_RAW).encode()


def typed_outcome_bytes(outcome: dict, raws: list[str]) -> bytes:
    """A protocol-2 outcome: its raw strings, then its line."""
    if outcome == _OK_RAW:
        line = _OK_RAW_LINE
    elif outcome == _ERR_RAW:
        line = _ERR_RAW_LINE
    else:
        line = _encode_json(outcome).encode()
    if len(raws) == 1:
        data = raws[0].encode("utf-8")
        return b"#%d\n%s\n%s\n" % (len(data), data, line)
    parts = []
    for raw in raws:
        data = raw.encode("utf-8")
        parts.append(b"#%d\n%s\n" % (len(data), data))
    parts.append(line + b"\n")
    return b"".join(parts)


def outcome_bytes(outcome: dict) -> bytes:
    """An outcome with its value as a raw string, then its line."""
    value = outcome["value"].encode("utf-8")
    return b"#%d\n%s\n{\"outcome\": \"%s\"}\n" % (len(value), value, outcome["outcome"].encode())


def parse_json(line: str, what: str) -> Any:
    try:
        return json.loads(line)
    except ValueError as error:
        raise ProtocolError(f"{what} is not JSON ({error}): {line[:200]!r}") from None


def serve(guest: Guest, stdin: BinaryIO, out: BinaryIO) -> None:
    """Answers batches until stdin closes between two batches."""
    while True:
        header_line = read_line(stdin)
        if header_line is None:
            return
        header = parse_json(header_line, "batch header")
        if not isinstance(header, dict) or not isinstance(header.get("batch"), int) \
                or not isinstance(header.get("calls"), int) or header["calls"] < 0:
            raise ProtocolError(f'expected a batch header {{"batch": id, "calls": n}}, got {header_line[:200]!r}')
        answers = []
        typed = getattr(guest, "protocol", 1) == 2
        for call_idx in range(header["calls"]):
            what = f"call {call_idx} of batch {header['batch']}"
            if typed:
                typed_call = read_typed_call(stdin, what)
                if typed_call is None:
                    raise ProtocolError(f"stdin closed after {call_idx} of {header['calls']} calls")
                if isinstance(typed_call[0], dict) and "probe" in typed_call[0]:
                    # A probe may make wasmtime abort the process: what was
                    # answered before it must be out by then.
                    flush_before_probe(answers, out)
                answers.append(typed_outcome_bytes(*guest.call_typed(*typed_call)))
                continue
            call = read_call(stdin, what)
            if call is None:
                raise ProtocolError(f"stdin closed after {call_idx} of {header['calls']} calls")
            answers.append(outcome_bytes(guest.call(call)))
        answers.append(b'{"end": %d}\n' % header["batch"])
        out.write(b"".join(answers))
        out.flush()


def flush_before_probe(answers: list[bytes], out: BinaryIO) -> None:
    """Writes the batch's answers so far, and flushes them and stderr."""
    if answers:
        out.write(b"".join(answers))
        answers.clear()
    out.flush()
    sys.stderr.flush()


def main(argv: list[str]) -> int:
    # Keep the real stdout for the protocol and point fd 1 at stderr, so that
    # nothing else (a print, a native library, the guest's WASI stdout) can
    # write into the protocol stream.
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    settings = parse_args(argv)

    try:
        guest = Guest(settings)
    except Exception as error:  # noqa: BLE001 - any load failure is reported
        message = f"{type(error).__name__}: {trap_message(error)}"
        print(f"runner.py: could not load {settings.component}: {error}", file=sys.stderr)
        protocol_out.write((json.dumps({"ready": False, "host": HOST, "error": message}) + "\n").encode())
        protocol_out.flush()
        return 1

    ready = {
        "ready": True,
        "host": HOST,
        "runtime": f"python {sys.version.split()[0]}, wasmtime-py {version_of('wasmtime')}",
        "limits": {"fuel-per-call": settings.fuel_per_call, "memory-bytes": settings.memory_bytes},
        "allowed-imports": settings.allow_imports,
        "raw-strings": True,
    }
    if guest.protocol == 2:
        # The types are wasmtime-py's own (`Func.type`), in the file's form.
        ready["protocol"] = 2
        ready["functions"] = [exported.signature for exported in guest.exported.values()]
    protocol_out.write((json.dumps(ready) + "\n").encode())
    protocol_out.flush()
    try:
        serve(guest, sys.stdin.buffer, protocol_out)
    except ProtocolError as error:
        print(f"protocol error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    return 0


def version_of(distribution: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
