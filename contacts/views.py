"""Pages of the contacts app."""

from django.shortcuts import render

from contacts.selectors import coordinators_by_status


def coordinator_list_view(request):
    groups = coordinators_by_status(actor=request.user)
    return render(
        request,
        "contacts/coordinator_list.html",
        {"groups": groups, "total": sum(len(coordinators) for _, _, coordinators in groups)},
    )
