"""Ordering labels the way a reader of the active language expects, without a collation library.

Reference labels (thematic areas, regions) are a few dozen rows translated in Python, so lists of them are sorted
in Python rather than by the database's English `name`. Case and accents are ignored (NFKD, then the combining
marks dropped), so "Europe méridionale" sorts among the "Europe …" and "África" among the "A…"; scripts without
case or accents (Arabic, Chinese, Cyrillic after case folding) sort by code point, which is alphabetical for Arabic
and Cyrillic and by radical for Chinese characters: predictable, if not the pinyin order.
"""

import unicodedata


def alphabetical_key(text: str) -> str:
    """A sort key for `text`: case-folded, accents removed."""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))
