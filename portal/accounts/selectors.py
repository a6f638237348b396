"""Reads about accounts."""

from django.conf import settings
from django.db.models import QuerySet

from confidentiality import policies
from portal.accounts.models import ApiToken, Role, User

# The roles `PORTAL_2FA_REQUIRED=privileged` asks a second factor of: whoever can change or see more than a member.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.COMMITTEE, Role.FOCAL_POINT})


def two_factor_required(user) -> bool:
    """Must `user` sign in with a second factor under `PORTAL_2FA_REQUIRED` (`all`, `privileged`, `off`)?"""
    mode = settings.PORTAL_2FA_REQUIRED
    if not getattr(user, "is_authenticated", False) or mode == "off":
        return False
    if mode == "all":
        return True
    return user.role in PRIVILEGED_ROLES or user.is_superuser


# --- API tokens -----------------------------------------------------------------------------------------------


def api_token_creation_allowed(user, *, second_factor_verified: bool) -> bool:
    """May `user` make a token for themself now? A token is a password that skips the second factor, so a user
    who must sign in with one gets a token only from a session verified with it."""
    return user.is_active and (not two_factor_required(user) or second_factor_verified)


def api_token_list_for(*, actor, user: User | None = None) -> QuerySet[ApiToken]:
    """`user`'s tokens (by default the actor's own), newest first, as far as `actor` may see them."""
    owner = user or actor
    return policies.visible_to(actor, ApiToken.objects.filter(user_id=owner.pk))


def api_token_get_for(*, actor, token_id) -> ApiToken:
    """One token the actor may see; Http404 for a missing or hidden one alike."""
    return policies.get_visible_or_404(actor, ApiToken.objects.all(), pk=token_id)


def api_token_for_key(key: str) -> ApiToken | None:
    """The token with this key, whatever its state, with its user (one query); None for an unknown key.

    No actor: this is how the API finds out who the caller is.
    """
    try:
        return ApiToken.objects.select_related("user").get(key_digest=ApiToken.digest_of(key))
    except ApiToken.DoesNotExist:
        return None
