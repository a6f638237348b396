"""The password change and password reset pages: Django's, plus what a new password must end.

A password change or reset logs the event and revokes every credential the old password may have handed out
(`portal.accounts.services.user_password_changed`), in the transaction that saves the new password.
"""

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import reverse_lazy

from portal.accounts.services import user_password_changed


class RevokeCredentialsMixin:
    """For a view whose valid form (`form.user`) sets a new password; `reason` is the `credentials_revoked` one."""

    reason: str

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user_password_changed(user=form.user, reason=self.reason, request=self.request)
        return response


class PasswordChangeView(RevokeCredentialsMixin, auth_views.PasswordChangeView):
    reason = "password_changed"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordResetConfirmView(RevokeCredentialsMixin, auth_views.PasswordResetConfirmView):
    reason = "password_reset"
    success_url = reverse_lazy("accounts:password_reset_complete")
