"""What every page's layout needs to know about the viewer, from the policy's per-request cache."""

from functools import cache

from django.utils.functional import SimpleLazyObject

from confidentiality.policies import viewer_for
from portal.notifications.selectors import notifications_unread_count


def viewer(request) -> dict:
    # Lazy: pages that never show them pay nothing; pages whose view already asked the policy pay no query for the
    # viewer. The navbar's unread count is a plain number (templates call it) read once per page: one index-only
    # query, none for a signed-out visitor.
    user = getattr(request, "user", None)
    return {
        "viewer": SimpleLazyObject(lambda: viewer_for(user)),
        "unread_notifications": cache(lambda: notifications_unread_count(actor=user)),
    }
