"""One search box across organizations, programs, points of contact, interactions and events.

PostgreSQL full-text search (`websearch_to_tsquery`, so people may type "quoted phrases", `or` and `-exclusions`;
`websearch_text` keeps whatever else they type from nesting operators past what PostgreSQL parses), ranked with
`ts_rank` over weighted vectors: a match in a title or name (weight A) outranks one in a summary (weight B), which
outranks one in the surrounding fields (C).

Every section starts from `confidentiality.policies.visible_to(actor, ...)` *before* the text condition is added,
so a hidden record never matches, is never ranked, never counted and never quoted in a snippet.

Programs, the one large table, are matched and ranked on their title and summary vector stored in each row
(`Program.search_document`, the generated column of `programs.models.program_search_vector`, with a GIN index),
plus their owner's name or acronym; the other sections are small and are matched on the fly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from confidentiality import policies
from contacts.models import PointOfContact, contact_search_vector
from iros.models import (
    Event,
    Interaction,
    Organization,
    event_search_vector,
    interaction_search_vector,
    organization_search_vector,
)
from portal.kernel import fulltext
from portal.kernel.fulltext import SEARCH_CONFIG, search_query
from programs.models import Program, program_ids_matching, program_search_document

# Private-use characters mark the matched words in snippets: the text is escaped first, then they become <mark>.
MARK_START = "\ue000"
MARK_STOP = "\ue001"


def clean_query(raw: str | None) -> str:
    """The text to search for, as the search box shows it back (the snippet markers cannot be typed in)."""
    return fulltext.clean_text((raw or "").replace(MARK_START, " ").replace(MARK_STOP, " "))


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
            vector=organization_search_vector,
            base=_organizations,
            snippet_field="description",
            tiebreak=("acronym",),
        ),
        Section(
            key="programs",
            label=_("Programs"),
            vector=program_search_document,
            base=_programs,
            snippet_field="summary",
            tiebreak=("-updated", "-id"),
        ),
        Section(
            key="contacts",
            label=_("Points of contact"),
            vector=contact_search_vector,
            base=_contacts,
            snippet_field="title",
            tiebreak=("organization__acronym", "role", "-id"),
        ),
        Section(
            key="interactions",
            label=_("Interactions"),
            vector=interaction_search_vector,
            base=_interactions,
            snippet_field="summary",
            tiebreak=("-date", "-id"),
        ),
        Section(
            key="events",
            label=_("Events"),
            vector=event_search_vector,
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
        matches = visible.filter(pk__in=program_ids_matching(query))
    else:
        matches = visible.annotate(search_document=vector).filter(search_document=query)
    return matches.annotate(rank=SearchRank(vector, query), snippet=_headline(section.snippet_field, query)).order_by(
        "-rank", *section.tiebreak
    )


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
