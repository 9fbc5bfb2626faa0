"""The component's exports: ``jsonfmt`` wrapped for componentize-py.

componentize-py generates the ``wit_world`` bindings from the WIT when it
builds the component, and looks in this module for a class named after each
exported interface.
A result's ``err`` is raised as :class:`componentize_py_types.Err`; every
other exception would trap, and the formatter raises none for any input.
"""

from typing import Optional

import jsonfmt
from componentize_py_types import Err
from wit_world import exports
from wit_world.exports import formatter


class Formatter(exports.Formatter):
    """``example:json-tools/formatter@1.0.0``."""

    def format(self, input: str, options: Optional[formatter.FormatOptions]) -> str:
        try:
            if options is None:
                return jsonfmt.format(input)
            return jsonfmt.format(input, options.indent, options.sort_keys)
        except jsonfmt.Error as error:
            raise Err(str(error)) from None

    def minify(self, input: str) -> str:
        try:
            return jsonfmt.minify(input)
        except jsonfmt.Error as error:
            raise Err(str(error)) from None
