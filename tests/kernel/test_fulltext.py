"""Every list's keyword filter matches as the search page does: any word order, stemming, accents, best first."""

import pytest
from django.urls import reverse

from confidentiality.models import Audience
from iros.models import Event
from tests.factories import EventFactory


def titles(response) -> list[str]:
    return [row.record.title for row in response.context["table"].page.object_list]


@pytest.mark.parametrize(
    "typed",
    ["customs Central Asia", "central asia customs", "Customs training in central Asia", "CUSTOMS asia"],
)
def test_the_program_list_finds_words_in_any_order_and_form(client, make_program, typed):
    make_program(
        audience=Audience.PUBLIC, title="Training for customs officers", summary="For the States of Central Asia."
    )
    make_program(audience=Audience.PUBLIC, title="Border police course", summary="Western Africa.")

    assert titles(client.get(reverse("programs:list"), {"q": typed})) == ["Training for customs officers"]


def test_the_program_list_ignores_accents_both_ways(client, make_program):
    make_program(audience=Audience.PUBLIC, title="Atelier à Réunion", summary="Contrôle des exportations.")

    assert titles(client.get(reverse("programs:list"), {"q": "reunion controle"})) == ["Atelier à Réunion"]
    assert titles(client.get(reverse("programs:list"), {"q": "Réunion"})) == ["Atelier à Réunion"]


def test_the_program_list_ranks_a_title_match_first_and_keeps_an_explicit_sort(client, make_program):
    make_program(audience=Audience.PUBLIC, title="Awareness raising", summary="On export control of dual-use items.")
    make_program(audience=Audience.PUBLIC, title="Export control workshop", summary="A workshop.")

    ranked = titles(client.get(reverse("programs:list"), {"q": "export control"}))
    assert ranked == ["Export control workshop", "Awareness raising"]

    by_title = titles(client.get(reverse("programs:list"), {"q": "export control", "sort": "title"}))
    assert by_title == ["Awareness raising", "Export control workshop"]


def test_the_program_list_finds_programs_by_their_organization_s_name(client, make_program, orgs):
    make_program(audience=Audience.PUBLIC, title="A course", summary="Nothing else.")

    found = titles(client.get(reverse("programs:list"), {"q": orgs["owner"].name}))

    assert found == ["A course"]


def test_the_program_api_keyword_filter_matches_the_same_way(client, make_program):
    make_program(
        audience=Audience.PUBLIC, title="Training for customs officers", summary="For the States of Central Asia."
    )

    body = client.get(reverse("api:programs-list"), {"q": "customs central asia"}).json()

    assert [row["title"] for row in body["results"]] == ["Training for customs officers"]


def test_operators_alone_filter_nothing_and_never_fail(client, make_program):
    make_program(audience=Audience.PUBLIC, title="A course")

    for typed in ("-", "---", "!&|", '""', "-" * 40):
        response = client.get(reverse("programs:list"), {"q": typed})
        assert response.status_code == 200
        assert titles(response) == ["A course"]


def test_the_event_list_finds_words_in_any_order(client, db):
    EventFactory(title="Regional workshop on border controls", place="Almaty")
    EventFactory(title="Plenary meeting", place="New York")

    response = client.get(reverse("iros:events"), {"q": "almaty border control"})

    assert [event.title for event in response.context["page_obj"]] == ["Regional workshop on border controls"]
    assert Event.objects.count() == 2
