"""What every import of submissions (programs, points of contact) shares: the owner organization of each row, the
sharing columns (state, audience, shared with), and who may create or change which record.

A row names its record by ID (one the importer may see: a hidden record reads exactly like a missing one), else by
its Key within the row's organization, else it creates one. The app's selectors and services do the reading and
writing (`get_visible`, `get_by_key`, `create_record`, `update_record`), so a row obeys every rule of the form and
the API: the importer writes only what its user could write one by one, and grants, audit and notifications are
the services'.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confidentiality import policies
from confidentiality.models import Audience, State
from iros.models import Organization
from portal.imports.references import ReferenceNames, organization_choices
from portal.kernel.cells import choice_list, choice_reader
from portal.kernel.imports import KeyedImportKind


class SubmissionImport(KeyedImportKind):
    """Submissions imported by `actor`; rows that name no organization belong to `organization` (for a focal point:
    its own; an administrator chooses one, or every row names its own)."""

    keep_when_blank = ("state", "audience")
    changed_together = (("state", "audience", "shared_with"),)
    identifying = ("id", "organization")
    fallback_key_column = "organization"
    # Sentences naming the kind (with `id_problem`, `id_notes`, `key_notes` and `unknown_id`).
    may_not_change: Any = gettext_lazy("You may not change this record.")
    organization_fixed: Any = gettext_lazy("A record's organization cannot be changed.")
    audience_notes: Any = gettext_lazy(
        "Who, besides the Committee, sees the submitted record; blank: committee, or unchanged."
    )

    def __init__(self, *, actor, organization: Organization | None = None):
        self.actor = actor
        self.organization = policies.own_organization(actor) or organization
        self.names = ReferenceNames()

    # hooks: the app's selectors and services

    def get_by_key(self, organization: Organization, external_key: str):
        """`organization`'s record with this key if the importer may see it, else None."""
        raise NotImplementedError

    def create_record(self, organization: Organization, fields: dict):
        raise NotImplementedError

    def update_record(self, record, changes: dict) -> None:
        raise NotImplementedError

    # the sharing columns

    def submission_rules(self) -> dict[str, dict]:
        """The column rules of `id`, `external_key`, `organization`, `state`, `audience` and `shared_with`."""
        return {
            **self.identity_rules(),
            "organization": {
                "parse": self.names.organization,
                "choices": organization_choices,
                "notes": _("Acronym or name of the owner organization; blank: yours (administrators choose one)."),
            },
            "state": {
                "parse": choice_reader(State),
                "choices": choice_list(State),
                "notes": _("draft (only your organization sees it) or submitted; blank: draft, or unchanged."),
            },
            "audience": {
                "parse": choice_reader(Audience),
                "choices": choice_list(Audience),
                "notes": str(self.audience_notes),
            },
            "shared_with": {
                "parse": self.names.organizations_of,
                "choices": organization_choices,
                "multiple": True,
                "notes": _("Acronyms separated by “;”, only with the audience “selected” (never your own)."),
            },
        }

    # which record a row is, and writing it

    def owner(self, values: dict) -> Organization | None:
        return values.get("organization") or self.organization

    def owner_key(self, values: dict):
        owner = self.owner(values)
        return owner.pk if owner else None

    def existing(self, values: dict):
        if values.get("id") is not None:
            return self.visible_by_id(values["id"])
        owner = self.owner(values)
        if values.get("external_key") and owner is not None:
            return self.get_by_key(owner, values["external_key"])
        return None

    def create(self, values: dict, fields: dict):
        owner = self.owner(values)
        if owner is None:
            raise ValidationError({"organization": _("Give the organization's acronym.")})
        try:
            return self.create_record(owner, fields)
        except PermissionDenied as error:
            raise ValidationError({"organization": str(error)}) from None

    def check_update(self, record, values: dict) -> None:
        if values.get("organization") not in (None, record.organization):
            raise ValidationError({"organization": str(self.organization_fixed)})
        if not policies.can_edit(self.actor, record):
            raise ValidationError({self.key_column(values): str(self.may_not_change)})

    def update(self, record, changes: dict) -> None:
        # A refusal (PermissionDenied) is the row's problem, reported on its ID or Key by the engine.
        self.update_record(record, changes)
