from django.contrib import admin
from django.urls import include, path

from iros.urls import igo_urlpatterns
from portal.accounts.views import language_set_view
from portal.health import health_view
from programs.urls import iati_urlpatterns

urlpatterns = [
    path("health/", health_view, name="health"),
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.accounts.urls")),
    path("i18n/setlang/", language_set_view, name="set_language"),
    path("api/v1/", include("portal.api_urls")),
    path("", include("iros.urls")),
    path("igo-tables/", include((igo_urlpatterns, "igo"))),
    path("cooperation/", include("portal.pages.cooperation.urls")),
    path("", include("contacts.urls")),
    path("", include("portal.pages.dashboard.urls")),
    path("programs/", include("programs.urls")),
    path("iati/", include((iati_urlpatterns, "iati"))),
    path("search/", include("portal.pages.search.urls")),
    path("help/", include("portal.pages.help.urls")),
    path("preferences/", include("portal.preferences.urls")),
    path("security/", include("portal.security.urls")),
    path("notifications/", include("portal.notifications.urls")),
]

handler500 = "portal.middleware.server_error"
