"""The schema itself refuses what would make the grant index or the audit lie, whoever writes."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.utils import DatabaseError

from confidentiality import services
from confidentiality.models import Audience, SharingAudit, State
from contacts.models import PointOfContactGrant
from programs.models import Program, ProgramGrant
from tests.factories import PointOfContactFactory


@pytest.fixture
def audit_entry(people, make_program):
    record = make_program(state=State.DRAFT)
    services.submission_submit(actor=people["owner_focal"], record=record)
    return SharingAudit.objects.get(record_id=record.pk)


def _refused(callable_, *, match: str):
    """Run `callable_` in a savepoint and expect the database to refuse it (the test transaction stays usable)."""
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        callable_()


# --- the audit is append-only -------------------------------------------------------------------------------


def test_the_audit_refuses_updates_through_the_orm(audit_entry):
    _refused(
        lambda: SharingAudit.objects.filter(pk=audit_entry.pk).update(new_audience=Audience.PUBLIC), match="append-only"
    )
    audit_entry.new_audience = Audience.PUBLIC
    _refused(audit_entry.save, match="append-only")
    assert SharingAudit.objects.get(pk=audit_entry.pk).new_audience == Audience.COMMITTEE


def test_the_audit_refuses_deletes_through_the_orm(audit_entry):
    _refused(audit_entry.delete, match="append-only")
    _refused(SharingAudit.objects.all().delete, match="append-only")
    assert SharingAudit.objects.filter(pk=audit_entry.pk).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE confidentiality_sharingaudit SET new_audience = 'public' WHERE id = %s",
        "DELETE FROM confidentiality_sharingaudit WHERE id = %s",
    ],
)
def test_the_audit_refuses_raw_sql(audit_entry, sql):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [audit_entry.pk])

    _refused(run, match="append-only")
    assert SharingAudit.objects.get(pk=audit_entry.pk).new_audience == Audience.COMMITTEE


def test_the_audit_refuses_truncate_to_every_role_but_its_owner(audit_entry):
    # given a role that is not the owner, even holding the TRUNCATE privilege (the application's role holds none:
    # tests/security/test_db_roles.py); the owner alone may (migrations, maintenance, test flushes)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE portal_audit_truncate_probe NOLOGIN")
        cursor.execute("GRANT TRUNCATE ON confidentiality_sharingaudit TO portal_audit_truncate_probe")

    def truncate():
        with connection.cursor() as cursor:
            # PostgreSQL refuses TRUNCATE of a table with deferred checks pending: run them first, so the
            # refusal seen is the trigger's.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL ROLE portal_audit_truncate_probe")
            cursor.execute("TRUNCATE confidentiality_sharingaudit")

    try:
        _refused(truncate, match="cannot be truncated")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("REVOKE ALL ON confidentiality_sharingaudit FROM portal_audit_truncate_probe")
            cursor.execute("DROP ROLE portal_audit_truncate_probe")
    assert SharingAudit.objects.filter(pk=audit_entry.pk).exists()


def test_the_audit_accepts_appends(audit_entry):
    # given / when: another change
    record = Program.objects.get(pk=audit_entry.record_id)
    services.submission_set_audience(actor=audit_entry.actor, record=record, audience=Audience.PUBLIC)
    # then
    assert SharingAudit.objects.filter(record_id=record.pk).count() == 2


# --- shared_with follows the audience -----------------------------------------------------------------------


@pytest.mark.parametrize("audience", [Audience.COMMITTEE, Audience.ALL_IROS, Audience.PUBLIC])
def test_a_shared_row_on_a_record_not_shared_with_selected_organizations_is_refused(orgs, make_program, audience):
    record = make_program(audience=audience)
    _refused(lambda: record.shared_with.add(orgs["selected"]), match="only when the audience is selected")
    assert not record.shared_with.exists()


def test_a_shared_row_naming_the_owner_is_refused(orgs, make_program):
    record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    _refused(lambda: record.shared_with.add(orgs["owner"]), match="owner organization")
    assert list(record.shared_with.all()) == [orgs["selected"]]


def test_a_shared_row_naming_the_owner_is_refused_for_contacts_too(orgs):
    contact = PointOfContactFactory(organization=orgs["owner"], audience=Audience.SELECTED)
    with transaction.atomic():
        contact.shared_with.add(orgs["selected"])
    _refused(lambda: contact.shared_with.add(orgs["owner"]), match="owner organization")


def test_moving_a_record_to_its_shared_organization_is_refused(orgs, make_program):
    # the owner would then appear in its own shared_with
    record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    _refused(lambda: Program.objects.filter(pk=record.pk).update(organization=orgs["selected"]), match="owner")


@pytest.mark.parametrize("audience", [Audience.COMMITTEE, Audience.ALL_IROS, Audience.PUBLIC])
def test_leaving_selected_without_clearing_the_shared_rows_is_refused(orgs, make_program, audience):
    record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    _refused(lambda: Program.objects.filter(pk=record.pk).update(audience=audience), match="clear shared_with")
    record.refresh_from_db()
    assert record.audience == Audience.SELECTED


def test_leaving_selected_after_clearing_the_shared_rows_is_accepted(orgs, make_program):
    record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    with transaction.atomic():
        record.shared_with.clear()
        Program.objects.filter(pk=record.pk).update(audience=Audience.PUBLIC)
    record.refresh_from_db()
    assert record.audience == Audience.PUBLIC


# --- a `selected` record names someone, checked at COMMIT ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_selected_record_with_nobody_selected_is_refused_at_commit(orgs, make_program):
    # given
    record = make_program(audience=Audience.COMMITTEE)
    # when: the statement itself passes (the check is deferred) ...
    with pytest.raises(IntegrityError, match="must name at least one"), transaction.atomic():
        Program.objects.filter(pk=record.pk).update(audience=Audience.SELECTED)
        # ... inside the transaction the row reads as changed
        assert Program.objects.get(pk=record.pk).audience == Audience.SELECTED
    # then: the commit was refused and nothing changed
    record.refresh_from_db()
    assert record.audience == Audience.COMMITTEE


@pytest.mark.django_db(transaction=True)
def test_emptying_the_selection_of_a_selected_record_is_refused_at_commit(orgs, make_program):
    with transaction.atomic():  # created with its selection in one transaction, as the service does
        record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    with pytest.raises(IntegrityError, match="must name at least one"), transaction.atomic():
        record.shared_with.clear()
    assert list(record.shared_with.all()) == [orgs["selected"]]


@pytest.mark.django_db(transaction=True)
def test_a_selected_record_created_with_its_selection_in_the_same_transaction_commits(orgs):
    with transaction.atomic():
        record = Program.objects.create(
            organization=orgs["owner"], title="Selected", state=State.SUBMITTED, audience=Audience.SELECTED
        )
        record.shared_with.add(orgs["selected"])
    assert Program.objects.get(pk=record.pk).shared_with.get() == orgs["selected"]


@pytest.mark.django_db(transaction=True)
def test_a_selected_record_created_without_a_selection_is_refused_at_commit(orgs):
    with pytest.raises(IntegrityError, match="must name at least one"), transaction.atomic():
        Program.objects.create(organization=orgs["owner"], title="Nobody", audience=Audience.SELECTED)
    assert not Program.objects.filter(title="Nobody").exists()


# --- grants follow their record -----------------------------------------------------------------------------


def test_deleting_a_program_deletes_its_grants(orgs, make_program):
    record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    kept = make_program(audience=Audience.PUBLIC)
    assert ProgramGrant.objects.filter(content_object=record).count() == 4  # owner x3 + one selected view
    Program.objects.filter(pk=record.pk).delete()
    assert not ProgramGrant.objects.filter(content_object_id=record.pk).exists()
    assert ProgramGrant.objects.filter(content_object=kept).count() == 4


@pytest.mark.django_db(transaction=True)
def test_deleting_a_selected_program_deletes_its_grants_and_its_selection_at_once(orgs, make_program):
    with transaction.atomic():
        record = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    record_id = record.pk
    with transaction.atomic():
        record.delete()
    assert not ProgramGrant.objects.filter(content_object_id=record_id).exists()


def test_deleting_a_point_of_contact_deletes_its_grants(orgs):
    contact = PointOfContactFactory(organization=orgs["owner"], state=State.SUBMITTED, audience=Audience.ALL_IROS)
    services.grants_write(contact)
    assert PointOfContactGrant.objects.filter(content_object=contact).count() == 4
    contact_id = contact.pk
    contact.delete()
    assert not PointOfContactGrant.objects.filter(content_object_id=contact_id).exists()
