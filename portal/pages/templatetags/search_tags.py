"""Rendering search snippets: the record's text is escaped, then the matched words are marked."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from portal.pages.search.selectors import MARK_START, MARK_STOP

register = template.Library()


@register.filter
def snippet_html(snippet: str | None) -> SafeString:
    """`ts_headline` output with every character escaped and only our own markers turned into <mark>."""
    escaped = escape(snippet or "")
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))  # noqa: S308
