"""Who may call what. Reads are filtered by the visibility policy in each viewset's queryset."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from confidentiality import policies


class PolicyPermission(BasePermission):
    """Reads: anyone (the queryset already holds only what the caller may see).

    Writes on a record: decided after the record was found in the caller's visible queryset, so a hidden record
    answers 404 before any permission question is asked; a visible record the caller may not change answers 403
    (401 when signed out). Writes that create: signed-in callers; the service decides who may create what.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return policies.can_edit(request.user, obj)


class IsPortalAdmin(BasePermission):
    """Administrators only (401 signed out, 403 for everyone else), on every record alike."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and policies.viewer_for(request.user).is_admin)
