"""Request handling every route shares, written once rather than in each view."""

from django.http import Http404

from portal.kernel.text import is_storable


class UnstorablePathParameterMiddleware:
    """A path parameter that holds a character PostgreSQL cannot store (NUL, a lone surrogate) names no record,
    so the request is answered 404 before its view runs.

    Every `<str:…>` and `<path:…>` route (an organization's acronym, the admin's object ids) would otherwise hand
    the character to a query, where the database driver refuses it with a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not all(is_storable(value) for value in (*view_args, *view_kwargs.values()) if isinstance(value, str)):
            raise Http404
        return
