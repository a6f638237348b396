"""What every filtered, paginated list page works out the same way."""

from django.core.paginator import Paginator


def filtered_page(request, filterset_class, queryset, *, per_page: int, not_filters=("page",)) -> dict:
    """The FilterSet over `queryset` bound to the query string, the requested page of its rows, and whether any
    filter is in force (keys in `not_filters`, such as the page or the ordering, do not count): a list page's
    context for `includes/list_page.html`."""
    filterset = filterset_class(request.GET or None, queryset=queryset)
    return {
        "filterset": filterset,
        "page_obj": Paginator(filterset.qs, per_page).get_page(request.GET.get("page")),
        "is_filtered": any(value for key, value in request.GET.items() if key not in not_filters),
    }
