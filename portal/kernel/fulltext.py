"""Full-text matching: one definition for the search page and for every list's keyword filter.

PostgreSQL full-text search with `websearch_to_tsquery`, so people may type words in any order, "quoted phrases",
`or` and `-exclusions`, and find "customs Central Asia" in a summary that says "Central Asian customs". The text
search configuration `portal_text` is English stemming over `unaccent` (created by the migration
`iros.0003_text_search_configuration`), so "Reunion" finds "Réunion" and "controls" finds "control".
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import Expression, Q, QuerySet

from portal.kernel.text import unstorable_as_spaces

SEARCH_CONFIG = "portal_text"
MAX_QUERY_LENGTH = 200

# `websearch_to_tsquery` reads a hyphen that starts a word as "not" and skips the other tsquery operator
# characters. Each hyphen of a run ("---x", "- - x", "-!-!x", '""---x') nests one more "not", and PostgreSQL's
# parser holds 32: past that the query fails ("tsquery stack too small"). Backslashes escape the next character.
_SKIPPED = re.compile(r"[!&|()<>\\]")
_HYPHEN_BEFORE_HYPHEN = re.compile(r"-(?=\W*-)")  # no letter or digit up to the next hyphen: a run
_WORD = re.compile(r"\w")


def clean_text(raw: str | None) -> str:
    """The text to search for, as a search box shows it back: trimmed, bounded, with the characters PostgreSQL
    refuses in a literal removed."""
    return " ".join(unstorable_as_spaces(raw or "").split())[:MAX_QUERY_LENGTH]


def websearch_text(text: str) -> str:
    """`text` as `websearch_to_tsquery` can always parse it, meaning what a person typing it meant.

    The operator characters it skips become spaces, a run of hyphens is one ("--word" excludes the word) and a
    hyphen before nothing is dropped. Quoted phrases, `or`, "-exclusions" and hyphenated-words stay as they are.
    """
    words = _HYPHEN_BEFORE_HYPHEN.sub("", _SKIPPED.sub(" ", text)).split()
    return " ".join(word for word in words if word != "-")


def search_query(text: str) -> SearchQuery:
    return SearchQuery(websearch_text(text), search_type="websearch", config=SEARCH_CONFIG)


def weighted_vector(*weighted: tuple[str | Expression, str]) -> SearchVector:
    """One vector over several fields, each with its weight: a match in an A field outranks one in a B field."""
    vector = None
    for expression, weight in weighted:
        part = SearchVector(expression, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def keyword_filter(
    queryset: QuerySet,
    vector: SearchVector,
    raw: str | None,
    *,
    matching_ids: Callable[[SearchQuery], QuerySet] | None = None,
    prefix_of: str | None = None,
    tiebreak: tuple[str, ...] = ("-pk",),
) -> QuerySet:
    """The rows of `queryset` whose `vector` matches the typed keywords, best match first (a list's `q` filter).

    `matching_ids(query)`, when given, says which ids match instead (a large table matched through its index).
    `prefix_of` names a short field (an acronym) that also matches when it starts with the typed text ("CARI").
    A list sorted by one of its columns keeps that order: the sort is applied after this one and replaces it.
    """
    text = clean_text(raw)
    if not _WORD.search(websearch_text(text)):  # only operators or quotes: nothing to match, nothing filtered
        return queryset
    query = search_query(text)
    if matching_ids is not None:
        matches = queryset.filter(pk__in=matching_ids(query))
    else:
        condition = Q(keyword_document=query)
        if prefix_of is not None:
            condition |= Q(**{f"{prefix_of}__istartswith": text})
        matches = queryset.annotate(keyword_document=vector).filter(condition)
    return matches.annotate(keyword_rank=SearchRank(vector, query)).order_by("-keyword_rank", *tiebreak)
