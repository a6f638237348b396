"""`/help/`: the glossary and the guide of each persona. Open to everyone; they show no record."""

from django.http import Http404
from django.shortcuts import render

from portal.pages.help.glossary import ENTRIES, PERSONAS, SLUG_OF_ROLE


def help_index_view(request):
    own = SLUG_OF_ROLE.get(getattr(request.user, "role", None)) if request.user.is_authenticated else None
    guides = [{"slug": slug, "title": title, "is_own": slug == own} for slug, (_role, title) in PERSONAS.items()]
    return render(request, "help/index.html", {"guides": guides})


def glossary_view(request):
    return render(request, "help/glossary.html", {"entries": ENTRIES})


def persona_view(request, persona: str):
    if persona not in PERSONAS:
        raise Http404
    _role, title = PERSONAS[persona]
    return render(request, f"help/persona_{persona.replace('-', '_')}.html", {"persona": persona, "title": title})
