"""The API's base viewset applies the visibility policy to every queryset: no record kind can forget it."""

import pytest
from rest_framework.test import APIRequestFactory

from confidentiality import policies
from iros.models import Agreement
from portal.accounts.models import Role
from portal.api.views import PolicyQuerysetMixin
from portal.api_urls import router
from tests.factories import UserFactory

VIEWSETS = [(prefix, viewset) for prefix, viewset, _basename in router.registry]


@pytest.mark.parametrize(("prefix", "viewset"), VIEWSETS, ids=[prefix for prefix, _ in VIEWSETS])
def test_every_viewset_reads_through_the_policy_hook(prefix, viewset):
    # A viewset that overrode get_queryset could return rows the policy never saw.
    assert issubclass(viewset, PolicyQuerysetMixin)
    assert viewset.get_queryset is PolicyQuerysetMixin.get_queryset


@pytest.mark.django_db
@pytest.mark.parametrize(("prefix", "viewset"), VIEWSETS, ids=[prefix for prefix, _ in VIEWSETS])
def test_every_viewset_queryset_is_restricted_for_the_caller(prefix, viewset):
    # given any caller
    user = UserFactory(role=Role.MEMBER)
    request = APIRequestFactory().get(f"/api/v1/{prefix}/")
    request.user = user
    view = viewset(request=request, format_kwarg=None, action="list", kwargs={})

    # when the viewset gives its rows
    queryset = view.get_queryset()

    # then they went through the visibility policy for that caller
    assert policies.restricted_for(user, queryset)


@pytest.mark.django_db
def test_unrestricted_rows_are_restricted_by_the_base():
    # given rows that did not go through the policy (what a careless get_rows would give)
    class Careless(PolicyQuerysetMixin):
        request = None

        def get_rows(self):
            return Agreement.objects.all()

    view = Careless()
    view.request = APIRequestFactory().get("/")
    view.request.user = UserFactory(role=Role.MEMBER)

    # then the base restricts them for the caller
    assert policies.restricted_for(view.request.user, view.get_queryset())
