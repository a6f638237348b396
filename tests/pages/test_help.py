"""Help: the glossary and a guide per persona, reachable from the user menu, and linked from the fields and
headings where the portal's words appear."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from confidentiality.models import Audience
from contacts.models import Demarche
from portal.pages.help.glossary import ANCHORS, ENTRIES, PERSONAS
from tests.factories import DemarcheFactory

pytestmark = pytest.mark.django_db

GLOSSARY_LINK = re.compile(r'href="' + re.escape("/help/glossary/") + r'#([a-z0-9-]+)"')


def glossary_anchors(response) -> set[str]:
    return set(GLOSSARY_LINK.findall(response.content.decode()))


@pytest.mark.parametrize("persona", ["anonymous", "owner_member", "committee"])
def test_every_help_page_opens_for_everyone(sign_in, persona):
    client = sign_in(persona)

    for url in [reverse("help:index"), reverse("help:glossary")] + [
        reverse("help:persona", args=[slug]) for slug in PERSONAS
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        # every glossary link on the guides leads to an entry
        assert glossary_anchors(response) <= ANCHORS, url


def test_an_unknown_guide_is_not_found(client):
    assert client.get(reverse("help:persona", args=["astronaut"])).status_code == 404


def test_the_glossary_defines_the_portal_s_words_each_with_an_anchor(client):
    html = client.get(reverse("help:glossary")).content.decode()

    for anchor in ("op1", "op2", "op3", "audience", "designated", "demarche", "igo-tables", "focal-point",
                   "point-of-contact"):  # fmt: skip
        assert f'id="{anchor}"' in html
    assert len(ANCHORS) == len(ENTRIES)
    assert "OP3(a)–(d)" in html


@pytest.mark.parametrize(
    ("persona", "guide"),
    [
        ("owner_focal", "focal-point"),
        ("owner_member", "member"),
        ("committee", "committee"),
        ("admin", "administrator"),
    ],
)
def test_the_user_menu_leads_to_the_guide_of_one_s_role_and_the_glossary(sign_in, persona, guide):
    html = sign_in(persona).get(reverse("programs:list")).content.decode()

    assert f'href="{reverse("help:persona", args=[guide])}"' in html
    assert f'href="{reverse("help:glossary")}"' in html


def test_signed_out_visitors_find_help_in_the_navigation(client):
    html = client.get(reverse("iros:list")).content.decode()

    assert f'<a class="nav-link" href="{reverse("help:index")}">' in html


def test_the_help_index_marks_one_s_own_guide(sign_in):
    guides = sign_in("committee").get(reverse("help:index")).context["guides"]

    assert [guide["slug"] for guide in guides if guide["is_own"]] == ["committee"]


def test_the_glossary_link_tag_links_an_entry_and_refuses_an_unknown_word():
    html = Template('{% load portal_tags %}{% glossary_link "audience" %}').render(Context())

    assert 'href="/help/glossary/#audience"' in html
    assert "Glossary: Audience" in html  # named for screen readers
    with pytest.raises((LookupError, TemplateSyntaxError)):
        Template('{% load portal_tags %}{% glossary_link "nonsense" %}').render(Context())


def test_the_words_link_to_the_glossary_where_they_appear(sign_in, make_program, orgs):
    program = make_program(audience=Audience.PUBLIC)
    DemarcheFactory(organization=orgs["owner"])
    focal = sign_in("owner_focal")
    pages = {
        reverse("contacts:list"): {"designated", "point-of-contact"},
        reverse("contacts:create"): {"point-of-contact", "audience"},
        reverse("programs:create"): {"op1", "audience"},
        reverse("programs:detail", args=[program.pk]): {"op1", "audience"},
        reverse("contacts:demarches"): {"demarche"},
        reverse("igo:tables"): {"igo-tables"},
        reverse("accounts:invite"): {"focal-point"},
    }
    for url, expected in pages.items():
        assert expected <= glossary_anchors(focal.get(url)), url

    expert = sign_in("committee")
    assert "demarche" in glossary_anchors(expert.get(reverse("contacts:demarche_create")))
    assert Demarche.objects.exists()
