"""The Django admin under two-factor sign-in."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.forms import PortalAdminAuthenticationForm
from portal.accounts.two_factor import flow


class PortalAdminSite(admin.AdminSite):
    """Refuses a session that still owes the second sign-in step. `TwoFactorMiddleware` sends such a session to
    the step before it gets here; the site checks again so that the admin never depends on the middleware alone.
    The admin keeps its own password form (guarded against guessing like the portal's); the second step follows
    on the next page."""

    login_form = PortalAdminAuthenticationForm

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and flow.step_due(request) is None


def hide_device_admins() -> None:
    # django-otp registers its devices in the admin, where the TOTP secret is an editable field and backup codes
    # are listed: nobody should read them. An administrator resets a user's devices from the portal instead.
    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)
