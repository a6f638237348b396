"""Characters a request may carry that PostgreSQL cannot hold.

PostgreSQL's text types refuse NUL, and UTF-8 (the database encoding) has no form for a lone surrogate
(U+D800–U+DFFF, which JSON's `\\ud800` escapes produce). Handed to a query, either makes the driver fail: a 500
instead of an answer. No stored value contains them, so such input names no record and matches no word: callers
refuse it (404, 400) or read those characters as spaces.
"""

import re

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def is_storable(text: str) -> bool:
    """Whether PostgreSQL can compare `text` with what it stores."""
    return _UNSTORABLE.search(text) is None


def unstorable_as_spaces(text: str) -> str:
    """`text` with every character PostgreSQL cannot hold turned into a space (for free text such as a search)."""
    return _UNSTORABLE.sub(" ", text)
