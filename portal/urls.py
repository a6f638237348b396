from django.contrib import admin
from django.urls import include, path

from iros.urls import igo_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("portal.api_urls")),
    path("", include("iros.urls")),
    path("igo-tables/", include((igo_urlpatterns, "igo"))),
    path("cooperation/", include("portal.pages.cooperation.urls")),
    path("", include("contacts.urls")),
    path("", include("portal.pages.dashboard.urls")),
    path("programs/", include("programs.urls")),
    path("search/", include("portal.pages.search.urls")),
    path("security/", include("portal.security.urls")),
]
