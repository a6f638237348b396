"""Program pages: list, detail, create and edit with the audience preview, documents, workflow and exports.

Views validate input, call one selector or service and render. Every record is read through
`programs.selectors` (the visibility policy): a hidden program answers 404 like a missing one, a visible program
the viewer may not change answers 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from confidentiality import policies
from confidentiality.views import SubmissionDetailView, SubmissionFormView
from iros.models import Organization
from portal.kernel.downloads import spreadsheet_response, stored_file_response
from portal.preferences.lists import list_params, saved_filters_panel
from programs import exports, iati, selectors, services
from programs.filters import ProgramFilterSet
from programs.forms import DocumentForm, DocumentFormSet, PartnerFormSet, ProgramForm, partner_initial
from programs.tables import (
    OPTIONAL_COLUMNS,
    PER_PAGE_CHOICES,
    PROGRAM_LIST,
    ProgramTable,
    column_choices,
    columns_from,
    per_page_from,
)

# Query-string keys that are not filters: they never count as "the list is filtered".
NON_FILTER_KEYS = {"page", "per_page", "sort", "columns", "ordering"}


# --- list and exports ---------------------------------------------------------------------------------------


def _filterset(request) -> ProgramFilterSet:
    """The shared FilterSet over the programs `request.user` may see."""
    return ProgramFilterSet(
        request.GET or None, queryset=selectors.program_list_for(actor=request.user), request=request
    )


def _active_filters(filterset: ProgramFilterSet) -> list[dict]:
    """The filters in force, each with a URL that drops it: the "current filter" shown above the table."""
    if not filterset.is_bound or not filterset.form.is_valid():
        return []
    active = []
    for name, field in filterset.form.fields.items():
        value = filterset.form.cleaned_data.get(name)
        if name in NON_FILTER_KEYS or value in (None, ""):
            continue
        if isinstance(value, slice):  # a date range
            if value.start is None and value.stop is None:
                continue
            start = date_format(value.start, "SHORT_DATE_FORMAT") if value.start else "…"
            stop = date_format(value.stop, "SHORT_DATE_FORMAT") if value.stop else "…"
            shown = f"{start} – {stop}"
        elif isinstance(value, Model):
            shown = str(value)
        elif getattr(field, "choices", None) is not None:
            shown = str(dict(field.choices).get(value, value))
        else:
            shown = str(value)
        remaining = filterset.data.copy()
        for key in list(remaining):
            if key in (name, "page") or key.startswith(f"{name}_"):
                remaining.pop(key)
        active.append({"label": field.label, "value": shown, "remove_url": "?" + remaining.urlencode()})
    return active


@require_GET
def program_list_view(request):
    """The programs the viewer may see, filtered; the columns and page size are the ones asked for, else the
    ones the viewer chose last time (`portal.preferences`)."""
    filterset = _filterset(request)
    params = list_params(request, PROGRAM_LIST)
    columns = columns_from(params.getlist("columns"))
    per_page = per_page_from(params.get("per_page"))
    queryset = filterset.qs.prefetch_related("thematic_areas")
    if "regions" in columns:
        queryset = queryset.prefetch_related("regions")
    table = ProgramTable(queryset, columns=columns, request=request)
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    is_filtered = any(value for key, value in request.GET.items() if key not in NON_FILTER_KEYS)
    return render(
        request,
        "programs/program_list.html",
        {
            "filterset": filterset,
            "table": table,
            "page_obj": table.page,
            "is_filtered": is_filtered,
            "active_filters": _active_filters(filterset),
            "column_choices": column_choices(),
            "chosen_columns": columns,
            "columns_customised": "columns" in params,
            "optional_columns": OPTIONAL_COLUMNS,
            "per_page": per_page,
            "per_page_choices": PER_PAGE_CHOICES,
            "can_create": policies.can_create_submission(request.user, None),
            "export_query": _export_query(request, columns),
            "import_export_query": _export_query(request, None),
            **saved_filters_panel(request, PROGRAM_LIST),
        },
    )


def _export_query(request, columns) -> str:
    """The list's filter and sorting, and the columns it shows: the export holds what the table holds (None:
    every column in codes, for re-import)."""
    query = request.GET.copy()
    for key in ("page", "per_page", "columns"):
        query.pop(key, None)
    if columns is None:
        query["for_import"] = "1"
    else:
        query["columns"] = ",".join(columns)
    return query.urlencode()


def _export_rows(request):
    filterset = _filterset(request)
    return filterset.qs.order_by("organization__acronym", "title", "pk")


@login_required
@require_GET
def program_export_view(request, extension: str):
    """The current filter's visible programs as CSV or XLSX (`extension` comes from the route): the columns of
    `?columns=` (the table's; every column when absent) with labels, or every column in codes with
    `?for_import=1`."""
    table_columns = columns_from(request.GET.getlist("columns")) if "columns" in request.GET else None
    sheet = exports.program_sheet(
        request.user,
        _export_rows(request),
        table_columns=table_columns,
        for_import=request.GET.get("for_import") == "1",
    )
    return spreadsheet_response(sheet, extension=extension, stem="programs")


# --- one program: the generic submission pages, configured ----------------------------------------------------


class ProgramDetailView(SubmissionDetailView):
    def get_extra_context(self, record, *, can_edit: bool) -> dict:
        return {"document_form": DocumentForm() if can_edit else None}


# The document rows' data when a post has none: no rows, valid.
NO_DOCUMENTS = {"documents-TOTAL_FORMS": "0", "documents-INITIAL_FORMS": "0"}


class ProgramFormView(SubmissionFormView):
    """The program form with its partner rows and its document rows: one POST writes the program, its partners and
    its documents in one transaction (`programs.services`), or nothing when anything is refused.

    A page shown again (a preview, an error) cannot hand the chosen files back to the browser, so it names them to
    be chosen again (`programs/program_form.html`). Keeping them on the server (`portal.kernel.pending_uploads`,
    as the imports do) was not chosen: it keeps one confirmed file per slot, while this form may carry several that
    nobody may ever come back for, and a stale kept file attached by a later save would be worse than asking again.
    """

    form_class = ProgramForm

    def get_formsets(self, data, record) -> dict:
        if data is not None:
            # The document rows are optional: a post without them (a page opened before they existed) attaches none.
            documents = data if "documents-TOTAL_FORMS" in data else NO_DOCUMENTS
            return {
                "partners": PartnerFormSet(data, prefix="partners"),
                "documents": DocumentFormSet(documents, self.request.FILES, prefix="documents"),
            }
        return {
            "partners": PartnerFormSet(initial=partner_initial(record) if record else None, prefix="partners"),
            "documents": DocumentFormSet(prefix="documents"),
        }

    def service_fields(self, form, formsets: dict) -> dict:
        fields = {**form.service_fields(), "partners": formsets["partners"].partners()}
        uploads = formsets["documents"].uploads()
        if uploads:  # only then: a save without files may still be "nothing changed"
            fields["documents"] = uploads
        self.attached_names = [upload.file.name for upload in uploads]
        return fields

    def saved_messages(self, saved, *, record, before: dict) -> list[str]:
        names = getattr(self, "attached_names", [])
        return [_("Attached: %(files)s.") % {"files": ", ".join(names)}] if names else []


# --- documents ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_create_view(request, program_id: int):
    program = selectors.program_get_for_edit(actor=request.user, program_id=program_id)
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_create(
                    actor=request.user,
                    program=program,
                    title=form.cleaned_data["title"],
                    file=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("The document “%(title)s” was added.") % {"title": document.title})
                return redirect(program)
    else:
        form = DocumentForm()
    return render(request, "programs/document_form.html", {"program": program, "form": form})


@require_GET
def document_download_view(request, document_id: int):
    document = selectors.document_get_for(actor=request.user, document_id=document_id)
    return stored_file_response(document.file, filename=document.filename, content_type=document.content_type)


@login_required
@require_POST
def document_delete_view(request, document_id: int):
    document = selectors.document_get_for(actor=request.user, document_id=document_id)
    if not policies.can_edit(request.user, document):
        raise PermissionDenied
    program = document.program
    services.document_delete(actor=request.user, document=document)
    messages.success(request, _("The document was deleted."))
    return redirect(program)


# --- IATI: the public programs, for aid-transparency registries --------------------------------------------------


@require_GET
def iati_activities_view(request, acronym: str | None = None):
    """Every public program, or one organization's, as an IATI 2.03 `iati-activities` file (nothing else ever)."""
    organization = None
    if acronym is not None:
        organization = policies.get_visible_or_404(request.user, Organization.objects.all(), acronym=acronym)
    document = iati.activities_xml(iati.public_programs(organization=organization))
    response = HttpResponse(document, content_type="application/xml; charset=utf-8")
    # Public data, the same for everyone: cacheable for a short while, never personalised.
    response["Cache-Control"] = "public, max-age=300"
    return response
