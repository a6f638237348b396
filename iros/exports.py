"""The IGO tables as export sheets: the rows and interactions the viewer may see, under the current filter.

The views hand in an `IgoTable` and an interaction queryset already read through `iros.selectors` (the
visibility policy); this module only describes the columns and rows, for people: kinds and precisions by their
labels in the viewer's language, flags as yes/no, dates as dates. `portal.kernel.tabular` writes them as CSV or
XLSX and neutralises formulas.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from iros.labels import choice_label
from iros.models import DatePrecision, Interaction
from iros.selectors import IgoTable
from portal.kernel.tabular import Sheet, yes_no

CHUNK_SIZE = 500


def kind_label(kind: str) -> str:
    return choice_label(Interaction.Kind, kind)


# XLSX widths in characters (None: estimated from the content).
INTERACTION_WIDTHS = [8, 12, 10, 28, 18, 60, 40, 30, 12, 30, 8, 16, 10, 10]


def table_header(table: IgoTable) -> list[str]:
    return [_("Acronym"), _("Organization"), *(kind_label(kind) for kind in table.kinds), _("Total"), _("Last")]


def table_rows(table: IgoTable) -> Iterator[list]:
    for row in table.rows:
        yield [
            row.organization.acronym,
            row.organization.name,
            *(count for _kind, count in row.counts),
            row.total,
            row.last_date,
        ]


def table_footer(table: IgoTable) -> list:
    # Each interaction counted once, even when several of the organizations above took part in it.
    return [_("Total (distinct interactions)"), "", *(count for _kind, count in table.totals), table.total, None]


def interaction_columns() -> list[tuple[str, str]]:
    """(key, header) of every column of the interactions' export, in order. They are also the import template's
    (`iros.imports`): an exported list imports back and changes nothing."""
    return [
        ("id", _("ID")),
        ("date", _("Date")),
        ("date_precision", _("Precision")),
        ("kind", _("Kind")),
        ("organizations", _("Organizations")),
        ("summary", _("Summary")),
        ("outcome", _("Outcome")),
        ("follow_up", _("Follow-up")),
        ("follow_up_due", _("Follow-up due")),
        ("event", _("Event")),
        ("public", _("Public")),
        ("external_key", _("Key")),
        ("program", _("Program")),
        ("agreement", _("Agreement")),
    ]


def interaction_header() -> list[str]:
    return [header for _key, header in interaction_columns()]


def interaction_rows(interactions: QuerySet[Interaction]) -> Iterator[list]:
    """One row per interaction. A linked program or agreement is named (by ID) only where the selector found the
    viewer may see it (`program_visible`, `agreement_visible`)."""
    keys = [key for key, _header in interaction_columns()]
    for interaction in interactions.iterator(chunk_size=CHUNK_SIZE):
        values = {
            "id": interaction.pk,
            "date": interaction.date,
            "date_precision": choice_label(DatePrecision, interaction.date_precision),
            "kind": kind_label(interaction.kind),
            "organizations": "; ".join(organization.acronym for organization in interaction.organizations.all()),
            "summary": interaction.summary,
            "outcome": interaction.outcome,
            "follow_up": interaction.follow_up,
            "follow_up_due": interaction.follow_up_due,
            "event": interaction.event.title if interaction.event_id else "",
            "public": yes_no(interaction.public),
            "external_key": interaction.external_key,
            "program": interaction.program_id if getattr(interaction, "program_visible", False) else None,
            "agreement": interaction.agreement_id if getattr(interaction, "agreement_visible", False) else None,
        }
        yield [values[key] for key in keys]


def table_sheet(table: IgoTable) -> Sheet:
    widths = [10, 40, *(14 for _kind in table.kinds), 8, 12]
    return Sheet(
        title=_("IGO table"),
        header=table_header(table),
        rows=table_rows(table),
        footer=table_footer(table),
        widths=widths,
    )


def interactions_sheet(interactions: QuerySet[Interaction]) -> Sheet:
    """The interactions, read in chunks while the sheet is written."""
    return Sheet(
        title=_("Interactions"),
        header=interaction_header(),
        rows=interaction_rows(interactions),
        widths=INTERACTION_WIDTHS,
    )
