"""The options of the searchable selects (portal.kernel.forms.SearchableSelect), asked as the user types.

They answer reference data only (organizations, countries), which is public; signing in is still asked, so the
endpoint serves the portal's forms and not scrapers. At most `OPTIONS_LIMIT` options per answer.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_GET

from iros.selectors import country_options, organization_options
from portal.kernel.text import unstorable_as_spaces

OPTION_SOURCES = {"organizations": organization_options, "countries": country_options}
# A query is a few typed letters; a longer one matches nothing anyway and is not worth the work.
QUERY_MAX_LENGTH = 100


@login_required
@require_GET
def options_view(request, kind: str):
    source = OPTION_SOURCES.get(kind)
    if source is None:
        raise Http404("No such list of options.")
    query = unstorable_as_spaces(request.GET.get("q", "")[:QUERY_MAX_LENGTH])
    return JsonResponse({"results": source(actor=request.user, query=query)})
