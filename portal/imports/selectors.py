"""Reading the import history, given the acting user (through `ImportJob`'s policy)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from confidentiality import policies
from iros.models import Organization
from portal.imports.importers import Importer
from portal.imports.models import ImportJob
from portal.imports.services import progress_key


def import_jobs_for(*, actor, importer: Importer, organization: Organization | None = None) -> QuerySet[ImportJob]:
    """The imports of `importer`'s kind that `actor` may see (administrators: every organization's, or
    `organization`'s)."""
    jobs = policies.visible_to(actor, ImportJob.objects.filter(kind=importer.slug)).select_related(
        "organization", "created_by"
    )
    return jobs.filter(organization=organization) if organization is not None else jobs


def import_job_get_for(*, actor, importer: Importer, job_id: int) -> ImportJob:
    """One job of `importer`'s kind `actor` may see; 404 for another's, exactly like a missing one."""
    return policies.get_visible_or_404(actor, import_jobs_for(actor=actor, importer=importer), pk=job_id)


def import_job_rows_done(job: ImportJob) -> int:
    """Rows done: the worker's count in the cache while it runs, the job's own once it ended."""
    if job.state == ImportJob.State.RUNNING:
        return cache.get(progress_key(job.pk), job.rows_done)
    return job.rows_done
