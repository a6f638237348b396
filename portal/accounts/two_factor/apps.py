from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """The Django admin (in INSTALLED_APPS instead of `django.contrib.admin`) on `PortalAdminSite`."""

    default_site = "portal.accounts.two_factor.admin_site.PortalAdminSite"

    def ready(self) -> None:
        super().ready()
        from portal.accounts.two_factor.admin_site import hide_device_admins  # models load only once apps are ready

        hide_device_admins()
