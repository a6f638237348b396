"""One interaction's page: for whoever may see the interaction (what search and the lists link to), with its
program and agreement only when the viewer may see them too."""

import pytest
from django.urls import reverse

from confidentiality.models import Audience
from tests.factories import AgreementFactory, InteractionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def interaction(orgs, make_program):
    hidden_program = make_program(audience=Audience.COMMITTEE, title="Hidden program title")
    agreement = AgreementFactory(title="Memorandum with the owner")
    agreement.parties.set([orgs["owner"]])
    record = InteractionFactory(
        summary="Joint workshop on border controls",
        outcome="A plan",
        program=hidden_program,
        agreement=agreement,
    )
    record.organizations.set([orgs["owner"], orgs["selected"]])
    return record


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("other_member", 404),
        ("owner_member", 200),
        ("selected_member", 200),
        ("committee", 200),
        ("admin", 200),
    ],
)
def test_the_page_answers_as_the_policy_says(sign_in, interaction, persona, status):
    response = sign_in(persona).get(reverse("igo:interaction_detail", args=[interaction.pk]))

    assert response.status_code == status
    if status == 200:
        assert "Joint workshop on border controls" in response.content.decode()


def test_a_related_program_the_viewer_may_not_see_is_not_named(sign_in, interaction):
    html = sign_in("selected_member").get(interaction.get_absolute_url()).content.decode()

    assert "Hidden program title" not in html
    assert "Memorandum with the owner" not in html  # the agreement's parties are the owner only
    assert "Hidden program title" in sign_in("committee").get(interaction.get_absolute_url()).content.decode()


def test_an_iro_user_is_offered_its_own_igo_table_only(sign_in, interaction, orgs):
    html = sign_in("owner_member").get(interaction.get_absolute_url()).content.decode()

    assert reverse("igo:organization", args=[orgs["owner"].acronym]) in html
    assert reverse("igo:organization", args=[orgs["selected"].acronym]) not in html
    assert reverse("igo:interaction_edit", args=[interaction.pk]) not in html


def test_the_committee_edits_from_the_page(sign_in, interaction):
    html = sign_in("committee").get(interaction.get_absolute_url()).content.decode()

    assert reverse("igo:interaction_edit", args=[interaction.pk]) in html


def test_a_public_interaction_is_open_to_everyone(client, interaction):
    interaction.public = True
    interaction.save()

    assert client.get(interaction.get_absolute_url()).status_code == 200


def test_the_interaction_list_links_each_interaction(sign_in, interaction):
    html = sign_in("committee").get(reverse("igo:interactions")).content.decode()

    assert f'href="{interaction.get_absolute_url()}"' in html
