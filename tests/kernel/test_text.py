import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from portal.kernel.middleware import UnstorablePathParameterMiddleware
from portal.kernel.text import is_storable, unstorable_as_spaces


def test_nul_and_lone_surrogates_are_what_postgresql_cannot_store():
    assert is_storable("OSCE \u202e «quoted» — 10 000")
    assert not is_storable("a\x00b")
    assert not is_storable("a\ud800b")
    assert unstorable_as_spaces("a\x00b\udfffc") == "a b c"


@pytest.mark.parametrize("value", ["a\x00", "\ud800"])
def test_a_path_parameter_postgresql_cannot_store_is_404_before_the_view(value):
    def view(request, acronym):
        raise AssertionError("the view must not run")

    middleware = UnstorablePathParameterMiddleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_view(RequestFactory().get("/"), view, (), {"acronym": value})
    assert middleware.process_view(RequestFactory().get("/"), view, (), {"acronym": "OSCE", "pk": 1}) is None


@pytest.mark.parametrize("route", ["iros:detail", "iros:edit", "igo:organization"])
@pytest.mark.parametrize("persona", ["anonymous", "admin"])
def test_an_organization_page_with_nul_in_its_acronym_is_404(sign_in, route, persona):
    # The driver refused the NUL in the acronym's query: a 500 for anyone, signed in or not.
    url = reverse(route, kwargs={"acronym": "OWNER"}).replace("OWNER", "%00")
    assert sign_in(persona).get(url).status_code == 404
