"""Template helpers shared by every page of the portal's layout."""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.kernel.forms import FORM_ERRORS_SUMMARY
from portal.pages.help.glossary import SLUG_OF_ROLE, entry_for

register = template.Library()


@register.simple_tag
def nav_url(name: str, *args, **kwargs) -> str:
    """The URL of a named route, or "" while the app that provides it has not been written yet.

    The layout hides a link whose URL is empty, so the navigation never points at a page that does not exist.
    """
    try:
        return reverse(name, args=args or None, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


@register.simple_tag
def form_errors_summary() -> str:
    """The sentence above every form that did not validate (`portal.kernel.forms.FORM_ERRORS_SUMMARY`)."""
    return FORM_ERRORS_SUMMARY


@register.filter
def is_current_section(path: str, url: str) -> bool:
    """Whether `path` lies under the navigation entry at `url` (the home page matches only itself)."""
    if not url:
        return False
    if url == "/":
        return path == "/"
    return path.startswith(url)


@register.filter
def country_name(code: str) -> str:
    return countries.name(code) or code


@register.filter
def query_pairs(query, excluded: str = "") -> list[tuple[str, str]]:
    """Every (key, value) of a query string but those whose key `excluded` lists (comma-separated): what a form or
    a link carries over. A filter, because in a template `request.GET.lists` would first look up a parameter named
    "lists", and `?lists=x` would then break the page."""
    skipped = set(excluded.split(","))
    return [(key, value) for key, values in query.lists() if key not in skipped for value in values]


@register.filter
def page_numbers(page):
    """The first and last page, two on each side of the current one, and `Paginator.ELLIPSIS` for the gaps: a
    list of 100,000 rows has 2,000 pages, and the template should not walk them all to show nine."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def with_class(field, css_class: str):
    """Render a bound form field's widget with Bootstrap's class, marking it invalid when it has errors."""
    classes = css_class + (" is-invalid" if field.errors else "")
    return field.as_widget(attrs={"class": classes})


# Short labels for tight table columns; the full label stays on profile pages.
ORGANIZATION_KIND_SHORT = {
    "international": _("International"),
    "regional": _("Regional"),
    "subregional": _("Sub-regional"),
    "arrangement": _("Arrangement"),
    "un_entity": _("UN entity"),
}


@register.filter
def kind_short(organization) -> str:
    return ORGANIZATION_KIND_SHORT.get(organization.kind, organization.get_kind_display())


# --- help ----------------------------------------------------------------------------------------------------


@register.inclusion_tag("help/_glossary_link.html")
def glossary_link(anchor: str) -> dict:
    """An info link to the glossary's entry `anchor` (portal/pages/help/glossary.py), beside the field or heading
    where the word appears. An anchor the glossary does not define fails the page: a link must lead somewhere."""
    entry = entry_for(anchor)
    return {"url": f"{reverse('help:glossary')}#{entry.anchor}", "term": entry.term}


@register.simple_tag
def help_url_for(user) -> str:
    """The guide written for `user`'s role, or the help index (everyone else)."""
    slug = SLUG_OF_ROLE.get(getattr(user, "role", None)) if getattr(user, "is_authenticated", False) else None
    return reverse("help:persona", args=[slug]) if slug else reverse("help:index")
