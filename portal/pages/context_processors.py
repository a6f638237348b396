"""What every page's layout needs to know about the viewer, from the policy's per-request cache."""

from django.utils.functional import SimpleLazyObject

from confidentiality.policies import viewer_for


def viewer(request) -> dict:
    # Lazy: pages that never show it pay nothing; pages whose view already asked the policy pay no query.
    return {"viewer": SimpleLazyObject(lambda: viewer_for(getattr(request, "user", None)))}
