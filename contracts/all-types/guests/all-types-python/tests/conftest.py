"""Checks that the unit tests can import what they test.

The tests import ``app`` (src/, put on the path by pyproject.toml) and the
bindings componentize-py generates (``wit_world``, ``componentize_py_types``),
which guest.toml's [unit-tests] writes to
``target/witness/guests/all-types-python/test-bindings/bindings`` and puts on
PYTHONPATH.
"""

try:
    import wit_world  # noqa: F401
except ImportError as error:  # pragma: no cover - a setup error, not a test
    raise ImportError(
        "the generated bindings are not on PYTHONPATH: run the [unit-tests] steps "
        "of guest.toml (see README.md)"
    ) from error

