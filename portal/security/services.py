"""Writing the security event log. Every account and sign-in service calls `security_event_record`."""

from __future__ import annotations

from portal.security.models import SecurityEvent

# Keys whose values are never written, whatever a caller passes in `details`.
SECRET_KEYS = frozenset({"password", "password1", "password2", "token", "key", "code", "otp_token", "secret", "link"})


def client_address(request) -> str | None:
    """The client's address as Django sees it (behind a proxy, set `SECURE_PROXY_SSL_HEADER` and the proxy's
    forwarding so that REMOTE_ADDR is the client's)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def security_event_record(
    kind: str, *, request=None, actor=None, user=None, username: str = "", **details
) -> SecurityEvent:
    """Append one event. `actor` did it, `user` is the account concerned (both may be None); `details` are
    plain facts (a role, an organization's acronym, a token's name) — secrets are dropped, never stored."""
    if actor is None and request is not None and getattr(request.user, "is_authenticated", False):
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
