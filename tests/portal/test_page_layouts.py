"""The shared page layouts in templates/includes/: what a page that extends one gets without writing it again."""

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

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


def test_the_form_alert_stays_away_from_a_valid_form_and_may_say_it_otherwise():
    valid = type("Form", (), {"errors": {}, "non_field_errors": []})()
    invalid = type("Form", (), {"errors": {"date": ["Required."]}, "non_field_errors": []})()

    assert render_to_string("includes/_form_errors.html", {"form": valid}).strip() == ""
    assert "Please correct the errors below." in render_to_string("iros/_igo_form_errors.html", {"form": invalid})
