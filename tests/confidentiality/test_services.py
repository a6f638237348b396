"""The one write path: atomic, validated, audited, refused to anyone but the owner's focal point."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from confidentiality import policies, services
from confidentiality.models import Audience, SharingAudit, State
from portal.notifications.models import Notification
from programs.models import Program, ProgramGrant


def _snapshot(record):
    record.refresh_from_db()
    return (
        record.state,
        record.audience,
        sorted(record.shared_with.values_list("acronym", flat=True)),
        sorted(ProgramGrant.objects.filter(content_object=record).values_list("group_id", "permission_id")),
        SharingAudit.objects.count(),
        Notification.objects.count(),
    )


def test_submit_share_withdraw_are_audited(people, orgs, make_program):
    record = make_program(state=State.DRAFT)
    focal = people["owner_focal"]

    services.submission_set_audience(actor=focal, record=record, audience=Audience.SELECTED, shared_with=["CHOSEN"])
    assert not policies.can_view(people["selected_member"], record)  # still a draft
    services.submission_submit(actor=focal, record=record)
    assert policies.can_view(people["selected_member"], record)
    services.submission_withdraw(actor=focal, record=record)
    assert not policies.can_view(people["selected_member"], record)
    assert not policies.can_view(people["committee"], record)

    audit = list(SharingAudit.objects.order_by("id").values_list("action", "old_audience", "new_audience"))
    assert audit == [
        ("change_audience", "committee", "selected"),
        ("submit", "selected", "selected"),
        ("withdraw", "selected", "selected"),
    ]
    entry = SharingAudit.objects.order_by("id").first()
    assert entry.actor == focal and entry.new_shared_with == ["CHOSEN"] and entry.old_shared_with == []


def test_revocation_takes_effect_on_the_next_read(people, orgs, make_program):
    record = make_program(state=State.SUBMITTED, audience=Audience.ALL_IROS)
    assert policies.can_view(people["other_member"], record)
    services.submission_set_audience(actor=people["owner_focal"], record=record, audience=Audience.COMMITTEE)
    # a fresh user object, as on the next request
    reader = type(people["other_member"]).objects.get(pk=people["other_member"].pk)
    assert not policies.can_view(reader, record)


def test_narrowing_a_selection_revokes_and_resharing_grants_again(people, orgs, make_program):
    record = make_program(state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    focal = people["owner_focal"]
    services.submission_set_audience(actor=focal, record=record, audience=Audience.SELECTED, shared_with=["OTHER"])
    assert not policies.can_view(people["selected_member"], record)
    assert policies.can_view(people["other_member"], record)
    services.submission_set_audience(
        actor=focal, record=record, audience=Audience.SELECTED, shared_with=["OTHER", "CHOSEN"]
    )
    assert policies.can_view(people["selected_member"], record)


@pytest.mark.parametrize(
    "persona", ["owner_member", "selected_focal", "other_focal", "committee", "inactive", "anonymous"]
)
def test_anyone_but_the_owner_focal_point_is_refused_and_nothing_changes(people, make_program, persona):
    record = make_program(state=State.SUBMITTED, audience=Audience.COMMITTEE)
    before = _snapshot(record)
    with pytest.raises(PermissionDenied):
        services.submission_set_audience(actor=people[persona], record=record, audience=Audience.PUBLIC)
    with pytest.raises(PermissionDenied):
        services.submission_withdraw(actor=people[persona], record=record)
    assert _snapshot(record) == before


@pytest.mark.parametrize(
    ("audience", "shared_with", "field"),
    [
        (Audience.SELECTED, [], "shared_with"),
        (Audience.PUBLIC, ["CHOSEN"], "shared_with"),
        (Audience.SELECTED, ["OWNER"], "shared_with"),
        (Audience.SELECTED, ["NOPE"], "shared_with"),
        ("everyone", [], "audience"),
    ],
)
def test_invalid_sharing_is_a_field_error_and_writes_nothing(people, make_program, audience, shared_with, field):
    record = make_program(state=State.SUBMITTED, audience=Audience.COMMITTEE)
    before = _snapshot(record)
    with pytest.raises(ValidationError) as error:
        services.submission_set_audience(
            actor=people["owner_focal"], record=record, audience=audience, shared_with=shared_with
        )
    assert field in error.value.message_dict
    assert _snapshot(record) == before


def test_a_change_that_changes_nothing_writes_nothing(people, make_program):
    record = make_program(state=State.SUBMITTED, audience=Audience.PUBLIC)
    before = _snapshot(record)
    services.submission_set_audience(actor=people["owner_focal"], record=record, audience=Audience.PUBLIC)
    assert _snapshot(record) == before


def test_deleting_a_record_deletes_its_grants(make_program):
    record = make_program(state=State.SUBMITTED, audience=Audience.PUBLIC)
    assert ProgramGrant.objects.filter(content_object=record).count() == 4  # owner view/change/delete + public
    record.delete()
    assert not ProgramGrant.objects.exists()


def test_administrators_may_change_sharing(people, make_program):
    record = make_program(state=State.DRAFT)
    services.submission_submit(actor=people["admin"], record=record)
    assert Program.objects.get(pk=record.pk).state == State.SUBMITTED


def test_rebuild_and_mismatch_report(orgs, make_program):
    records = [make_program(state=State.SUBMITTED, audience=a) for a in (Audience.PUBLIC, Audience.ALL_IROS)]
    make_program(state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=[orgs["selected"], orgs["other"]])
    assert services.grants_mismatches(Program) == []
    ProgramGrant.objects.filter(content_object=records[0]).delete()
    Program.objects.filter(pk=records[1].pk).update(audience=Audience.COMMITTEE)  # behind the service's back
    assert services.grants_mismatches(Program) == sorted(r.pk for r in records)
    services.grants_rebuild(Program, queryset=Program.objects.filter(pk__in=[r.pk for r in records]))
    assert services.grants_mismatches(Program) == []
    written = services.grants_rebuild(Program)
    assert written == 3 * 3 + 1 + 2  # owner rows for 3 records, public, two selected (the other is now committee)
    assert services.grants_mismatches(Program) == []
