"""Filter backends for the API: DRF's, hardened against input the database refuses."""

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.filters import OrderingFilter, SearchFilter


def _refuse_nul(value: str, parameter: str) -> None:
    # PostgreSQL cannot hold NUL characters in text: answer 400 rather than let the driver fail.
    if "\x00" in value:
        raise exceptions.ValidationError({parameter: [_("Null characters are not allowed.")]})


class PortalSearchFilter(SearchFilter):
    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        _refuse_nul(value, self.search_param)
        return super().get_search_terms(request)


class PortalOrderingFilter(OrderingFilter):
    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        # A stable tiebreaker keeps pages from overlapping when the sort key repeats.
        if ordering and "pk" not in ordering and "-pk" not in ordering and "id" not in ordering:
            ordering = [*ordering, "-pk"] if ordering[0].startswith("-") else [*ordering, "pk"]
        return ordering
