"""The home page: a public landing page when signed out, the user's home when signed in."""

from django.shortcuts import render

from portal.dashboard.selectors import home_organization, public_figures


def home_view(request):
    if not request.user.is_authenticated:
        return render(request, "dashboard/landing.html", {"figures": public_figures(actor=request.user)})
    return render(
        request,
        "dashboard/home.html",
        {
            "organization": home_organization(actor=request.user),
            "figures": public_figures(actor=request.user),
        },
    )
