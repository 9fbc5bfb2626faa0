"""The ``example:json-tools@1.0.0`` contract in plain Python.

:func:`format` and :func:`minify` validate a JSON document and print it again
in one pass over its UTF-8 bytes, copying every token (strings, numbers,
``true``, ``false``, ``null``) byte for byte.
Python's :mod:`json` decodes numbers and escapes (it turns ``1e400`` into
``Infinity`` and accepts ``NaN``), which the contract forbids, so this package
has its own scanner.

The scanner works on bytes, not on ``str``, because the contract's error
offsets count UTF-8 bytes while ``str`` indexes count code points.
Nothing recurses: open containers live on an explicit stack, so the deepest
accepted document (depth 256) costs no Python stack.
Sort keys are compared as the UTF-8 bytes of their decoded value, whose byte
order is code-point order; no ``str`` holding a surrogate is ever made.

The package has no WebAssembly dependency; ``app.py`` beside it wraps it as
the component's exports, and its tests run natively.
The normative text is ``contracts/json-tools/contract.md``; the WIT is ``contracts/json-tools/wit/json-tools.wit``.
"""

from jsonfmt.printer import (
    MAX_DEPTH,
    MAX_INDENT,
    Error,
    JsonSyntaxError,
    OptionsError,
    format,
    format_bytes,
    minify,
    minify_bytes,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_INDENT",
    "Error",
    "JsonSyntaxError",
    "OptionsError",
    "format",
    "format_bytes",
    "minify",
    "minify_bytes",
]
