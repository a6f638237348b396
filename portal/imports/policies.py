"""Who reads the import history and cancels a job (the policy registry's entry for `ImportJob`)."""

from __future__ import annotations

from django.db.models import QuerySet

from confidentiality.policies import Policy, register
from confidentiality.viewers import Viewer
from portal.imports.importers import Scope, importer_for, slugs_of
from portal.imports.models import ImportJob


class ImportJobPolicy(Policy):
    """Administrators see every import. An organization's imports (its submissions): its focal points. The
    Committee's imports (IGO tables, events): Committee experts, who keep those records together. Nobody else any:
    the Committee reads the records, not who imported an organization's, and members import nothing."""

    def visible(self, viewer: Viewer, queryset: QuerySet) -> QuerySet:
        if viewer.is_admin:
            return queryset
        if viewer.is_focal_point:
            return queryset.filter(organization_id=viewer.organization_id, kind__in=slugs_of(Scope.ORGANIZATION))
        if viewer.is_committee:
            return queryset.filter(kind__in=slugs_of(Scope.COMMITTEE))
        return queryset.none()

    def can_change(self, viewer: Viewer, record: ImportJob) -> bool:
        if viewer.is_admin:
            return True
        if importer_for(record.kind).scope == Scope.ORGANIZATION:
            return viewer.is_focal_point_of(record.organization_id)
        return viewer.is_committee


def register_policies() -> None:
    register(ImportJobPolicy(ImportJob))
