"""Routes of the REST API under /api/v1/ (namespace `api`): `api:programs-list`, `api:programs-detail`, …

Wiring: it names every app's viewsets, so it lives beside `portal.urls`, above the apps (import-linter layers).
"""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from contacts.api import ContactViewSet, CoordinatorViewSet, DemarcheViewSet, DesignationViewSet
from iros.api import (
    AgreementViewSet,
    EventViewSet,
    InteractionViewSet,
    OrganizationViewSet,
    RegionViewSet,
    ThematicAreaViewSet,
)
from portal.accounts.api import UserViewSet
from portal.api.views import DocsView, NotFoundView, SchemaView, TokenObtainView
from portal.imports.api import import_api_urlpatterns
from portal.notifications.api import NotificationViewSet
from programs.api import DocumentViewSet, ProgramViewSet

app_name = "api"

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organizations")
router.register("contacts", ContactViewSet, basename="contacts")
router.register("coordinators", CoordinatorViewSet, basename="coordinators")
router.register("demarches", DemarcheViewSet, basename="demarches")
router.register("designations", DesignationViewSet, basename="designations")
router.register("programs", ProgramViewSet, basename="programs")
router.register("documents", DocumentViewSet, basename="documents")
router.register("interactions", InteractionViewSet, basename="interactions")
router.register("agreements", AgreementViewSet, basename="agreements")
router.register("events", EventViewSet, basename="events")
router.register("thematic-areas", ThematicAreaViewSet, basename="thematic-areas")
router.register("regions", RegionViewSet, basename="regions")
router.register("notifications", NotificationViewSet, basename="notifications")
router.register("users", UserViewSet, basename="users")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="token"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    # imports/<kind>/ and imports/<kind>/template.(csv|xlsx) for every registered importer
    *import_api_urlpatterns(),
    path("", include(router.urls)),
    re_path(r"^", NotFoundView.as_view(), name="not-found"),
]
