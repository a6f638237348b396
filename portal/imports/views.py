"""The import pages of every kind of record (NetBox's generic views idea): upload and preview, import, a queued
job's progress and cancel, and the history — configured per kind by an `Importer`.

Nothing is written by the preview; "Import" takes the previewed file back from the server with a one-time token
(`portal.kernel.pending_uploads`) and imports it inline, or queues it for a worker when it is large. A kind's app
routes its pages with `import_urlpatterns`, under its own namespace.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views import View

from confidentiality import policies
from iros.models import Organization
from portal.imports import selectors, services
from portal.imports.forms import ImportForm
from portal.imports.importers import Importer
from portal.kernel.pending_uploads import upload_keep, upload_take

HISTORY_LIMIT = 200
REFRESH_SECONDS = 2


def import_urlpatterns(importer: Importer, *, prefix: str) -> list:
    """The import pages of `importer`'s kind under `prefix` ("import/"), named in its namespace."""
    names = importer.route_prefix
    return [
        path(prefix, ImportView.as_view(importer=importer), name=f"{names}import"),
        path(f"{prefix}history/", ImportHistoryView.as_view(importer=importer), name=f"{names}import_history"),
        path(f"{prefix}jobs/<int:job_id>/", ImportJobView.as_view(importer=importer), name=f"{names}import_job"),
        path(
            f"{prefix}jobs/<int:job_id>/cancel/",
            ImportJobCancelView.as_view(importer=importer),
            name=f"{names}import_job_cancel",
        ),
    ]


class ImporterView(LoginRequiredMixin, View):
    importer: Importer = None  # set by `import_urlpatterns`

    def context(self, **extra) -> dict:
        importer = self.importer
        return {
            "importer": importer,
            "texts": importer.texts,
            "import_url": importer.url("import"),
            "history_url": importer.url("import_history"),
            "list_url": importer.list_url(),
            **extra,
        }

    def require_importer(self, request) -> None:
        if not self.importer.may_import(request.user):
            raise PermissionDenied


class ImportView(ImporterView):
    """Upload a file to see, per row, what an import would do; nothing is written until “Import” is pressed."""

    http_method_names = ["get", "post"]

    @property
    def slot(self) -> str:
        return f"{self.importer.slug}-import"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.require_importer(request)
        return super().dispatch(request, *args, **kwargs)

    def form(self, request, *, bound: bool) -> ImportForm:
        return ImportForm(
            request.POST if bound else None,
            request.FILES if bound else None,
            user=request.user,
            chooses_organization=self.importer.chooses_organization,
        )

    def get(self, request):
        return self.page(request, form=self.form(request, bound=False))

    def post(self, request):
        if "token" in request.POST:
            return self.confirmed(request)
        form = self.form(request, bound=True)
        extra = {}
        if form.is_valid():
            file, organization = form.cleaned_data["file"], form.cleaned_data.get("organization")
            report = services.import_run(
                importer=self.importer,
                actor=request.user,
                file=file,
                filename=file.name,
                dry_run=True,
                organization=organization,
            )
            extra = {"report": report, "filename": file.name}
            if not report.problems and report.rows:
                extra["token"] = upload_keep(
                    request,
                    slot=self.slot,
                    file=file,
                    organization=organization.pk if organization else None,
                    rows=len(report.rows),
                )
        return self.page(request, form=form, **extra)

    def confirmed(self, request):
        kept = upload_take(request, slot=self.slot, token=request.POST["token"])
        if kept is None:
            messages.error(request, _("This preview was already imported or has expired: upload the file again."))
            return redirect(self.importer.route("import"))
        file, details = kept
        organization = None
        if details.get("organization"):
            organization = policies.get_visible_or_404(
                request.user, Organization.objects.all(), pk=details["organization"]
            )
        if not services.import_runs_inline(details["rows"]):
            job = services.import_job_queue(
                importer=self.importer,
                actor=request.user,
                file=file,
                organization=organization,
                rows_total=details["rows"],
            )
            return redirect(job)
        report = services.import_run(
            importer=self.importer,
            actor=request.user,
            file=file,
            filename=file.name,
            dry_run=False,
            organization=organization,
        )
        services.import_record_inline(
            importer=self.importer, actor=request.user, organization=organization, filename=file.name, report=report
        )
        return self.page(request, form=self.form(request, bound=False), report=report, filename=file.name)

    def page(self, request, **extra):
        templates = {extension: self.importer.template_url(extension) for extension in ("xlsx", "csv")}
        return render(request, "imports/import.html", self.context(templates=templates, **extra))


class ImportHistoryView(ImporterView):
    """Who imported which file when, and what came of it: a focal point's organization's imports, the Committee's
    imports for Committee experts, any for administrators (who may filter by organization)."""

    http_method_names = ["get"]

    def get(self, request):
        self.require_importer(request)
        organization = None
        if request.GET.get("organization"):
            organization = policies.get_visible_or_404(
                request.user, Organization.objects.all(), acronym=request.GET["organization"]
            )
        jobs = selectors.import_jobs_for(actor=request.user, importer=self.importer, organization=organization)
        organizations = None
        if self.importer.chooses_organization and policies.own_organization(request.user) is None:
            organizations = Organization.objects.order_by("acronym")
        context = self.context(jobs=jobs[:HISTORY_LIMIT], organization=organization, organizations=organizations)
        return render(request, "imports/history.html", context)


class ImportJobView(ImporterView):
    """A queued import's progress (the page reloads itself until the job ends), then its result."""

    http_method_names = ["get"]

    def get(self, request, job_id: int):
        job = selectors.import_job_get_for(actor=request.user, importer=self.importer, job_id=job_id)
        context = self.context(
            job=job,
            rows_done=selectors.import_job_rows_done(job),
            refresh_seconds=REFRESH_SECONDS,
            cancel_url=self.importer.url("import_job_cancel", job.pk),
        )
        return render(request, "imports/job.html", context)


class ImportJobCancelView(ImporterView):
    http_method_names = ["post"]

    def post(self, request, job_id: int):
        job = selectors.import_job_get_for(actor=request.user, importer=self.importer, job_id=job_id)
        if not policies.can_edit(request.user, job):
            raise PermissionDenied
        services.import_job_cancel(job=job)
        messages.info(request, _("The import is being cancelled: nothing will be written."))
        return redirect(job)
