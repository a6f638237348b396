"""Programs from a spreadsheet: the template's columns, and each row written by `program_create` / `program_update`.

The columns are the export's (`programs.exports.columns`): a file exported from the program list imports back
and changes nothing. Cells take codes or the labels people read (thematic areas by code or name, regions by M49
code or name, countries by ISO code or name, statuses and audiences by value or label, organizations by acronym
or name), dates to the day, month or year, lists separated by ";" and partners as "ACRONYM:role".

Which record a row is, who may write it and the sharing columns are every submission's
(`portal.imports.submissions`); `portal.kernel.imports` runs the rows: all or nothing, dry run first. The pages,
API and jobs are the generic ones (`portal.imports`), configured by `PROGRAMS`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.imports.importers import Importer, ImportTexts, Scope
from portal.imports.references import region_choices, thematic_area_choices
from portal.imports.submissions import SubmissionImport
from portal.kernel.cells import (
    choice_list,
    choice_names,
    choice_reader,
    date_reader,
    flag_list,
    read_countries,
    read_decimal,
    read_flag,
    read_items,
    read_text,
)
from portal.kernel.imports import Column, columns_from
from programs import exports, selectors, services
from programs.models import Program, ProgramPartner


class ProgramImport(SubmissionImport):
    """Programs imported by `actor` (`organization`: an administrator's choice for rows naming none)."""

    sheet_title = gettext_lazy("Programs")
    file_stem = "programs"
    keep_when_blank = ("status", "state", "audience")
    id_problem = gettext_lazy("Give the program's ID as a whole number, or leave it blank for a new program.")
    id_notes = gettext_lazy("The portal's ID of a program to update; blank for a new one.")
    key_notes = gettext_lazy(
        "Your organization's own identifier of the program (up to 100 characters). A row without an ID "
        "updates the program with this key, or creates it: importing the same file again changes "
        "nothing."
    )
    unknown_id = gettext_lazy("Unknown program ID %(id)s.")
    may_not_change = gettext_lazy("You may not change this program.")
    organization_fixed = gettext_lazy("A program's organization cannot be changed.")
    audience_notes = gettext_lazy(
        "Who, besides the Committee, sees the submitted program; blank: committee, or unchanged."
    )

    def __init__(self, *, actor, organization=None):
        super().__init__(actor=actor, organization=organization)
        self.roles = choice_names(ProgramPartner.Role)

    def _partners(self, value) -> list[services.Partner]:
        partners = []
        for item in read_items(value):
            match = re.fullmatch(r"([^:()]+?)\s*(?::\s*([^:()]+)|\(\s*([^()]+?)\s*\))", item)
            if match is None:
                raise ValidationError(_("Write each partner as ACRONYM:role, e.g. WCO:partner; UNODC:lead."))
            name, role = match.group(1).strip(), (match.group(2) or match.group(3)).strip()
            organization = self.names.organization_of(name)
            if organization is None:
                raise ValidationError(_("Unknown organization “%(value)s”.") % {"value": name})
            if role.casefold() not in self.roles:
                raise ValidationError(
                    _("Unknown partner role “%(role)s”: use %(allowed)s.")
                    % {"role": role, "allowed": ", ".join(ProgramPartner.Role.values)}
                )
            partners.append(services.Partner(organization=organization, role=self.roles[role.casefold()]))
        return partners

    def columns(self) -> list[Column]:
        rules = {
            **self.submission_rules(),
            "title": {"parse": read_text, "required": True, "notes": _("Required.")},
            "summary": {"parse": read_text, "notes": _("Free text.")},
            "status": {
                "parse": choice_reader(Program.Status),
                "choices": choice_list(Program.Status),
                "notes": _("Code or label; blank: planned for a new program, unchanged otherwise."),
            },
            "thematic_areas": {
                "parse": self.names.thematic_areas,
                "choices": thematic_area_choices,
                "multiple": True,
                "notes": _("Codes or names separated by “;”."),
            },
            "regions": {
                "parse": self.names.regions_of,
                "choices": region_choices,
                "multiple": True,
                "notes": _("UN M49 codes or names separated by “;”."),
            },
            "beneficiary_countries": {
                "parse": read_countries,
                "multiple": True,
                "notes": _("ISO 3166-1 codes (PK) or English names, separated by “;”."),
            },
            "funding_states": {
                "parse": read_countries,
                "multiple": True,
                "notes": _("ISO 3166-1 codes (NO) or English names, separated by “;”."),
            },
            "partners": {
                "parse": self._partners,
                "choices": choice_list(ProgramPartner.Role),
                "multiple": True,
                "notes": _("ACRONYM:role separated by “;”, e.g. WCO:partner; EU:funder."),
            },
            "tags": {"parse": read_items, "multiple": True, "notes": _("Words separated by “;”.")},
            "start_date": {"parse": date_reader(end=False), "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the first day).")},
            "end_date": {
                "parse": date_reader(end=True),
                "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the last day); not before the start date."),
            },
            "budget": {"parse": read_decimal, "notes": _("A number, with its currency.")},
            "currency": {
                "parse": lambda value: read_text(value).upper(),
                "notes": _("ISO 4217 code, e.g. USD or EUR."),
            },
            "assistance_on_request": {"parse": read_flag, "choices": flag_list, "notes": _("yes or no.")},
            "website": {"parse": read_text, "notes": _("An address starting with https://.")},
            "created": {"notes": _("Ignored on import.")},
            "updated": {"notes": _("Ignored on import.")},
        }
        return columns_from(exports.columns(), rules)

    # the app's selectors and services

    def get_visible(self, record_id: int) -> Program:
        return selectors.program_get_for(actor=self.actor, program_id=record_id)

    def get_by_key(self, organization, external_key: str) -> Program | None:
        return selectors.program_get_by_key_for(actor=self.actor, organization=organization, external_key=external_key)

    def create_record(self, organization, fields: dict) -> Program:
        return services.program_create(actor=self.actor, organization=organization, **fields)

    def update_record(self, record: Program, changes: dict) -> None:
        services.program_update(actor=self.actor, program=record, **changes)

    def name_of(self, record: Program) -> str:
        return record.title

    def same(self, record: Program, key: str, value) -> bool:
        """Lists compare as sets: order is not content."""
        if key == "thematic_areas":
            return set(value) == {area.code for area in record.thematic_areas.all()}
        if key == "regions":
            return set(value) == {region.code for region in record.regions.all()}
        if key in ("beneficiary_countries", "funding_states"):
            return set(value) == set(getattr(record, key))
        if key == "partners":
            current = {(partner.organization_id, partner.role) for partner in record.partnerships.all()}
            return {(partner.organization.pk, partner.role) for partner in value} == current
        if key == "tags":
            return {slugify(name)[:64] for name in value} == {tag.slug for tag in record.tags.all()}
        return super().same(record, key, value)


PROGRAMS = Importer(
    slug="programs",
    kind=ProgramImport,
    scope=Scope.ORGANIZATION,
    namespace="programs",
    list_route="programs:list",
    texts=ImportTexts(
        title=gettext_lazy("Import programs"),
        records=gettext_lazy("Programs"),
        see_records=gettext_lazy("See the programs"),
        lead=gettext_lazy(
            "Bring a spreadsheet of programs in: you see first what would change, and nothing is written until you "
            "press “Import”."
        ),
        note=gettext_lazy(
            "The template's columns are those of the program export: an exported file imports back. A row with an "
            "ID or a Key updates that program; other rows create programs. Rows are written exactly as the program "
            "form would write them, with their audience."
        ),
        record_heading=gettext_lazy("Title"),
        refused=gettext_lazy("Only focal points and administrators import programs."),
    ),
)
