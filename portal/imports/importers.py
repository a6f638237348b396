"""What can be imported from a spreadsheet, and by whom: one `Importer` per kind of record, registered by its app.

An app declares an `Importer` beside its column spec (`<app>/imports.py`) and registers it in its
`AppConfig.ready`; the generic import pages and API (`portal.imports.views`, `portal.imports.api`), the jobs a
worker runs (`portal.imports.services`) and the history's policy find it here by its slug, which is also the
job's `kind`, the API's path (`/api/v1/imports/<slug>/`) and the template's file name. Nothing here imports an
app: the registry is how the shared import machinery reaches the apps above it (like the policy registry).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from confidentiality import policies
from portal.kernel.imports import ImportKind


class Scope(StrEnum):
    """Whose records an import writes, which decides who imports and who reads its history."""

    # An organization's submissions: its focal points (for it) and administrators (for any organization).
    ORGANIZATION = "organization"
    # The Committee's records (the IGO tables, events): Committee experts and administrators.
    COMMITTEE = "committee"


@dataclass(frozen=True)
class ImportTexts:
    """What the generic pages say about one kind, as whole (lazy) sentences for translators."""

    title: Any  # "Import programs": the page's title and heading
    records: Any  # "Programs": the list page's name in the breadcrumbs
    see_records: Any  # "See the programs": the link after an import
    lead: Any  # the page's lead paragraph
    note: Any  # under the upload form: how rows are matched and written
    record_heading: Any  # the preview's column naming each row's record ("Title", "Person")
    refused: Any  # the API's 403 message


@dataclass(frozen=True)
class Importer:
    """One kind of record imported from a spreadsheet.

    `kind(actor=, organization=)` builds the column spec and writer (`portal.kernel.imports.ImportKind`) for an
    import by `actor`, `organization` being an administrator's choice for rows that name none (ignored by
    Committee kinds); `actor` is None for the template. The pages are routed in `namespace` by
    `import_urlpatterns` with `route_prefix` before each name (`igo:interactions_import`).
    """

    slug: str
    kind: Callable[..., ImportKind]
    scope: Scope
    namespace: str
    list_route: str
    texts: ImportTexts
    route_prefix: str = ""

    def may_import(self, user) -> bool:
        if self.scope == Scope.ORGANIZATION:
            return policies.can_create_submission(user, None)
        return policies.can_record_committee_work(user)

    @property
    def chooses_organization(self) -> bool:
        """Whether an administrator may name the organization of rows naming none."""
        return self.scope == Scope.ORGANIZATION

    def route(self, name: str) -> str:
        return f"{self.namespace}:{self.route_prefix}{name}"

    def url(self, name: str, *args) -> str:
        """A page of this import: `import`, `import_history`, `import_job` or `import_job_cancel`."""
        return reverse(self.route(name), args=args)

    def list_url(self) -> str:
        return reverse(self.list_route)

    def template_url(self, extension: str) -> str:
        return reverse(f"api:imports-{self.slug}-template", kwargs={"extension": extension})


_registry: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    registered = _registry.get(importer.slug)
    if registered is not None and registered != importer:
        raise ImproperlyConfigured(f"Another importer is registered as {importer.slug!r}.")
    _registry[importer.slug] = importer


def importer_for(slug: str) -> Importer:
    try:
        return _registry[slug]
    except KeyError:
        raise ImproperlyConfigured(f"No importer is registered as {slug!r}.") from None


def importers() -> list[Importer]:
    return list(_registry.values())


def slugs_of(scope: Scope) -> list[str]:
    return [importer.slug for importer in _registry.values() if importer.scope == scope]
