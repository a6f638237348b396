"""Who gains and who loses sight of a record when its state or audience changes (issue 11, problem 4): the pure
comparison of two reaches, and the selectors that read the record's reach now and name the organizations."""

import pytest

from confidentiality import policies, selectors
from confidentiality.models import Audience, State
from confidentiality.policies import Viewers, reach_change, reach_of

OWNER, A, B, C = 1, 2, 3, 4


def reach(audience, shared_with=(), state=State.SUBMITTED):
    return reach_of(organization_id=OWNER, state=state, audience=audience, shared_with_ids=shared_with)


# --- the comparison ---------------------------------------------------------------------------------------------


def test_narrowing_the_selected_organizations_loses_the_ones_dropped_and_gains_the_ones_added():
    change = reach_change(reach(Audience.SELECTED, [A, B]), reach(Audience.SELECTED, [B, C]))

    assert change.gains == Viewers(organization_ids=(C,))
    assert change.losses == Viewers(organization_ids=(A,))
    assert change.narrows
    assert change.losses_key == str(A)


def test_the_same_reach_changes_nothing():
    change = reach_change(reach(Audience.SELECTED, [A, B]), reach(Audience.SELECTED, [B, A]))

    assert not change.gains and not change.losses and not change.narrows
    assert change.losses_key == ""


def test_from_all_iros_to_selected_every_iro_loses_it_but_the_selected_keep_it_and_gain_nothing():
    change = reach_change(reach(Audience.ALL_IROS), reach(Audience.SELECTED, [A]))

    assert change.gains == Viewers()
    assert change.losses == Viewers(all_iros=True)
    assert change.keeping_organization_ids == (A,)


def test_from_selected_to_all_iros_the_selected_lose_nothing():
    change = reach_change(reach(Audience.SELECTED, [A]), reach(Audience.ALL_IROS))

    assert change.gains == Viewers(all_iros=True)
    assert not change.losses


def test_from_public_to_committee_the_public_and_every_iro_lose_it():
    change = reach_change(reach(Audience.PUBLIC), reach(Audience.COMMITTEE))

    assert change.losses == Viewers(all_iros=True, public=True)
    assert change.losses_key == "all_iros public"
    assert not change.gains


def test_from_public_to_all_iros_only_the_public_loses_it():
    change = reach_change(reach(Audience.PUBLIC), reach(Audience.ALL_IROS))

    assert change.losses == Viewers(public=True)


def test_withdrawing_to_draft_loses_the_committee_and_the_audience():
    change = reach_change(reach(Audience.SELECTED, [A]), reach(Audience.SELECTED, [A], state=State.DRAFT))

    assert change.losses == Viewers(committee=True, organization_ids=(A,))
    assert change.losses_key == f"committee {A}"
    assert not change.gains


def test_submitting_gains_the_committee_and_the_audience():
    change = reach_change(reach(Audience.PUBLIC, state=State.DRAFT), reach(Audience.PUBLIC))

    assert change.gains == Viewers(committee=True, all_iros=True, public=True)
    assert not change.narrows


# --- the selectors: the reach now, from the grant index; organizations named ---------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_the_change_compares_with_who_sees_the_record_now_and_names_the_organizations(people, orgs, make_program):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    change = selectors.audience_change_for(
        actor=people["owner_focal"],
        record=program,
        state=State.SUBMITTED,
        audience=Audience.SELECTED,
        shared_with_ids=[orgs["other"].pk],
    )

    assert [org.acronym for org in change.gains.organizations] == ["OTHER"]
    assert [org.acronym for org in change.losses.organizations] == ["CHOSEN"]
    assert change.narrows
    assert change.summary() == "Now also visible to OTHER; no longer visible to CHOSEN."


@pytestmark_db
def test_the_change_reads_the_grants_that_are_enforced_not_the_fields(people, orgs, make_program):
    # given: a record whose grants are those of a draft, whatever its audience field says
    program = make_program(state=State.DRAFT, audience=Audience.PUBLIC)

    change = selectors.audience_change_for(
        actor=people["owner_focal"], record=program, state=State.SUBMITTED, audience=Audience.COMMITTEE
    )

    # then: nobody sees it now, so nobody loses anything; the Committee gains it
    assert not change.narrows
    assert change.gains.committee and not change.gains.public


@pytestmark_db
def test_a_drafts_audience_choice_is_compared_with_the_one_saved_as_if_submitted(people, orgs, make_program):
    program = make_program(state=State.DRAFT, audience=Audience.PUBLIC)

    change = selectors.audience_choice_change_for(
        actor=people["owner_focal"], record=program, audience=Audience.SELECTED, shared_with_ids=[orgs["other"].pk]
    )

    assert change.losses.all_iros and change.losses.public
    assert [org.acronym for org in change.losses.keeping] == ["OTHER"]
    assert change.summary() == "No longer visible to all IROs except OTHER, the public."


@pytestmark_db
def test_withdrawing_or_deleting_loses_everyone_beyond_the_owner(people, orgs, make_program):
    program = make_program(audience=Audience.PUBLIC)

    losses = selectors.audience_removal_for(actor=people["admin"], record=program).losses

    assert (losses.committee, losses.all_iros, losses.public) == (True, True, True)
    assert selectors.audience_removal_for(actor=people["admin"], record=program).summary() == (
        "No longer visible to the 1540 Committee, all IROs, the public."
    )


@pytestmark_db
@pytest.mark.parametrize("persona", ["selected_member", "other_focal", "anonymous"])
def test_nobody_outside_the_sharing_details_learns_who_a_record_is_shared_with(people, orgs, make_program, persona):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    change = selectors.audience_change_for(
        actor=people[persona], record=program, state=State.DRAFT, audience=Audience.SELECTED
    )

    assert change is None
    assert not policies.can_see_sharing_details(people[persona], program)


def test_a_public_reach_read_from_the_grant_index_counts_every_iro():
    # The grant index names only the public group for a public record: every IRO sees it all the same.
    public_from_index = policies.Reach(
        state=State.SUBMITTED,
        audience=Audience.PUBLIC,
        owner_id=OWNER,
        organization_ids=(OWNER,),
        all_iros=False,
        public=True,
    )

    change = reach_change(public_from_index, reach(Audience.SELECTED, [A]))

    assert change.losses == Viewers(all_iros=True, public=True)
    assert change.gains == Viewers()
