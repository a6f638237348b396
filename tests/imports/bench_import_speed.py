"""Import speed: 5,000 programs through the import API as a focal point (dry run, then the import), with grants.

Not part of `make test` (its name does not start with `test_`): run it with
`TEST_DATABASE_NAME=test_portal_bench_import .venv/bin/pytest -p no:xdist -q -s tests/imports/bench_import_speed.py`.
The rows go through `programs.services` like typed ones; the figures print as rows per second.
"""

import os
import time

import pytest
from django.core.management import call_command
from django.test import override_settings

from confidentiality.models import Audience
from confidentiality.services import grants_mismatches
from programs.models import Program
from tests.factories import api_client_for
from tests.imports.files import counts, csv_file, post_import

ROWS = int(os.environ.get("IMPORT_BENCH_ROWS", "5000"))
AUDIENCES = ["committee", "selected", "all_iros", "public"]


@pytest.mark.django_db
@override_settings(IMPORT_MAX_ROWS=ROWS, IMPORT_INLINE_MAX_ROWS=ROWS)
def test_import_speed(people, orgs):
    call_command("seed_reference", verbosity=0)
    rows = [
        {
            "Key": f"SPEED-{number}",
            "Title": f"Programme {number} on export controls",
            "Summary": "Training of customs and licensing officers on strategic trade controls.",
            "Status": "ongoing",
            "State": "submitted",
            "Audience": AUDIENCES[number % 4],
            "Shared with": orgs["selected"].acronym if number % 4 == 1 else "",
            "Thematic areas": "op3d; training",
            "Regions": "143",  # Central Asia
            "Start date": "2024-01",
        }
        for number in range(ROWS)
    ]
    client = api_client_for(people["owner_focal"])

    started = time.perf_counter()
    dry = post_import(client, "programs", csv_file(rows), dry_run=True)
    dry_seconds = time.perf_counter() - started
    assert dry.status_code == 200, dry.json()["errors"][:3]

    started = time.perf_counter()
    done = post_import(client, "programs", csv_file(rows), dry_run=False)
    import_seconds = time.perf_counter() - started

    assert counts(done) == (ROWS, 0, 0), done.json()["errors"][:3]
    assert Program.objects.filter(external_key__startswith="SPEED-").count() == ROWS
    assert Program.objects.filter(audience=Audience.PUBLIC, external_key__startswith="SPEED-").count() == ROWS // 4
    assert grants_mismatches(Program) == []
    print(
        f"\n{ROWS} programs: dry run {dry_seconds:.1f} s ({ROWS / dry_seconds:.0f} rows/s), "
        f"import {import_seconds:.1f} s ({ROWS / import_seconds:.0f} rows/s)"
    )
