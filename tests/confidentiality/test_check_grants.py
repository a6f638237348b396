"""`manage.py check_grants [--fix]`: reports records whose grants differ from their fields, rebuilds them on demand."""

from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError
from django.db import connection

from confidentiality import index, policies
from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from contacts.models import PointOfContactGrant
from programs.models import Program, ProgramGrant
from tests.factories import PointOfContactFactory


def _check(*args) -> str:
    out = StringIO()
    call_command("check_grants", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def records(orgs, make_program):
    contact = PointOfContactFactory(organization=orgs["owner"], state=State.SUBMITTED, audience=Audience.PUBLIC)
    grants_write(contact)
    return {
        "draft": make_program(state=State.DRAFT),
        "committee": make_program(audience=Audience.COMMITTEE),
        "selected": make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]]),
        "all_iros": make_program(audience=Audience.ALL_IROS),
        "public": make_program(audience=Audience.PUBLIC),
        "contact": contact,
    }


def test_no_mismatch_reports_success_and_exits_zero(records):
    output = _check()
    assert "programs.program: grants match every record." in output
    assert "contacts.pointofcontact: grants match every record." in output
    assert "No mismatches." in output


def test_an_empty_database_has_no_mismatch(db):
    assert "No mismatches." in _check()


def test_a_deleted_grant_is_reported_with_its_record_id_and_exits_non_zero(records):
    # given: the selected organization lost its view row
    record = records["selected"]
    view = index.permission_id(Program, "view")
    ProgramGrant.objects.filter(
        content_object=record, permission_id=view, group=record.shared_with.get().group
    ).delete()
    # when
    with pytest.raises(CommandError, match="1 record\\(s\\) with mismatched grants") as raised:
        _check()
    # then
    assert raised.value.returncode == 1


def test_the_report_names_each_record(records):
    ProgramGrant.objects.filter(content_object=records["draft"]).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_grants", stdout=out)
    assert f"programs.program: 1 record(s) with mismatched grants: #{records['draft'].pk}" in out.getvalue()
    assert "contacts.pointofcontact: grants match every record." in out.getvalue()


def test_an_audience_changed_behind_the_service_is_reported(records):
    # given: a raw UPDATE widens a Committee-only record to the public without touching its grants
    record = records["committee"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE programs_program SET audience = 'public' WHERE id = %s", [record.pk])
    out = StringIO()
    # when
    with pytest.raises(CommandError):
        call_command("check_grants", stdout=out)
    # then
    assert f"#{record.pk}" in out.getvalue()


def test_an_extra_grant_is_reported(records, orgs):
    # given: a leak — a view row for an organization nobody chose
    record = records["committee"]
    ProgramGrant.objects.create(
        content_object=record, group=orgs["other"].group, permission_id=index.permission_id(Program, "view")
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_grants", stdout=out)
    assert f"#{record.pk}" in out.getvalue()


def test_a_tampered_contact_is_reported(records):
    PointOfContactGrant.objects.filter(content_object=records["contact"]).delete()
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_grants", stdout=out)
    assert f"contacts.pointofcontact: 1 record(s) with mismatched grants: #{records['contact'].pk}" in out.getvalue()


def test_fix_rebuilds_and_a_second_run_is_clean(records, orgs):
    # given: three kinds of tampering
    ProgramGrant.objects.filter(content_object=records["selected"]).delete()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE programs_program SET audience = 'all_iros' WHERE id = %s", [records["public"].pk])
    ProgramGrant.objects.create(
        content_object=records["draft"],
        group=orgs["other"].group,
        permission_id=index.permission_id(Program, "view"),
    )
    untouched = sorted(ProgramGrant.objects.filter(content_object=records["committee"]).values_list("pk", flat=True))
    # when
    output = _check("--fix")
    # then
    assert "3 record(s) with mismatched grants" in output
    assert "rebuilt" in output
    assert "No mismatches." in _check()
    # only the differing records were rewritten
    assert sorted(ProgramGrant.objects.filter(content_object=records["committee"]).values_list("pk", flat=True)) == (
        untouched
    )
    # and the rebuilt index enforces the fields again
    assert policies.can_view(_member_of(orgs["selected"]), records["selected"])
    assert not policies.can_view(_member_of(orgs["other"]), records["draft"])


def test_the_command_line_exits_non_zero_on_a_mismatch(records, capsys):
    ProgramGrant.objects.filter(content_object=records["public"]).delete()
    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "check_grants"])
    assert exited.value.code == 1
    assert "Run with --fix" in capsys.readouterr().err


def _member_of(organization):
    from portal.accounts.models import Role
    from tests.factories import UserFactory

    return UserFactory(role=Role.MEMBER, organization=organization)
