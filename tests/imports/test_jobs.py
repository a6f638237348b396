"""Imports as jobs, here of programs: large files queued for a worker (run here in-process, the task's body),
cancel, the history of every import, who sees it, and the sweep of jobs a lost worker left running. The real
worker: tests/imports/test_worker.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from iros.imports import INTERACTIONS
from portal.imports import selectors, services
from portal.imports.models import ImportJob
from portal.imports.tasks import imports_job_run, imports_sweep
from programs.imports import PROGRAMS
from programs.models import Program
from tests.programs.test_import import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_inline_limit(settings):
    settings.IMPORT_INLINE_MAX_ROWS = 2


def rows(count: int, *, title: str = "Program") -> list[dict]:
    return [{"Title": f"{title} {number}"} for number in range(1, count + 1)]


def queue(actor, *, name: str = "programs.csv", count: int = 3) -> ImportJob:
    """A job queued by `actor` (its task is not run: callbacks on commit do not fire in these tests)."""
    return services.import_job_queue(
        importer=PROGRAMS, actor=actor, file=csv_file(rows(count), name=name), organization=None, rows_total=count
    )


def preview_and_import(client, file, django_capture_on_commit_callbacks):
    """Upload, then press Import: the response and the callbacks queued on commit (not run)."""
    token = client.post(reverse("programs:import"), {"file": file}).context["token"]
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("programs:import"), {"token": token})
    return response, callbacks


def test_a_file_over_the_inline_limit_is_queued_and_the_job_page_shows_its_progress(
    client, people, orgs, django_capture_on_commit_callbacks
):
    client.force_login(people["owner_focal"])

    file = csv_file(rows(3), name="big.csv")
    response, callbacks = preview_and_import(client, file, django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert len(callbacks) == 1  # the task, queued once the job row commits
    assert (job.state, job.rows_total, job.filename, job.organization) == ("queued", 3, "big.csv", orgs["owner"])
    assert job.created_by == people["owner_focal"] and not job.inline
    assert not Program.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<progress id="import-progress" class="w-100 mb-3" max="3" value="0">' in page
    assert '<meta http-equiv="refresh"' in page
    assert reverse("programs:import_job_cancel", args=[job.pk]) in page


def test_the_task_imports_all_and_records_the_result_then_does_nothing_again(
    client, people, orgs, django_capture_on_commit_callbacks
):
    client.force_login(people["owner_focal"])
    preview_and_import(client, csv_file(rows(3)), django_capture_on_commit_callbacks)
    job = ImportJob.objects.get()
    stored = job.stored_file

    assert imports_job_run(job.pk) == "done"

    job.refresh_from_db()
    assert job.state == "done" and job.rows_done == 3 and job.finished_at is not None
    assert job.result == {"dry_run": False, "created": 3, "updated": 0, "unchanged": 0, "errors": []}
    assert Program.objects.filter(organization=orgs["owner"]).count() == 3
    assert not default_storage.exists(stored) and job.stored_file == ""
    # a second delivery of the same task finds the job taken and writes nothing twice
    assert imports_job_run(job.pk) is None
    assert Program.objects.count() == 3
    page = client.get(job.get_absolute_url()).content.decode()
    assert "3 created, 0 updated, 0 unchanged." in page and "<progress" not in page and "refresh" not in page


def test_a_row_refused_by_the_services_fails_the_job_and_writes_nothing(client, people, orgs):
    # given: a job whose third row names another organization (a focal point imports for its own only)
    file = csv_file([*rows(2), {"Title": "Theirs", "Organization": "OTHER"}])
    job = services.import_job_queue(
        importer=PROGRAMS, actor=people["owner_focal"], file=file, organization=None, rows_total=3
    )

    assert services.import_job_run(job_id=job.pk) == "failed"

    job.refresh_from_db()
    assert not Program.objects.exists()
    assert job.state == "failed"
    [error] = job.result["errors"]
    assert error["row"] == 4 and error["column"] == "Organization"
    client.force_login(people["owner_focal"])
    assert "1 problem" in client.get(reverse("programs:import_history")).content.decode()
    assert "Row 4, column Organization" in client.get(job.get_absolute_url()).content.decode()


def test_a_queued_job_cancelled_never_runs(people, orgs, django_capture_on_commit_callbacks):
    job = queue(people["owner_focal"])
    stored = job.stored_file

    with django_capture_on_commit_callbacks(execute=True):
        services.import_job_cancel(job=job)

    job.refresh_from_db()
    assert job.state == "cancelled" and not default_storage.exists(stored)
    assert services.import_job_run(job_id=job.pk) is None
    assert not Program.objects.exists()


def test_a_cancel_seen_between_rows_rolls_the_whole_import_back(people, orgs):
    # given: the cancel flag committed by the web while the worker imports (here: before its first row ends)
    job = queue(people["owner_focal"])
    ImportJob.objects.filter(pk=job.pk).update(cancel_requested=True)

    assert services.import_job_run(job_id=job.pk) == "cancelled"

    job.refresh_from_db()
    assert job.state == "cancelled" and job.rows_done == 1
    assert not Program.objects.exists()


def test_a_running_jobs_progress_is_read_from_the_cache(people, orgs):
    job = queue(people["owner_focal"])
    ImportJob.objects.filter(pk=job.pk).update(state="running")
    job.refresh_from_db()
    assert selectors.import_job_rows_done(job) == 0

    # the worker's progress callback writes here, outside the import's transaction
    services.cache.set(services.progress_key(job.pk), 2)

    assert selectors.import_job_rows_done(job) == 2


def test_an_inline_import_is_recorded_in_the_history(client, people, orgs, django_capture_on_commit_callbacks):
    client.force_login(people["owner_focal"])

    file = csv_file(rows(2), name="small.csv")
    response, callbacks = preview_and_import(client, file, django_capture_on_commit_callbacks)

    assert response.status_code == 200 and response.context["report"].written and not callbacks
    job = ImportJob.objects.get()
    assert (job.inline, job.state, job.rows_total, job.result["created"]) == (True, "done", 2, 2)
    history = client.get(reverse("programs:import_history")).content.decode()
    assert "small.csv" in history and "2 created, 0 updated, 0 unchanged." in history


@pytest.mark.parametrize(
    ("persona", "status"),
    [("owner_focal", 200), ("admin", 200), ("other_focal", 404), ("committee", 404), ("owner_member", 404)],
)
def test_a_job_is_its_organizations_and_the_administrators(client, people, orgs, persona, status):
    job = queue(people["owner_focal"])
    client.force_login(people[persona])

    assert client.get(job.get_absolute_url()).status_code == status
    cancel = client.post(reverse("programs:import_job_cancel", args=[job.pk]))

    job.refresh_from_db()
    assert (cancel.status_code, job.state) == ((302, "cancelled") if status == 200 else (404, "queued"))


def test_the_history_shows_a_focal_point_its_organizations_and_administrators_all_or_one(client, people, orgs):
    mine = queue(people["owner_focal"], name="mine.csv")
    theirs = queue(people["other_focal"], name="theirs.csv")

    client.force_login(people["owner_focal"])
    assert list(client.get(reverse("programs:import_history")).context["jobs"]) == [mine]
    client.force_login(people["admin"])
    assert set(client.get(reverse("programs:import_history")).context["jobs"]) == {mine, theirs}
    filtered = client.get(reverse("programs:import_history"), {"organization": "OTHER"})
    assert list(filtered.context["jobs"]) == [theirs]
    client.force_login(people["owner_member"])
    assert client.get(reverse("programs:import_history")).status_code == 403


# --- the sweep: jobs a lost worker left running, tasks a lost message never delivered -----------------------------


def running(job: ImportJob, *, minutes_ago: int) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(
        state="running", started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    job.refresh_from_db()
    return job


def test_the_sweep_fails_jobs_running_past_the_timeout_once_and_leaves_the_others(people, orgs, settings):
    settings.IMPORT_JOB_TIMEOUT_MINUTES = 30
    stuck = running(queue(people["owner_focal"], name="stuck.csv"), minutes_ago=31)
    running(queue(people["owner_focal"], name="busy.csv"), minutes_ago=29)
    done = queue(people["owner_focal"], name="done.csv")
    ImportJob.objects.filter(pk=done.pk).update(state="done", started_at=timezone.now() - timedelta(days=1))
    waiting = queue(people["owner_focal"], name="waiting.csv")
    stored = stuck.stored_file

    assert imports_sweep()["failed"] == 1

    states = dict(ImportJob.objects.values_list("filename", "state"))
    assert states == {"stuck.csv": "failed", "busy.csv": "running", "done.csv": "done", "waiting.csv": "queued"}
    stuck.refresh_from_db()
    assert stuck.finished_at is not None and stuck.stored_file == "" and not default_storage.exists(stored)
    [error] = stuck.result["errors"]
    assert "did not finish within 30 minutes" in error["message"] and "nothing was written" in error["message"]
    # idempotent: a second sweep changes nothing
    assert imports_sweep()["failed"] == 0
    assert ImportJob.objects.get(pk=stuck.pk).finished_at == stuck.finished_at
    assert waiting.state == "queued"


def test_a_worker_whose_job_was_swept_stops_and_writes_nothing(people, orgs):
    # given: the sweep declared the job lost just as its worker took it (here: before its first row ends)
    job = queue(people["owner_focal"])
    real_progress_key = services.progress_key

    def sweep_meanwhile(job_id):
        ImportJob.objects.filter(pk=job_id, state="running").update(state="failed", result={"errors": ["swept"]})
        return real_progress_key(job_id)

    services.progress_key = sweep_meanwhile
    try:
        state = services.import_job_run(job_id=job.pk)
    finally:
        services.progress_key = real_progress_key

    # then: its rows are rolled back and the sweep's verdict stands
    assert state == "failed"
    assert ImportJob.objects.get(pk=job.pk).result == {"errors": ["swept"]}
    assert not Program.objects.exists()


def test_the_sweep_queues_again_a_job_whose_task_never_came(people, orgs, django_capture_on_commit_callbacks):
    old = queue(people["owner_focal"], name="old.csv")
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    queue(people["owner_focal"], name="new.csv")

    with django_capture_on_commit_callbacks() as callbacks:
        result = imports_sweep()

    assert result == {"failed": 0, "requeued": 1} and len(callbacks) == 1
    # the task takes the job once: run twice, it imports once
    assert imports_job_run(old.pk) == "done" and imports_job_run(old.pk) is None
    assert Program.objects.count() == 3


def test_the_sweep_runs_every_few_minutes(settings):
    entry = next(entry for entry in settings.CELERY_BEAT_SCHEDULE.values() if entry["task"] == "imports.sweep")
    assert entry["schedule"] <= 600


# --- the Committee's imports ---------------------------------------------------------------------------------------


def committee_job(actor) -> ImportJob:
    file = csv_file([{"Date": "2011", "Kind": "meeting", "Organizations": "OWNER", "Summary": "Met"}])
    return services.import_job_queue(importer=INTERACTIONS, actor=actor, file=file, organization=None, rows_total=1)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("committee", 200), ("admin", 200), ("owner_focal", 404), ("owner_member", 404)],
)
def test_the_committees_import_jobs_are_the_committees_and_the_administrators(client, people, orgs, persona, status):
    job = committee_job(people["committee"])
    assert job.organization is None
    client.force_login(people[persona])

    assert client.get(job.get_absolute_url()).status_code == status
    cancel = client.post(INTERACTIONS.url("import_job_cancel", job.pk))

    job.refresh_from_db()
    assert (cancel.status_code, job.state) == ((302, "cancelled") if status == 200 else (404, "queued"))


def test_a_committee_expert_sees_the_committees_imports_but_no_organizations(client, people, orgs):
    mine = committee_job(people["committee"])
    by_admin = committee_job(people["admin"])
    queue(people["owner_focal"], name="programs.csv")

    client.force_login(people["committee"])

    assert set(client.get(INTERACTIONS.url("import_history")).context["jobs"]) == {mine, by_admin}
    assert client.get(reverse("programs:import_history")).status_code == 403
