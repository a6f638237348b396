"""Writing the security event log (every account and sign-in service calls `security_event_record`), clearing a
sign-in lockout, and purging the log past its retention."""

from __future__ import annotations

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection, transaction
from django.db.models.functions import Now
from django.utils.translation import gettext as _

from confidentiality import policies
from portal.kernel.locking import lock_for_update
from portal.security.models import SecurityEvent

# The shortest retention the log's trigger allows (portal/security/db.py).
RETENTION_FLOOR_DAYS = 30
# Keys whose values are never written, whatever a caller passes in `details`.
SECRET_KEYS = frozenset({"password", "password1", "password2", "token", "key", "code", "otp_token", "secret", "link"})


def client_address(request) -> str | None:
    """The client's address as Django sees it: the log's, and the one axes locks out (`AXES_CLIENT_IP_CALLABLE`).

    Never a forwarded header, which the client writes. Behind a reverse proxy, make the proxy (or the WSGI server)
    set REMOTE_ADDR to the client's address (README, "Lockout and throttling")."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    kind: str, *, request=None, actor=None, user=None, username: str = "", **details
) -> SecurityEvent:
    """Append one event. `actor` did it, `user` is the account concerned (both may be None); `details` are
    plain facts (a role, an organization's acronym, a token's name) — secrets are dropped, never stored."""
    # A request built by hand (the test client's force_login) has no `user`.
    if actor is None and getattr(getattr(request, "user", None), "is_authenticated", False):
        actor = request.user
    if not username:
        username = getattr(user, "username", "") or ""
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        user=user if getattr(user, "pk", None) else None,
        username=username[:150],
        ip_address=client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        details={key: value for key, value in details.items() if key not in SECRET_KEYS},
    )


def lockout_clear(*, actor, attempt: AccessAttempt, request=None) -> int:
    """Let `attempt`'s username sign in again from its address at once: every failed attempt of that pair is
    deleted (whatever the browser), and the clearing is logged. Administrators only. Returns how many rows went.

    Not `axes.utils.reset`: there an empty username or address means "any", which would clear other lockouts.
    """
    with transaction.atomic():
        locked = lock_for_update(
            attempt,
            actor=actor,
            allowed=policies.can_delete,
            message=_("Only administrators clear sign-in lockouts."),
        )
        deleted, _rows = AccessAttempt.objects.filter(username=locked.username, ip_address=locked.ip_address).delete()
        security_event_record(
            SecurityEvent.Kind.LOCKOUT_CLEARED,
            request=request,
            actor=actor,
            username=locked.username or "",
            address=locked.ip_address,
        )
    return deleted


def security_log_purge() -> int:
    """Delete the log's rows older than SECURITY_LOG_RETENTION_DAYS; returns how many went.

    The table's trigger refuses to delete a younger row; it reads the retention from the transaction-local
    setting given here, so the database and the application agree on the cut. The trigger keeps at least
    RETENTION_FLOOR_DAYS whatever the setting says, and so does the cut.
    """
    days = max(settings.SECURITY_LOG_RETENTION_DAYS, RETENTION_FLOOR_DAYS)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # SET LOCAL, with the number passed as a parameter.
            cursor.execute("SELECT set_config('portal.security_log_retention_days', %s, true)", [str(days)])
        # The database's clock, as the trigger's: the application server's may run ahead.
        deleted, _rows = SecurityEvent.objects.filter(at__lt=Now() - timedelta(days=days)).delete()
    return deleted
