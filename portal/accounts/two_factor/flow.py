"""The second sign-in step's state in the session, and the pages each step leads to.

Whether a user has two-factor sign-in decides which step an unverified session owes; asking the database on
every request would cost each signed-in page a query. The session remembers the answer from sign-in onwards,
and a session that has not proved a second factor asks again every `RECHECK_SECONDS`: a session opened with the
password alone is sent to the second step within minutes of its owner turning two-factor sign-in on elsewhere.
A verified session needs no answer (django-otp's middleware re-reads its device on each request, so a deleted
device unverifies it at once).
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.urls import reverse
from django_otp import login as otp_login

from portal.accounts.two_factor.selectors import Step, two_factor_enabled, two_factor_step_due

ENABLED_KEY = "two_factor_enabled"
BACKUP_CODES_KEY = "two_factor_backup_codes"
RECHECK_SECONDS = 300
STEP_PAGES = {Step.VERIFY: "accounts:two_factor_verify", Step.ENROL: "accounts:two_factor_enrol"}


def remember_enabled(request, enabled: bool) -> None:
    request.session[ENABLED_KEY] = [enabled, int(time.time())]


def enabled_for_session(request) -> bool:
    """`two_factor_enabled(request.user)`, as the session remembers it while the answer is recent."""
    remembered = request.session.get(ENABLED_KEY)
    if remembered and time.time() - remembered[1] < RECHECK_SECONDS:
        return remembered[0]
    enabled = two_factor_enabled(request.user)
    remember_enabled(request, enabled)
    return enabled


def step_due(request) -> Step | None:
    """The step the session's user owes before any page, or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    return two_factor_step_due(user, enabled=enabled_for_session(request))


def step_url(step: Step, next_url: str) -> str:
    return f"{reverse(STEP_PAGES[step])}?{urlencode({'next': next_url})}"


def remember_on_sign_in(sender, request, user, **kwargs) -> None:
    """`user_logged_in` receiver: the answer for the new session, read once at sign-in."""
    if request is not None and hasattr(request, "session"):
        remember_enabled(request, two_factor_enabled(user))


def verified_with(request, device) -> None:
    """The session has proved the second factor with `device`: mark it (django-otp) under a new session key, as
    signing in does, since the session now holds more rights."""
    otp_login(request, device)
    request.session.cycle_key()
    remember_enabled(request, True)


def backup_codes_show_once(request, codes: list[str]) -> None:
    request.session[BACKUP_CODES_KEY] = codes


def backup_codes_to_show(request) -> list[str] | None:
    """The codes just made, taken from the session: the page shows them once."""
    return request.session.pop(BACKUP_CODES_KEY, None)
