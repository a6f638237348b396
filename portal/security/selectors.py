"""Reading the security log and the sign-in lockouts, given the acting user: administrators only (the policy),
everyone else meets a missing page."""

from __future__ import annotations

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Min, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from confidentiality import policies
from portal.security.models import SecurityEvent
from portal.security.policies import opens_to


def _readable_or_404(actor, model) -> None:
    if not opens_to(actor, model):
        raise Http404


def security_event_list(*, actor) -> QuerySet[SecurityEvent]:
    """The log, newest first, with the accounts each row names."""
    _readable_or_404(actor, SecurityEvent)
    return policies.visible_to(actor, SecurityEvent.objects.select_related("actor", "user")).order_by("-at", "-id")


def _locked_attempts(actor) -> QuerySet[AccessAttempt]:
    # What axes counts: failures of one username from one address (summed over browsers), within the cool-off.
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())
    return policies.visible_to(actor, recent)


def lockout_list(*, actor) -> list[dict]:
    """The username and address pairs locked out now: failures, the last attempt, and the attempt row that
    names the pair (`attempt_id`, for clearing), the most recent first."""
    _readable_or_404(actor, AccessAttempt)
    pairs = (
        _locked_attempts(actor)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last_attempt=Max("attempt_time"), attempt_id=Min("id"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_attempt")
    )
    return list(pairs)


def lockout_get(*, actor, attempt_id: int) -> AccessAttempt:
    """One failed attempt within the cool-off (the row a lockout's "Clear" names); Http404 when it is missing,
    cleared or expired, or not the actor's to see."""
    _readable_or_404(actor, AccessAttempt)
    return policies.get_visible_or_404(actor, _locked_attempts(actor), pk=attempt_id)
