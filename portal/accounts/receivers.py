"""What the accounts app does when someone signs in or out, or when an account's credentials must end.

Connected in `AccountsConfig.ready`; each receiver calls one service.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out

from portal.accounts import services
from portal.accounts.signals import credentials_revoked


def _index_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        services.session_index(request=request, user=user)


def _forget_session(sender, request, user, **kwargs) -> None:
    if request is not None:
        services.session_forget(request=request)


def _end_sessions(sender, user, reason, **kwargs) -> None:
    services.user_sessions_end(user=user)


def connect_receivers() -> None:
    user_logged_in.connect(_index_session, dispatch_uid="accounts.index_session")
    user_logged_out.connect(_forget_session, dispatch_uid="accounts.forget_session")
    credentials_revoked.connect(_end_sessions, dispatch_uid="accounts.end_sessions")
