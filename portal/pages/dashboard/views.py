"""The home page: a public landing page when signed out, the dashboard of the user's role when signed in."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language_bidi

from confidentiality.policies import own_organization, viewer_for
from portal.pages.dashboard.charts import bar_chart, column_chart
from portal.pages.dashboard.selectors import committee_dashboard, iro_dashboard, public_figures


def home_view(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "dashboard/landing.html", {"figures": public_figures(actor=user)})
    viewer = viewer_for(user)
    if viewer.sees_every_submission:
        dashboard = committee_dashboard(actor=user)
        rtl = get_language_bidi()  # the charts are mirrored for a right-to-left reader
        return render(
            request,
            "dashboard/committee.html",
            {
                "dashboard": dashboard,
                "thematic_chart": bar_chart(dashboard.by_thematic_area, rtl=rtl),
                "region_chart": bar_chart(dashboard.by_region, rtl=rtl),
                "interaction_chart": column_chart(dashboard.interactions, rtl=rtl),
                "organization": None,
                "is_admin": viewer.is_admin,
                "today": timezone.localdate(),
            },
        )
    organization = own_organization(user)
    if organization is not None:
        return render(
            request,
            "dashboard/iro.html",
            {"dashboard": iro_dashboard(actor=user, organization=organization), "organization": organization},
        )
    # A signed-in user with no organization and no Committee role sees what everyone sees.
    return render(request, "dashboard/home.html", {"organization": None, "figures": public_figures(actor=user)})
