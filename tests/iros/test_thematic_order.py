"""Thematic areas are offered and shown in one order everywhere (problem 15 of issue 11: the program form listed
weapon categories first, the organization profile assistance types first, as the alphabet orders "assistance",
"resolution", "weapon")."""

import re

import pytest
from django.urls import reverse

from confidentiality.models import Audience, State
from iros.models import ThematicArea
from portal.pages.dashboard.selectors import submissions_by_thematic_area
from tests.factories import ThematicAreaFactory, persona_user

pytestmark = pytest.mark.django_db

FAMILY_HEADING = re.compile(r'<div class="small fw-semibold text-body-secondary mb-2">([^<]+)</div>')
REFERENCE_ORDER = ["nuclear", "chemical", "op1", "op3c", "training", "equipment"]
REFERENCE_FAMILIES = ["Weapon category", "Resolution area", "Assistance type"]


@pytest.fixture
def areas(db):
    # Created out of order, so neither the primary key nor the alphabet of the family values gives the answer.
    for code, family, position in (
        ("training", ThematicArea.Family.ASSISTANCE, 1),
        ("op3c", ThematicArea.Family.RESOLUTION, 2),
        ("chemical", ThematicArea.Family.WEAPON, 2),
        ("equipment", ThematicArea.Family.ASSISTANCE, 2),
        ("nuclear", ThematicArea.Family.WEAPON, 1),
        ("op1", ThematicArea.Family.RESOLUTION, 1),
    ):
        ThematicAreaFactory(code=code, family=family, position=position, name=code.title())


def test_thematic_areas_come_in_reference_order(areas):
    assert [area.code for area in ThematicArea.objects.all()] == REFERENCE_ORDER


def test_every_form_groups_the_families_in_the_same_order(sign_in, areas):
    pages = {
        "owner_focal": [reverse("programs:create"), reverse("iros:edit", args=["OWNER"])],
        "committee": [reverse("igo:event_create")],
    }
    for persona, urls in pages.items():
        client = sign_in(persona)
        for url in urls:
            html = client.get(url).content.decode()
            assert FAMILY_HEADING.findall(html) == REFERENCE_FAMILIES, url
            positions = [html.index(f'value="{code}"') for code in REFERENCE_ORDER]
            assert positions == sorted(positions), url


def test_every_list_filter_offers_them_in_the_same_order(sign_in, areas):
    client = sign_in("committee")

    programs = client.get(reverse("programs:list")).context["filterset"].form.fields["thematic_area"]
    organizations = client.get(reverse("iros:list")).context["filterset"].form.fields["thematic"]

    for field in (programs, organizations):
        assert [str(value) for value, _label in field.choices][1:] == REFERENCE_ORDER


def test_a_programs_badges_the_api_and_the_dashboard_follow_it(make_program, areas, client):
    program = make_program()
    program.thematic_areas.set(ThematicArea.objects.filter(code__in=REFERENCE_ORDER))

    assert [area.code for area in program.thematic_areas.all()] == REFERENCE_ORDER
    api = client.get(reverse("api:thematic-areas-list"), {"page_size": 50}).json()["results"]
    assert [row["code"] for row in api] == REFERENCE_ORDER
    bars = submissions_by_thematic_area(actor=persona_user("committee"))
    assert [bar.url.split("&")[0].removeprefix("thematic_area=") for bar in bars] == REFERENCE_ORDER


def test_the_api_lists_a_programs_areas_as_its_own_page_does(sign_in, make_program, areas):
    # The list reads a page's areas from the link table (portal.api.fields.attach_related_codes), the detail from
    # the relation: both in reference order, weapon categories before assistance types.
    program = make_program(audience=Audience.PUBLIC, state=State.SUBMITTED)
    program.thematic_areas.set(ThematicArea.objects.filter(code__in=["training", "op3c", "nuclear"]))
    client = sign_in("committee")

    listed = client.get(reverse("api:programs-list")).json()["results"]
    detail = client.get(reverse("api:programs-detail", args=[program.pk])).json()

    assert [row["thematic_areas"] for row in listed if row["id"] == program.pk] == [["nuclear", "op3c", "training"]]
    assert detail["thematic_areas"] == ["nuclear", "op3c", "training"]
