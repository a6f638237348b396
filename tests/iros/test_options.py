"""The options endpoint of the searchable selects: signed-in users only, reference data only, filtered, limited."""

import pytest
from django.conf import settings
from django.urls import reverse

from iros.selectors import OPTIONS_LIMIT
from tests.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _options(client, kind, query=""):
    response = client.get(reverse("iros:options", kwargs={"kind": kind}), {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["results"]


def test_signed_out_visitors_are_sent_to_sign_in(client, orgs):
    response = client.get(reverse("iros:options", kwargs={"kind": "organizations"}), {"q": "own"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_an_unknown_list_answers_404(sign_in, client):
    sign_in("owner_member")
    assert client.get(reverse("iros:options", kwargs={"kind": "programs"})).status_code == 404


def test_organizations_match_acronym_or_name_as_options(sign_in, client):
    # given
    sign_in("other_member")
    # when / then: by acronym, acronyms starting with the query first
    assert _options(client, "organizations", "own") == [{"value": "OWNER", "text": "OWNER — Owner Organization"}]
    # by a word of the name, any case
    assert [row["value"] for row in _options(client, "organizations", "CHOSEN ORG")] == ["CHOSEN"]
    assert _options(client, "organizations", "nothing like it") == []


def test_organization_names_match_without_accents(sign_in, client):
    OrganizationFactory(acronym="CEEAC", name="Communauté économique des États de l'Afrique centrale")
    sign_in("owner_member")
    assert [row["value"] for row in _options(client, "organizations", "communaute economique")] == ["CEEAC"]


def test_the_answer_is_limited(sign_in, client):
    for number in range(OPTIONS_LIMIT + 5):
        OrganizationFactory(acronym=f"MANY{number:02}")
    sign_in("owner_member")
    assert len(_options(client, "organizations", "many")) == OPTIONS_LIMIT
    assert len(_options(client, "countries", "")) == OPTIONS_LIMIT


def test_countries_match_name_or_code_in_the_readers_language(sign_in, client):
    sign_in("owner_member")
    assert _options(client, "countries", "kazak") == [{"value": "KZ", "text": "Kazakhstan"}]
    assert _options(client, "countries", "cote d'iv")[0]["value"] == "CI"
    assert _options(client, "countries", "de")[0]["value"] == "DE"  # the code itself comes first
    client.cookies["django_language"] = "fr"
    assert _options(client, "countries", "allemagne") == [{"value": "DE", "text": "Allemagne"}]
    assert _options(client, "countries", "germany") == [{"value": "DE", "text": "Allemagne"}]  # English too


def test_the_answer_holds_no_record(sign_in, client, world):
    # A confidential program's title never comes back, whatever is asked.
    ProgramFactory(organization=world.orgs["owner"], title="Secret Kazakhstan customs")
    sign_in("other_member")
    for kind in ("organizations", "countries"):
        for query in ("secret", "customs", "Kazakhstan"):
            assert all("Secret" not in row["text"] for row in _options(client, kind, query))


def test_characters_postgresql_cannot_hold_match_nothing_without_an_error(sign_in, client):
    sign_in("owner_member")
    assert _options(client, "organizations", "own\x00er") == []
    assert len(_options(client, "countries", "\x00")) == OPTIONS_LIMIT  # as an empty query
