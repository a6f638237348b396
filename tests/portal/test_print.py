"""The print view: one print style sheet for every page, and a "Print" button where people print."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from confidentiality.models import Audience
from tests.factories import InteractionFactory

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"
PRINT_BUTTON = "data-print hidden>Print</button>"


def test_the_print_style_sheet_hides_what_is_not_content_and_unclips_tables():
    css = (STATIC / "css" / "print.css").read_text()

    assert "@media print" in css
    for hidden in ("header", ".breadcrumbs-bar", ".portal-footer", "form", ".btn", ".pagination", ".d-print-none"):
        assert hidden in css
    assert ".table-responsive" in css and "overflow: visible" in css


def test_every_page_links_the_print_style_sheet_for_print_only(client):
    html = client.get(reverse("iros:list")).content.decode()

    assert 'href="/static/css/print.css" media="print"' in html
    assert 'class="print-header d-none d-print-block"' in html  # on paper only


def test_the_print_button_is_shown_and_wired_by_the_portal_s_script_only():
    script = (STATIC / "js" / "portal.js").read_text()

    assert '"[data-print]"' in script and "window.print()" in script


def test_programs_organizations_and_the_igo_tables_have_a_print_button(sign_in, make_program, orgs):
    program = make_program(audience=Audience.PUBLIC)
    InteractionFactory().organizations.set([orgs["owner"]])
    expert = sign_in("committee")

    for url in (
        reverse("programs:detail", args=[program.pk]),
        reverse("iros:detail", args=[orgs["owner"].acronym]),
        reverse("igo:tables"),
        reverse("igo:organization", args=[orgs["owner"].acronym]),
    ):
        assert PRINT_BUTTON in expert.get(url).content.decode(), url


def test_a_signed_out_visitor_prints_a_public_program(client, make_program):
    program = make_program(audience=Audience.PUBLIC)

    assert PRINT_BUTTON in client.get(reverse("programs:detail", args=[program.pk])).content.decode()
