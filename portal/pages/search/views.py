"""`/search/?q=`: open to everyone; each viewer finds only what the visibility policy lets them see."""

from django.core.paginator import Paginator
from django.shortcuts import render

from portal.pages.search.selectors import SECTIONS, clean_query, search_overview, search_section

PER_PAGE = 20


def search_view(request):
    text = clean_query(request.GET.get("q"))
    section_key = request.GET.get("type", "")
    if section_key not in SECTIONS:
        section_key = ""
    context = {"q": text, "section_key": section_key, "sections": SECTIONS.values()}
    if text and section_key:
        # One kind of record, paginated; the total is counted over the visible matches only.
        paginator = Paginator(search_section(actor=request.user, key=section_key, text=text), PER_PAGE)
        context["section"] = SECTIONS[section_key]
        context["page_obj"] = paginator.get_page(request.GET.get("page"))
    elif text:
        context["overview"] = search_overview(actor=request.user, text=text)
        context["nothing_found"] = not any(section.rows for section in context["overview"])
    return render(request, "search/results.html", context)
