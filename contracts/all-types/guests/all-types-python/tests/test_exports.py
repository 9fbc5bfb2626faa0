"""Every function of the world has its method in src/app.py."""

import re
from pathlib import Path

import app
from wit_world import exports

WIT = Path(__file__).resolve().parents[3] / "wit" / "all-types.wit"


def wit_functions():
    """`interface -> [function]` from the contract's WIT."""
    functions = {}
    interface = None
    for line in WIT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if match := re.match(r"interface ([a-z0-9-]+) \{", line):
            interface = match.group(1)
            functions[interface] = []
        elif match := re.match(r"([a-z0-9-]+): func\(", line):
            functions[interface].append(match.group(1))
    return functions


def test_every_export_is_implemented():
    functions = wit_functions()
    assert sorted(functions) == ["compound", "nested", "scalars", "types", "variants"]
    assert functions["types"] == []
    # The 39 functions of all-types@0.1.0, or more once the WIT grows.
    assert sum(len(names) for names in functions.values()) >= 39
    for interface, names in functions.items():
        cls = getattr(app, interface.capitalize())
        assert getattr(exports, interface.capitalize()) in cls.__mro__
        # The protocols' methods are abstract: instantiation fails if one is missing.
        instance = cls()
        for name in names:
            method = getattr(instance, name.replace("-", "_"))
            assert method.__func__.__module__ == "app", name
