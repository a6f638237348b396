"""The programs list as a django-tables2 table: sortable, paginated, with columns the viewer picks.

Rows come from `programs.selectors.program_list_for` (the visibility policy) filtered by the shared FilterSet;
the table only decides how they look. Every cell reads prefetched data, so the page costs the same number of
queries for 1 row as for 50.

The default columns fit a 1280 px screen beside the filters: titles keep a readable width, long tags are cut
with their full name in a tooltip, and below 1400 px the sharing badges move under the status (one column fewer;
static/css/portal.css, "Program table").
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from confidentiality.badges import audience_badge, state_badge
from iros.labels import area_label, country_label, region_label
from portal.preferences.lists import ListKind
from programs.badges import status_badge

# Columns a viewer may pick, in display order; the first ones are shown when nothing is picked.
DEFAULT_COLUMNS = ("title", "organization", "status", "sharing", "thematic_areas", "period")
OPTIONAL_COLUMNS = ("updated", "regions", "beneficiary_countries", "budget", "assistance_on_request", "created")
ALWAYS_SHOWN = ("title",)
MAX_BADGES = 2
PER_PAGE = 25
PER_PAGE_CHOICES = (25, 50, 100)


def _badges(labels: list[str], css: str = "badge-soft me-1") -> str:
    """The first labels as badges, cut to the column's width with the whole label in their title, then "+n more"
    (all of them in its title)."""
    shown = labels[:MAX_BADGES]
    html = format_html_join(
        "", '<span class="{} badge-truncate" title="{}">{}</span>', ((css, label, label) for label in shown)
    )
    if len(labels) > MAX_BADGES:
        html += format_html(
            '<span class="small text-body-secondary" title="{}">{}</span>',
            "; ".join(labels),
            _("+%(count)s more") % {"count": len(labels) - MAX_BADGES},
        )
    return format_html('<div class="badge-stack">{}</div>', html)


class ProgramTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"), attrs={"td": {"class": "col-title"}})
    organization = tables.Column(
        verbose_name=_("Organization"), accessor="organization__acronym", order_by=("organization__acronym", "-id")
    )
    status = tables.Column(verbose_name=_("Status"))
    sharing = tables.Column(
        verbose_name=_("Sharing"),
        accessor="state",
        order_by=("state", "audience", "-id"),
        empty_values=(),
        attrs={"th": {"class": "col-sharing"}, "td": {"class": "col-sharing"}},
    )
    thematic_areas = tables.Column(verbose_name=_("Thematic areas"), orderable=False, empty_values=())
    regions = tables.Column(verbose_name=_("Regions"), orderable=False, empty_values=())
    beneficiary_countries = tables.Column(verbose_name=_("Beneficiary countries"), orderable=False, empty_values=())
    period = tables.Column(
        verbose_name=_("Period"),
        accessor="start_date",
        order_by=("start_date", "end_date", "-id"),
        empty_values=(),
        attrs={"td": {"class": "col-period"}},
    )
    budget = tables.Column(verbose_name=_("Budget"), attrs={"td": {"class": "text-end text-nowrap"}})
    assistance_on_request = tables.BooleanColumn(verbose_name=_("Assistance on request"))
    # Dates in the reader's locale (SHORT_DATE_FORMAT: "15 Mar 2024", "15/03/2024", "15.03.2024"); exports stay ISO.
    created = tables.DateColumn(verbose_name=_("Created"), short=True, attrs={"td": {"class": "text-nowrap"}})
    updated = tables.DateColumn(verbose_name=_("Updated"), short=True, attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        template_name = "programs/_table.html"
        attrs = {"class": "table table-hover table-portal", "id": "program-table"}
        order_by_field = "sort"
        page_field = "page"
        # The view clamps the page size itself; tables2 must never read an unbounded one from the query string.
        per_page_field = "_per_page_unused"
        sequence = (*DEFAULT_COLUMNS, *OPTIONAL_COLUMNS)
        orderable = True
        empty_text = None

    def __init__(self, *args, columns=DEFAULT_COLUMNS, **kwargs):
        exclude = [name for name in (*DEFAULT_COLUMNS, *OPTIONAL_COLUMNS) if name not in columns]
        # With both columns shown, narrower screens read the sharing under the status (portal.css).
        self.merges_sharing = "status" in columns and "sharing" in columns
        if self.merges_sharing:
            kwargs.setdefault("attrs", {**self._meta.attrs, "class": f"{self._meta.attrs['class']} merge-sharing"})
        super().__init__(*args, exclude=exclude, **kwargs)

    def render_title(self, record, value):
        url = reverse("programs:detail", args=[record.pk])
        # The title is user content: not for translation.
        return format_html('<a class="fw-semibold text-decoration-none" href="{}" translate="no">{}</a>', url, value)

    def render_organization(self, record, value):
        url = reverse("iros:detail", args=[value])
        return format_html('<a class="acronym" href="{}" title="{}">{}</a>', url, record.organization.name, value)

    # Badges in Python (the same definitions the templates use): 50 rows × 3 badges through the template engine
    # cost more than the rest of the table.
    def render_status(self, record, value):
        status = status_badge(record)
        if not self.merges_sharing:
            return status
        return format_html('{}<div class="sharing-in-status mt-1">{}</div>', status, self.render_sharing(record))

    def render_sharing(self, record):
        return format_html(
            '<div class="d-flex flex-column align-items-start gap-1">{}\n{}\n</div>',
            state_badge(record),
            audience_badge(record),
        )

    def render_thematic_areas(self, record):
        return _badges([area_label(area) for area in record.thematic_areas.all()]) or "—"

    def render_regions(self, record):
        return _badges([region_label(region) for region in record.regions.all()], "badge-soft badge-muted me-1") or "—"

    def render_beneficiary_countries(self, record):
        names = [country_label(code) for code in record.beneficiary_countries]
        return _badges(names, "badge-soft badge-muted me-1") or "—"

    def render_period(self, record):
        if not record.start_date and not record.end_date:
            return "—"
        start = date_format(record.start_date, "SHORT_DATE_FORMAT") if record.start_date else "…"
        end = date_format(record.end_date, "SHORT_DATE_FORMAT") if record.end_date else "…"
        # The arrow points forward in the reading direction (mirrored in a right-to-left page: .dir-arrow).
        return format_html(
            '<span class="text-nowrap">{}</span><br><span class="text-nowrap small">'
            '<span class="dir-arrow" aria-hidden="true">→</span> {}</span>',
            start,
            end,
        )

    def render_budget(self, record, value):
        # Grouped by the reader's locale: "1,250,000", "1 250 000" (French, Russian), "1.250.000" (Arabic).
        return format_html("{} {}", number_format(value, decimal_pos=0, force_grouping=True), record.currency)

    def render_assistance_on_request(self, value):
        return _("Yes") if value else _("No")


def column_choices() -> list[tuple[str, str]]:
    """(name, label) for the column picker, in display order."""
    table = ProgramTable([], columns=(*DEFAULT_COLUMNS, *OPTIONAL_COLUMNS))
    return [(column.name, str(column.header)) for column in table.columns]


def per_page_from(value: str | None) -> int:
    """The page size asked for, if it is one of the choices; the default otherwise."""
    try:
        size = int(value or PER_PAGE)
    except ValueError:
        return PER_PAGE
    return size if size in PER_PAGE_CHOICES else PER_PAGE


def _remembered_columns(value: str) -> str | None:
    chosen = [name.strip() for name in value.split(",") if name.strip() in (*DEFAULT_COLUMNS, *OPTIONAL_COLUMNS)]
    return ",".join(columns_from(chosen)) if chosen else None


def _remembered_per_page(value: str) -> str | None:
    return value if value.isdigit() and int(value) in PER_PAGE_CHOICES else None


# The program list remembers, per user, the columns and page size last chosen (portal.preferences).
PROGRAM_LIST = ListKind(
    key="programs",
    url_name="programs:list",
    remembered={"columns": _remembered_columns, "per_page": _remembered_per_page},
    not_filters=("page",),
)


def columns_from(values: list[str]) -> tuple[str, ...]:
    """The columns named in `?columns=` (repeated or comma-separated), unknown names dropped; defaults if none."""
    known = (*DEFAULT_COLUMNS, *OPTIONAL_COLUMNS)
    wanted = {name.strip() for value in values for name in value.split(",") if name.strip()}
    chosen = tuple(name for name in known if name in wanted)
    if not chosen:
        return DEFAULT_COLUMNS
    return tuple(dict.fromkeys((*ALWAYS_SHOWN, *chosen)))
