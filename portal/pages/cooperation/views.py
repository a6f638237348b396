"""The cooperation map page (`/cooperation/`): the seed's "avoid duplication and gaps", for signed-in users.

The view validates its three options and renders `cooperation_matrix` (`selectors`), which reads only the programs
the viewer may see.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from iros.models import ThematicArea
from portal.pages.cooperation.selectors import (
    LEVEL_CONTINENT,
    LEVEL_COUNTRY,
    LEVEL_SUBREGION,
    LEVELS,
    cooperation_matrix,
)


@login_required
@require_GET
def cooperation_map_view(request):
    level = request.GET.get("level") if request.GET.get("level") in LEVELS else LEVEL_CONTINENT
    family = request.GET.get("family") if request.GET.get("family") in ThematicArea.Family.values else None
    show_mandates = request.GET.get("mandates", "1") != "0"
    matrix = cooperation_matrix(actor=request.user, family=family, level=level)
    return render(
        request,
        "cooperation/map.html",
        {
            "matrix": matrix,
            "level": level,
            "level_continent": LEVEL_CONTINENT,
            "level_subregion": LEVEL_SUBREGION,
            "level_country": LEVEL_COUNTRY,
            "family": family or "",
            "families": ThematicArea.Family.choices,
            "show_mandates": show_mandates,
            "column_count": len(matrix.columns) + 1,
        },
    )
