"""The wordcount contract in Python.

Words are maximal runs of characters that are not Unicode ``White_Space``,
as the WIT says.  Python's own ``str.split()`` is not that: it also splits at
U+001C to U+001F (``str.isspace``), which are not ``White_Space``, so the
guest splits at the property's 25 code points itself.
"""

from typing import List

from wit_world import exports

#: Unicode's ``White_Space`` property (PropList.txt).
WHITE_SPACE = frozenset(
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def words(text: str) -> List[str]:
    """The words of ``text``, in order."""
    found: List[str] = []
    start = None
    for index, char in enumerate(text):
        if char in WHITE_SPACE:
            if start is not None:
                found.append(text[start:index])
                start = None
        elif start is None:
            start = index
    if start is not None:
        found.append(text[start:])
    return found


class Words(exports.Words):
    def count(self, text: str) -> int:
        return len(words(text))

    def split(self, text: str) -> List[str]:
        return words(text)
