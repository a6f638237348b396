"""WCAG 2.1 AA on the main pages: axe-core finds no serious or critical violation, and no page scrolls sideways.

axe-core (tests/browser/vendor/axe.min.js, MPL-2.0, from the npm package) is evaluated into each page through
the DevTools protocol, which the portal's strict Content-Security-Policy does not apply to, so the pages are
tested exactly as they are served. The data is the demo library's (`seed_demo`), as people would see it.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from confidentiality.models import Audience, State
from contacts.models import Demarche, PointOfContact
from portal.accounts.models import Role
from portal.devtools.demo.accounts import DEFAULT_DEMO_PASSWORD
from programs.models import Program
from tests.factories import ThematicAreaFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PHONE = {"width": 390, "height": 844}

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.slice(0, 3).map((node) => node.target.join(" ")),
  }));
}"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
# The innermost elements that stick out past the viewport, named so a failure says where to look.
WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1 && ![...element.children].some(
      (child) => child.getBoundingClientRect().right > width + 1);
  });
  return wide.slice(0, 4).map((element) =>
    element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
    [...element.classList].map((name) => "." + name).join("") +
    " (" + Math.round(element.getBoundingClientRect().right - width) + " px)");
}"""


# The focused element's outline, as the browser draws it.
FOCUS_RING = """() => {
  const style = getComputedStyle(document.activeElement);
  return {style: style.outlineStyle, width: style.outlineWidth, color: style.outlineColor};
}"""


@pytest.fixture
def demo(db):
    call_command("seed_reference", verbosity=0)
    call_command("seed_demo", programs=60, verbosity=0)


def main_pages() -> dict[str | None, list[str]]:
    """The pages of the sweep, per demo user (None: anonymous)."""
    program = Program.objects.filter(state=State.SUBMITTED, audience=Audience.PUBLIC).order_by("pk").first()
    osce_program = Program.objects.filter(organization__acronym="OSCE").order_by("pk").first()
    contact = PointOfContact.objects.filter(state=State.SUBMITTED).order_by("pk").first()
    osce_contact = PointOfContact.objects.filter(
        organization__acronym="OSCE", state=State.SUBMITTED, until__isnull=True
    ).first()
    demarche = Demarche.objects.order_by("pk").first()
    osce_demarche = Demarche.objects.filter(organization__acronym="OSCE").order_by("pk").first()
    focal_contacts = (
        [f"/contacts/{osce_contact.pk}/replace/", f"/contacts/{osce_contact.pk}/withdraw/"] if osce_contact else []
    )
    focal_demarches = [f"/contacts/demarches/{osce_demarche.pk}/"] if osce_demarche else []
    return {
        None: ["/", "/programs/", f"/programs/{program.pk}/", "/organizations/", "/organizations/OSCE/", "/events/"],
        "expert": [
            "/",
            "/programs/?sort=-updated",
            "/igo-tables/",
            "/igo-tables/interactions/",
            "/cooperation/",
            "/search/?q=customs",
            "/contacts/",
            f"/contacts/{contact.pk}/",
            "/contacts/demarches/",
            f"/contacts/demarches/{demarche.pk}/",
            "/coordinators/",
        ],
        "focal": [
            "/",
            "/programs/new/",
            f"/programs/{osce_program.pk}/edit/",
            "/accounts/profile/",
            "/contacts/demarches/",
            *focal_contacts,
            *focal_demarches,
        ],
        "member": ["/"],
        "admin": ["/", "/accounts/users/"],
    }


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEFAULT_DEMO_PASSWORD)
    page.locator("form:has(input[name=password]) [type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def test_the_main_pages_have_no_serious_accessibility_violation_and_fit_a_phone(demo, new_page):
    violations, overflowing = {}, {}
    for username, paths in main_pages().items():
        page = new_page()
        if username:
            sign_in(page, username)
        for path in paths:
            for viewport in ({"width": 1280, "height": 900}, PHONE):
                page.set_viewport_size(viewport)
                response = page.goto(path)
                assert response.status == 200, (username, path, response.status)
                if viewport == PHONE:
                    if page.evaluate(OVERFLOW) > 0:
                        overflowing[(username, path)] = page.evaluate(WIDE_ELEMENTS)
                    continue
                page.evaluate(AXE)
                found = [v for v in page.evaluate(RUN_AXE, WCAG_21_AA) if v["impact"] in BLOCKING]
                if found:
                    violations[(username, path)] = found

    assert violations == {}
    assert overflowing == {}, "pages wider than a 390 px phone, with what sticks out"


def test_a_checkbox_with_the_keyboard_focus_shows_the_ring_every_control_shows(page, browser_sign_in):
    # Problem 14 of issue 11: the checkboxes' focus ring was faint next to the other controls'.
    ThematicAreaFactory(code="nuclear", name="Nuclear weapons")
    UserFactory(username="expert", role=Role.COMMITTEE)
    browser_sign_in(page, "expert")
    page.goto(reverse("igo:event_create"))

    page.locator("textarea[name=description]").click()
    text_ring = page.evaluate(FOCUS_RING)
    page.keyboard.press("Tab")

    assert page.evaluate("document.activeElement.value") == "nuclear"
    assert page.evaluate(FOCUS_RING) == text_ring == {"style": "solid", "width": "3px", "color": "rgb(255, 191, 71)"}
