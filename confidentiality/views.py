"""What the pages of every submission (programs, points of contact) share: the sharing panel, the audience
preview, the create-and-edit page's owner and the submit / withdraw views.

The apps' views read their record through their own selectors (the visibility policy) and hand it here.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.shortcuts import redirect

from confidentiality import policies
from confidentiality.forms import AUDIENCE_FIELDS
from confidentiality.models import SharingAudit, State, Submission
from iros.models import Organization

HISTORY_LIMIT = 50


def may_create_submissions(user) -> bool:
    """Does `user` create submissions for some organization (shows the "New" buttons)?"""
    return policies.can_create_submission(user, None)


def reach_context(user, reach: policies.Reach) -> dict:
    """A Reach with the organizations it names, for `includes/_reach.html`."""
    named = policies.visible_to(user, Organization.objects.filter(pk__in=reach.organization_ids))
    organizations = {org.pk: org for org in named}
    return {
        "reach": reach,
        "owner": organizations.get(reach.owner_id),
        "selected": sorted(
            (org for pk, org in organizations.items() if pk != reach.owner_id), key=lambda org: org.acronym
        ),
    }


def _history_rows(model, records: list) -> list[dict]:
    """Each historical version with the fields it changed from the one before it."""
    rows = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            for change in record.diff_against(previous).changes:
                changes.append(str(model._meta.get_field(change.field).verbose_name))
        rows.append({"record": record, "changes": changes})
    return rows


def sharing_details(user, record: Submission) -> dict:
    """`shared_with`, the audit of audience changes and the edit history — only for whom the policy allows.

    The context of `includes/_sharing_panel.html`.
    """
    if not policies.can_see_sharing_details(user, record):
        return {"can_see_sharing": False}
    model = record._meta.model
    audit = SharingAudit.objects.filter(record_type=model._meta.label_lower, record_id=record.pk).select_related(
        "actor"
    )
    history = record.history.select_related("history_user").order_by("-history_date", "-history_id")[:HISTORY_LIMIT]
    return {
        "can_see_sharing": True,
        "shared_with": record.shared_with.order_by("acronym"),
        "reach": reach_context(user, policies.who_can_view(record)),
        "audit": audit,
        "history": _history_rows(model, list(history)),
    }


def audience_preview(user, form: Form, owner: Organization | None) -> dict | None:
    """Who will be able to see the record once submitted, worked out from the form's fields (nothing saved)."""
    owner = owner or form.cleaned_data.get("organization")
    audience = form.cleaned_data.get("audience")
    if owner is None or audience is None or form.has_error("shared_with"):
        return None
    reach = policies.reach_of(
        organization_id=owner.pk,
        state=State.SUBMITTED,
        audience=audience,
        shared_with_ids=[org.pk for org in form.cleaned_data.get("shared_with") or []],
    )
    return reach_context(user, reach)


def keep_audience_errors(form: Form) -> None:
    # A preview saves nothing, so only the audience fields' problems are worth showing.
    for name in list(form.errors):
        if name not in AUDIENCE_FIELDS:
            del form.errors[name]


def submission_state_change(request, record: Submission, change: Callable, done_message: str, redirect_to: str):
    """Submit or withdraw `record` (read by the caller through its selector) and go back to `redirect_to`.

    A viewer who may not change its sharing gets 403; the service's ValidationError (a rule the change would
    break, such as one active point of contact per role) becomes error messages and nothing changes.
    """
    if not policies.can_change_sharing(request.user, record):
        raise PermissionDenied
    try:
        change(actor=request.user, record=record)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect(redirect_to)
