"""The shared page layouts in templates/includes/: what a page that extends one gets without writing it again."""

from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from portal.kernel.forms import FORM_ERRORS_SUMMARY
from tests.factories import EventFactory, OrganizationFactory, persona_user

pytestmark = pytest.mark.django_db


def render_page(source: str, context: dict | None = None, *, persona: str = "committee") -> str:
    request = RequestFactory().get("/somewhere/")
    request.user = persona_user(persona)
    return engines["django"].from_string(source).render(context or {}, request)


def test_a_deletion_confirmation_needs_only_the_record_what_happens_and_the_way_back():
    # given a page that gives only the question, what happens and where Cancel leads
    source = """{% extends "includes/confirm_delete_page.html" %}
    {% block question %}Delete this thing?{% endblock %}
    {% block consequences %}<p>It goes for good.</p>{% endblock %}
    {% block cancel_url %}/things/7/{% endblock %}"""

    # when it is rendered
    html = render_page(source)

    # then the layout adds the labelled red card, the POST form and both buttons
    assert '<section class="card border-danger-subtle" aria-labelledby="confirm-heading">' in html
    assert '<h1 class="card-header h5 text-danger-emphasis" id="confirm-heading">Delete this thing?</h1>' in html
    assert "<p>It goes for good.</p>" in html
    assert '<form method="post" novalidate>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<button type="submit" class="btn btn-danger">Yes, delete it</button>' in html
    assert '<a class="btn btn-outline-secondary" href="/things/7/">Cancel</a>' in html


def test_a_confirmation_shows_the_errors_that_belong_to_no_field():
    source = """{% extends "includes/confirm_page.html" %}{% block submit_label %}End it{% endblock %}"""
    form = type("Form", (), {"non_field_errors": ["Someone changed it meanwhile."]})()

    html = render_page(source, {"form": form})

    assert '<div class="alert alert-danger" role="alert">Someone changed it meanwhile.</div>' in html
    assert '<button type="submit" class="btn btn-primary">End it</button>' in html


def test_a_filtered_list_offers_to_clear_the_filters_back_to_its_own_address(client):
    OrganizationFactory(acronym="OSCE", kind="regional")
    url = reverse("iros:list")

    filtered = client.get(url, {"kind": "regional"}).content.decode()
    unfiltered = client.get(url).content.decode()

    assert f'<a class="small fw-normal" href="{url}">Clear filters</a>' in filtered
    assert "Clear filters" not in unfiltered


def test_an_empty_list_offers_to_clear_all_filters_only_when_it_is_filtered(client):
    url = reverse("iros:events")

    nothing_recorded = client.get(url).content.decode()
    EventFactory(title="Vienna outreach")
    nothing_matches = client.get(url, {"q": "nothing like it"}).content.decode()

    assert "No event has been recorded yet" in nothing_recorded
    assert "Clear all filters" not in nothing_recorded
    assert "No event matches these filters" in nothing_matches
    assert f'<a class="btn btn-outline-primary btn-sm" href="{url}">Clear all filters</a>' in nothing_matches


def test_the_form_alert_lists_the_errors_that_belong_to_no_field_nor_row():
    form = type("Form", (), {"errors": {"until": ["Too early."]}, "non_field_errors": ["Changed meanwhile."]})()

    html = render_to_string("includes/_form_errors.html", {"form": form, "formset_errors": ["Two rows name AU."]})

    assert "Nothing was saved. Please correct the fields marked below." in html
    assert "<div>Changed meanwhile.</div>" in html
    assert "<div>Two rows name AU.</div>" in html
    assert "Too early." not in html  # the field shows its own


def test_the_form_alert_stays_away_from_a_valid_form():
    valid = type("Form", (), {"errors": {}, "non_field_errors": []})()

    assert render_to_string("includes/_form_errors.html", {"form": valid}).strip() == ""
    assert render_to_string("registration/_form_errors.html", {"form": valid}).strip() == ""


def test_every_form_alert_says_the_one_summary_from_the_kernel():
    invalid = type("Form", (), {"errors": {"date": ["Required."]}, "non_field_errors": []})()

    for template in ("includes/_form_errors.html", "registration/_form_errors.html"):
        assert str(FORM_ERRORS_SUMMARY) in render_to_string(template, {"form": invalid}), template


def test_no_template_writes_its_own_please_correct_sentence():
    # Problem 15 of issue 11: the IGO forms said "Please correct the errors below.", the others another sentence.
    templates = Path(settings.BASE_DIR) / "templates"
    writing_their_own = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "please correct" in path.read_text(encoding="utf-8").lower()
    ]

    assert writing_their_own == []
