"""Sign-ins into the security log: Django's authentication signals and django-axes' lockout signal.

Every password entry point (the portal's sign-in, the admin's, the API token endpoint) goes through
`django.contrib.auth.authenticate`, which sends these signals; connected in `SecurityConfig.ready`.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from portal.security.models import SecurityEvent
from portal.security.services import security_event_record


def record_sign_in(sender, request, user, **kwargs) -> None:
    security_event_record(SecurityEvent.Kind.SIGN_IN, request=request, actor=user, user=user)


def record_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:  # signing out with no session signs nobody out
        security_event_record(SecurityEvent.Kind.SIGN_OUT, request=request, actor=user, user=user)


def record_sign_in_failure(sender, credentials, request=None, **kwargs) -> None:
    # Django has already masked the password in `credentials`; the username is kept as typed.
    security_event_record(
        SecurityEvent.Kind.SIGN_IN_FAILED, request=request, username=str(credentials.get("username") or "")
    )


def record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    # Axes sends this for the failure that locks and again for each attempt refused while locked (those are
    # logged as failed sign-ins already); only the former has counted the failures.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is not None:
        security_event_record(
            SecurityEvent.Kind.LOCKED_OUT, request=request, username=str(username or ""), failures=failures
        )


def connect_receivers() -> None:
    user_logged_in.connect(record_sign_in, dispatch_uid="security.sign_in")
    user_logged_out.connect(record_sign_out, dispatch_uid="security.sign_out")
    user_login_failed.connect(record_sign_in_failure, dispatch_uid="security.sign_in_failed")
    user_locked_out.connect(record_lockout, dispatch_uid="security.locked_out")
