"""One search box across organizations, programs, points of contact, interactions and events.

PostgreSQL full-text search (`websearch_to_tsquery`, so people may type "quoted phrases", `or` and `-exclusions`;
`websearch_text` keeps whatever else they type from nesting operators past what PostgreSQL parses), ranked with
`ts_rank` over weighted vectors: a match in a title or name (weight A) outranks one in a summary (weight B), which
outranks one in the surrounding fields (C).

Every section starts from `confidentiality.policies.visible_to(actor, ...)` *before* the text condition is added,
so a hidden record never matches, is never ranked, never counted and never quoted in a snippet.

Programs, the one large table, are matched through a GIN expression index on their title and summary vector
(`programs.models.program_search_vector`, the same expression in the index and here), plus their owner's name or
acronym; the other sections are small and are matched on the fly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Expression, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from confidentiality import policies
from contacts.models import PointOfContact
from iros.models import Event, Interaction, Organization
from portal.kernel.text import unstorable_as_spaces
from programs.models import Program, program_search_vector

SEARCH_CONFIG = "english"
MAX_QUERY_LENGTH = 200
# Private-use characters mark the matched words in snippets: the text is escaped first, then they become <mark>.
MARK_START = "\ue000"
MARK_STOP = "\ue001"


def clean_query(raw: str | None) -> str:
    """The text to search for, as the search box shows it back: trimmed, bounded, with the characters PostgreSQL
    refuses in a literal removed."""
    text = unstorable_as_spaces(raw or "").replace(MARK_START, " ").replace(MARK_STOP, " ")
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


# `websearch_to_tsquery` reads a hyphen that starts a word as "not" and skips the other tsquery operator
# characters. Each hyphen of a run ("---x", "- - x", "-!-!x", '""---x') nests one more "not", and PostgreSQL's
# parser holds 32: past that the query fails ("tsquery stack too small"). Backslashes escape the next character.
_SKIPPED = re.compile(r"[!&|()<>\\]")
_HYPHEN_BEFORE_HYPHEN = re.compile(r"-(?=\W*-)")  # no letter or digit up to the next hyphen: a run


def websearch_text(text: str) -> str:
    """`text` as `websearch_to_tsquery` can always parse it, meaning what a person typing it meant.

    The operator characters it skips become spaces, a run of hyphens is one ("--word" excludes the word) and a
    hyphen before nothing is dropped. Quoted phrases, `or`, "-exclusions" and hyphenated-words stay as they are.
    """
    words = _HYPHEN_BEFORE_HYPHEN.sub("", _SKIPPED.sub(" ", text)).split()
    return " ".join(word for word in words if word != "-")


def search_query(text: str) -> SearchQuery:
    return SearchQuery(websearch_text(text), search_type="websearch", config=SEARCH_CONFIG)


def _vector(*weighted: tuple[str | Expression, str]) -> SearchVector:
    vector = None
    for expression, weight in weighted:
        part = SearchVector(expression, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def _headline(field_name: str, query: SearchQuery) -> SearchHeadline:
    return SearchHeadline(
        field_name,
        query,
        config=SEARCH_CONFIG,
        start_sel=MARK_START,
        stop_sel=MARK_STOP,
        max_words=30,
        min_words=12,
        max_fragments=2,
        fragment_delimiter=" … ",
    )


@dataclass(frozen=True)
class Section:
    """One kind of record the search box covers."""

    key: str
    label: str
    vector: Callable[[], SearchVector]
    base: Callable[[], QuerySet]
    snippet_field: str
    tiebreak: tuple[str, ...]


def _organizations() -> QuerySet:
    return Organization.objects.all()


def _programs() -> QuerySet:
    return Program.objects.select_related("organization")


def _contacts() -> QuerySet:
    return PointOfContact.objects.select_related("organization")


def _interactions() -> QuerySet:
    return Interaction.objects.prefetch_related(
        Prefetch("organizations", queryset=Organization.objects.order_by("acronym"))
    )


def _events() -> QuerySet:
    return Event.objects.select_related("region")


SECTIONS: dict[str, Section] = {
    section.key: section
    for section in (
        Section(
            key="organizations",
            label=_("Organizations"),
            vector=lambda: _vector(("acronym", "A"), ("name", "A"), ("description", "B"), ("seat", "C")),
            base=_organizations,
            snippet_field="description",
            tiebreak=("acronym",),
        ),
        Section(
            key="programs",
            label=_("Programs"),
            vector=program_search_vector,
            base=_programs,
            snippet_field="summary",
            tiebreak=("-updated", "-id"),
        ),
        Section(
            key="contacts",
            label=_("Points of contact"),
            vector=lambda: _vector(("person", "A"), ("title", "B"), ("email", "C"), ("organization__acronym", "C")),
            base=_contacts,
            snippet_field="title",
            tiebreak=("organization__acronym", "role", "-id"),
        ),
        Section(
            key="interactions",
            label=_("Interactions"),
            vector=lambda: _vector(("summary", "A"), ("outcome", "B"), ("follow_up", "C")),
            base=_interactions,
            snippet_field="summary",
            tiebreak=("-date", "-id"),
        ),
        Section(
            key="events",
            label=_("Events"),
            vector=lambda: _vector(
                ("title", "A"), ("theme", "B"), ("place", "C"), ("organizer", "C"), ("description", "C")
            ),
            base=_events,
            snippet_field="description",
            tiebreak=("-start_date", "title"),
        ),
    )
}


def search_section(*, actor, key: str, text: str) -> QuerySet:
    """The records of one section that `actor` may see and that match `text`, best first.

    Each row carries `rank` and `snippet` (matched words between MARK_START and MARK_STOP; see `snippet_html`).
    """
    section = SECTIONS[key]
    query = search_query(text)
    visible = policies.visible_to(actor, section.base())
    vector = section.vector()
    if key == "programs":
        matches = visible.filter(pk__in=_programs_matching(query))
    else:
        matches = visible.annotate(search_document=vector).filter(search_document=query)
    return matches.annotate(rank=SearchRank(vector, query), snippet=_headline(section.snippet_field, query)).order_by(
        "-rank", *section.tiebreak
    )


def _programs_matching(query: SearchQuery) -> QuerySet:
    """Ids of programs whose title or summary match (through the GIN index) or whose owner's name does.

    A UNION of two index-driven branches, so neither an OR nor a per-row vector defeats the indexes.
    """
    by_text = Program.objects.annotate(document=program_search_vector()).filter(document=query).values("pk")
    owners = (
        Organization.objects.annotate(document=_vector(("acronym", "A"), ("name", "A")))
        .filter(document=query)
        .values("pk")
    )
    by_owner = Program.objects.filter(organization__in=owners).values("pk")
    return by_text.union(by_owner)


@dataclass(frozen=True)
class SectionResults:
    key: str
    label: str
    rows: list
    has_more: bool


def search_overview(*, actor, text: str, per_section: int = 5) -> list[SectionResults]:
    """The best few matches of every section (one query each): no totals, only whether there is more to see."""
    results = []
    for key, section in SECTIONS.items():
        rows = list(search_section(actor=actor, key=key, text=text)[: per_section + 1])
        results.append(
            SectionResults(key=key, label=section.label, rows=rows[:per_section], has_more=len(rows) > per_section)
        )
    return results
