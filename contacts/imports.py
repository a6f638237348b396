"""Points of contact from a spreadsheet: the template's columns, and each row written by `contact_create` /
`contact_update`, so that an imported contact obeys the contact form's rules (one standing contact per role, the
dates in order, the audience of its details) and gets the same grants, audit and notifications.

Which record a row is, who may write it and the sharing columns are every submission's
(`portal.imports.submissions`): a row names its contact by ID or by Key within its organization, else designates a
new one. A focal point imports its own organization's contacts only; an administrator any organization's. The
pages, API and jobs are the generic ones (`portal.imports`), configured by `CONTACTS`.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contacts import selectors, services
from contacts.models import ContactRole, PointOfContact
from portal.imports.importers import Importer, ImportTexts, Scope
from portal.imports.submissions import SubmissionImport
from portal.kernel.cells import choice_list, choice_reader, date_reader, read_text
from portal.kernel.imports import Column, columns_from


def columns() -> list[tuple[str, str]]:
    """(key, header) of every column, in order."""
    return [
        ("id", _("ID")),
        ("external_key", _("Key")),
        ("organization", _("Organization")),
        ("role", _("Role")),
        ("person", _("Person")),
        ("title", _("Title or function")),
        ("email", _("E-mail")),
        ("phone", _("Phone")),
        ("since", _("Designated since")),
        ("until", _("Designated until")),
        ("state", _("State")),
        ("audience", _("Audience")),
        ("shared_with", _("Shared with")),
    ]


class ContactImport(SubmissionImport):
    """Points of contact imported by `actor` (`organization`: an administrator's choice for rows naming none)."""

    sheet_title = gettext_lazy("Points of contact")
    file_stem = "contacts"
    id_problem = gettext_lazy("Give the contact's ID as a whole number, or leave it blank for a new contact.")
    id_notes = gettext_lazy("The portal's ID of a point of contact to update; blank for a new one.")
    key_notes = gettext_lazy(
        "Your organization's own identifier of the contact (up to 100 characters). A row without an ID "
        "updates the contact with this key, or creates it: importing the same file again changes "
        "nothing."
    )
    unknown_id = gettext_lazy("Unknown point of contact ID %(id)s.")
    may_not_change = gettext_lazy("You may not change this contact.")
    organization_fixed = gettext_lazy("A contact's organization cannot be changed.")
    audience_notes = gettext_lazy(
        "Who, besides the Committee, sees the details once submitted (that the role is designated is public); "
        "blank: committee, or unchanged."
    )

    def columns(self) -> list[Column]:
        rules = {
            **self.submission_rules(),
            "role": {
                "parse": choice_reader(ContactRole),
                "choices": choice_list(ContactRole),
                "required": True,
                "notes": _("assistance or implementation (or their labels). Required."),
            },
            "person": {"parse": read_text, "required": True, "notes": _("The person's name. Required.")},
            "title": {"parse": read_text, "notes": _("Free text.")},
            "email": {"parse": read_text, "notes": _("An e-mail address.")},
            "phone": {"parse": read_text, "notes": _("Free text, e.g. +43 1 000 0000.")},
            "since": {"parse": date_reader(end=False), "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the first day).")},
            "until": {
                "parse": date_reader(end=True),
                "notes": _(
                    "YYYY-MM-DD, YYYY-MM or YYYY (the last day); blank while the designation stands. An organization "
                    "has one standing contact per role: end the old one in a row above the new one."
                ),
            },
        }
        return columns_from(columns(), rules)

    # the app's selectors and services

    def get_visible(self, record_id: int) -> PointOfContact:
        return selectors.contact_get_for(actor=self.actor, contact_id=record_id)

    def get_by_key(self, organization, external_key: str) -> PointOfContact | None:
        return selectors.contact_get_by_key_for(actor=self.actor, organization=organization, external_key=external_key)

    def create_record(self, organization, fields: dict) -> PointOfContact:
        return services.contact_create(actor=self.actor, organization=organization, **fields)

    def update_record(self, record: PointOfContact, changes: dict) -> None:
        services.contact_update(actor=self.actor, contact=record, **changes)

    def name_of(self, record: PointOfContact) -> str:
        return record.person


CONTACTS = Importer(
    slug="contacts",
    kind=ContactImport,
    scope=Scope.ORGANIZATION,
    namespace="contacts",
    list_route="contacts:list",
    texts=ImportTexts(
        title=gettext_lazy("Import points of contact"),
        records=gettext_lazy("Points of contact"),
        see_records=gettext_lazy("See the points of contact"),
        lead=gettext_lazy(
            "Bring a spreadsheet of points of contact in: you see first what would change, and nothing is written "
            "until you press “Import”."
        ),
        note=gettext_lazy(
            "A row with an ID or a Key updates that point of contact; other rows record new ones. Rows are written "
            "exactly as the contact form would write them: one standing contact per role, and the audience of the "
            "details as chosen. To replace a contact, end the old designation (Designated until) in a row above "
            "the new one."
        ),
        record_heading=gettext_lazy("Person"),
        refused=gettext_lazy("Only focal points and administrators import points of contact."),
    ),
)
