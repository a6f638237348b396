"""The IGO tables: the Committee's interactions with IROs, per IRO and per kind, with their forms and exports.

Views validate input, call one selector or service and render. Every count and row is read through
`iros.selectors`, which asks the visibility policy: the Committee and administrators read every IRO's row, an
IRO user its own organization's only; a hidden record answers 404 like a missing one.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from confidentiality import policies
from iros import exports, selectors, services
from iros.filters import INTERACTION_LIST, IgoTableFilterSet, InteractionFilterSet
from iros.forms import EventForm, InteractionForm
from iros.models import Interaction
from portal.kernel.downloads import spreadsheet_response
from portal.preferences.lists import saved_filters_panel

INTERACTIONS_PER_PAGE = 25
TABLE_FILTERS = ("year", "region", "kind")

# Short column headings; the full label stays in the heading's title and on the interaction pages.
KIND_SHORT = {
    Interaction.Kind.BRIEFING: gettext_lazy("Briefings"),
    Interaction.Kind.JOINT_ACTIVITY: gettext_lazy("Joint activities"),
    Interaction.Kind.OUTREACH: gettext_lazy("Outreach events"),
    Interaction.Kind.EXCHANGE_OF_LETTERS: gettext_lazy("Exchanges of letters"),
    Interaction.Kind.MOU: gettext_lazy("MoUs"),
    Interaction.Kind.MEETING: gettext_lazy("Meetings"),
    Interaction.Kind.CORRESPONDENCE: gettext_lazy("Correspondence"),
    Interaction.Kind.ASSISTANCE_REFERRAL: gettext_lazy("Assistance referrals"),
}


def _require_committee_work(user) -> None:
    if not policies.can_record_committee_work(user):
        raise PermissionDenied(_("Only Committee experts and administrators record the Committee's work."))


def _table_params(request) -> dict[str, str]:
    """The table filters in force, as query parameters (empty ones dropped)."""
    return {name: request.GET[name] for name in TABLE_FILTERS if request.GET.get(name)}


def _only_active(request) -> bool:
    return request.GET.get("active") == "1"


# --- the table ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def igo_table_view(request):
    params = _table_params(request)
    filterset = IgoTableFilterSet(request.GET or None, queryset=Interaction.objects.none())
    table = selectors.igo_table(actor=request.user, filters=params, only_active=_only_active(request))
    cell_params = {name: value for name, value in params.items() if name != "kind"}
    # A table of every IRO has a few thousand links: the route is reversed once, each row's query written once.
    interactions_url = reverse("igo:interactions")
    organization_url = reverse("igo:organization", args=["ACRONYM"]).replace("ACRONYM", "{}")
    rows = []
    for row in table.rows:
        acronym = row.organization.acronym
        row_query = urlencode({"organization": acronym, **cell_params})
        cells = [
            {"kind": kind, "count": count, "url": f"{interactions_url}?{row_query}&{urlencode({'kind': kind})}"}
            for kind, count in row.counts
        ]
        total_query = urlencode({"organization": acronym, **params})
        rows.append(
            {
                "row": row,
                "cells": cells,
                "total_url": f"{interactions_url}?{total_query}",
                "organization_url": organization_url.format(quote(acronym)),
            }
        )
    columns = [
        {
            "kind": kind,
            "short": KIND_SHORT.get(kind, kind),
            "label": Interaction.Kind(kind).label,
            "url": f"{reverse('igo:interactions')}?{urlencode({**cell_params, 'kind': kind})}",
        }
        for kind in table.kinds
    ]
    export_query = urlencode({**params, **({"active": "1"} if _only_active(request) else {})})
    return render(
        request,
        "iros/igo_table.html",
        {
            "filterset": filterset,
            "table": table,
            "columns": columns,
            "rows": rows,
            "is_filtered": bool(params) or _only_active(request),
            "only_active": _only_active(request),
            "export_query": export_query,
            "all_interactions_url": f"{reverse('igo:interactions')}?{urlencode(params)}",
            "can_record": policies.can_record_committee_work(request.user),
            "sees_every_iro": selectors.reads_every_igo_table(actor=request.user),
        },
    )


@login_required
@require_GET
def igo_export_csv_view(request):
    table = selectors.igo_table(actor=request.user, filters=_table_params(request), only_active=_only_active(request))
    return spreadsheet_response(exports.table_sheet(table), extension="csv", stem="igo-table")


@login_required
@require_GET
def igo_export_xlsx_view(request):
    params = _table_params(request)
    table = selectors.igo_table(actor=request.user, filters=params, only_active=_only_active(request))
    interactions = selectors.igo_interactions_for(actor=request.user, filters=params)
    sheets = (exports.table_sheet(table), exports.interactions_sheet(interactions))
    return spreadsheet_response(*sheets, extension="xlsx", stem="igo-table")


# --- one IRO's chronological table --------------------------------------------------------------------------


@login_required
@require_GET
def igo_organization_view(request, acronym: str):
    organization = selectors.igo_organization_get(actor=request.user, acronym=acronym)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    entries = selectors.organization_timeline(actor=request.user, organization=organization, year=year)
    counts = {}
    for entry in entries:
        counts[entry.category] = counts.get(entry.category, 0) + 1
    filterset = IgoTableFilterSet({"year": year} if year else None, queryset=Interaction.objects.none())
    return render(
        request,
        "iros/igo_organization.html",
        {
            "organization": organization,
            "entries": entries,
            "counts": counts,
            "year": year,
            "year_field": filterset.form["year"],
            "can_record": policies.can_record_committee_work(request.user),
            "undated_agreements": selectors.organization_undated_agreements(
                actor=request.user, organization=organization
            ),
        },
    )


# --- the interactions behind a cell -------------------------------------------------------------------------


@login_required
@require_GET
def interaction_list_view(request):
    filterset = InteractionFilterSet(request.GET or None, queryset=Interaction.objects.none())
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    interactions = selectors.igo_interactions_for(actor=request.user, filters=filters)
    page = Paginator(interactions, INTERACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    organization = None
    if filterset.is_bound and filterset.form.is_valid():
        organization = filterset.form.cleaned_data.get("organization")
    return render(
        request,
        "iros/interaction_list.html",
        {
            "filterset": filterset,
            "page_obj": page,
            "interactions": page.object_list,
            "organization": organization,
            "is_filtered": bool(filters),
            "export_query": urlencode(filters),
            "can_record": policies.can_record_committee_work(request.user),
            **saved_filters_panel(request, INTERACTION_LIST),
        },
    )


@login_required
@require_GET
def interaction_export_view(request, extension: str):
    """The listed interactions as CSV or XLSX (`extension` comes from the route)."""
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    interactions = selectors.igo_interactions_for(actor=request.user, filters=filters)
    return spreadsheet_response(exports.interactions_sheet(interactions), extension=extension, stem="igo-interactions")


# --- one interaction ----------------------------------------------------------------------------------------


@require_GET
def interaction_detail_view(request, interaction_id: int):
    """One interaction, for whoever may see it (the Committee, administrators, the organizations involved; a
    public one everyone): what search results and lists link to. Its program and agreement are shown only when
    the viewer may see them too."""
    interaction = selectors.interaction_get_for(actor=request.user, interaction_id=interaction_id)
    context = selectors.interaction_related_for(actor=request.user, interaction=interaction)
    return render(
        request,
        "iros/interaction_detail.html",
        {
            "interaction": interaction,
            **context,
            "can_edit": policies.can_edit(request.user, interaction),
        },
    )


# --- recording the Committee's work -------------------------------------------------------------------------


def _interaction_form(request, *, data=None, initial=None) -> InteractionForm:
    choices = selectors.interaction_form_choices(actor=request.user)
    return InteractionForm(data, initial=initial, events=choices["events"], agreements=choices["agreements"])


def _after_interaction(interaction: Interaction):
    organization = interaction.organizations.order_by("acronym").first()
    if organization is None:
        return redirect("igo:tables")
    return redirect("igo:organization", acronym=organization.acronym)


@login_required
@require_http_methods(["GET", "POST"])
def interaction_create_view(request):
    _require_committee_work(request.user)
    if request.method == "POST":
        form = _interaction_form(request, data=request.POST)
        if form.is_valid():
            try:
                interaction = services.interaction_create(actor=request.user, **form.service_kwargs())
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The interaction was recorded."))
                return _after_interaction(interaction)
    else:
        initial = {"date": timezone.localdate()}
        acronym = request.GET.get("organization")
        if acronym:
            initial["organizations"] = [acronym]
        if request.GET.get("kind") in Interaction.Kind.values:
            initial["kind"] = request.GET["kind"]
        form = _interaction_form(request, initial=initial)
    return render(request, "iros/interaction_form.html", {"form": form, "interaction": None})


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit_view(request, interaction_id: int):
    interaction = selectors.interaction_get_for_edit(actor=request.user, interaction_id=interaction_id)
    if request.method == "POST":
        form = _interaction_form(request, data=request.POST)
        if form.is_valid():
            try:
                interaction = services.interaction_update(
                    actor=request.user, interaction=interaction, **form.service_kwargs()
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The interaction was updated."))
                return _after_interaction(interaction)
    else:
        form = _interaction_form(request, initial=InteractionForm.initial_for(interaction))
    return render(request, "iros/interaction_form.html", {"form": form, "interaction": interaction})


@login_required
@require_POST
def interaction_delete_view(request, interaction_id: int):
    interaction = selectors.interaction_get_for_edit(actor=request.user, interaction_id=interaction_id)
    services.interaction_delete(actor=request.user, interaction=interaction)
    messages.success(request, _("The interaction was deleted."))
    return redirect("igo:tables")


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request):
    _require_committee_work(request.user)
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The event was recorded."))
            return redirect("iros:event_detail", event_id=event.pk)
    return render(request, "iros/igo_event_form.html", {"form": form})
