"""The policy answers every persona × audience × operation question as the sharing table says."""

import pytest
from django.contrib.auth.models import Group

from confidentiality import policies
from confidentiality.models import Audience, State
from programs.models import Program

# Who sees a record of OWNER, by (state, audience); "selected" shares with CHOSEN.
EVERYONE_SIGNED_IN = {"owner_focal", "owner_member", "selected_focal", "selected_member", "other_focal", "other_member"}
EXPECTED = {
    (State.DRAFT, Audience.COMMITTEE): {"owner_focal", "owner_member", "admin"},
    (State.DRAFT, Audience.PUBLIC): {"owner_focal", "owner_member", "admin"},
    (State.SUBMITTED, Audience.COMMITTEE): {"owner_focal", "owner_member", "admin", "committee"},
    (State.SUBMITTED, Audience.SELECTED): {
        "owner_focal",
        "owner_member",
        "admin",
        "committee",
        "selected_focal",
        "selected_member",
    },
    (State.SUBMITTED, Audience.ALL_IROS): EVERYONE_SIGNED_IN | {"admin", "committee"},
    (State.SUBMITTED, Audience.PUBLIC): EVERYONE_SIGNED_IN | {"admin", "committee", "anonymous", "inactive"},
}
PERSONAS = [
    "owner_focal", "owner_member", "selected_focal", "selected_member", "other_focal", "other_member",
    "committee", "admin", "inactive", "anonymous",
]  # fmt: skip


@pytest.mark.parametrize(("state", "audience"), list(EXPECTED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_visibility_follows_the_sharing_table(people, orgs, make_program, persona, state, audience):
    # given a record of OWNER, and a decoy that nobody but OWNER and administrators may see
    shared = [orgs["selected"]] if audience == Audience.SELECTED else []
    record = make_program(state=state, audience=audience, shared_with=shared)
    make_program(state=State.DRAFT, owner=orgs["other"])
    user = people[persona]
    expected = persona in EXPECTED[(state, audience)]

    # then every read agrees: list, count, detail lookup
    visible = policies.visible_to(user, Program.objects.filter(organization=orgs["owner"]))
    assert (record in visible) is expected
    assert visible.count() == int(expected)
    assert policies.can_view(user, record) is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_owner_focal_point_and_administrators_edit_and_share(people, make_program, persona):
    record = make_program(state=State.SUBMITTED, audience=Audience.PUBLIC)
    allowed = persona in {"owner_focal", "admin"}
    assert policies.can_edit(people[persona], record) is allowed
    assert policies.can_change_sharing(people[persona], record) is allowed


@pytest.mark.parametrize("persona", PERSONAS)
def test_sharing_details_only_for_owner_committee_and_administrators(people, make_program, persona):
    record = make_program(state=State.SUBMITTED, audience=Audience.PUBLIC)
    allowed = persona in {"owner_focal", "owner_member", "committee", "admin"}
    assert policies.can_see_sharing_details(people[persona], record) is allowed


def test_who_can_view_reads_the_index(orgs, make_program):
    record = make_program(state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    reach = policies.who_can_view(record)
    assert set(reach.organization_ids) == {orgs["owner"].pk, orgs["selected"].pk}
    assert reach.committee and not reach.public and not reach.all_iros


def test_preview_matches_the_index(orgs, make_program):
    record = make_program(state=State.SUBMITTED, audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    preview = policies.reach_of(
        organization_id=orgs["owner"].pk,
        state=State.SUBMITTED,
        audience=Audience.SELECTED,
        shared_with_ids=[orgs["selected"].pk],
    )
    assert set(preview.organization_ids) == set(policies.who_can_view(record).organization_ids)


def test_get_visible_or_404_answers_the_same_for_hidden_and_missing(people, make_program):
    from django.http import Http404

    hidden = make_program(state=State.SUBMITTED, audience=Audience.COMMITTEE)
    for pk in (hidden.pk, hidden.pk + 10_000, "not-a-number"):
        with pytest.raises(Http404):
            policies.get_visible_or_404(people["other_member"], Program.objects.all(), pk=pk)


def test_unknown_models_fail_closed(people):
    # No app registers a policy for auth groups: even an administrator's question about them fails.
    with pytest.raises(LookupError):
        policies.visible_to(people["admin"], Group.objects.all())
