"""Programs from a spreadsheet: the template's columns, and each row written by `program_create` / `program_update`.

The columns are the export's (`programs.exports.columns`): a file exported from the program list imports back
and changes nothing. Cells take codes or the labels people read (thematic areas by code or name, regions by M49
code or name, countries by ISO code or name, statuses and audiences by value or label, organizations by acronym
or name), dates to the day, month or year, lists separated by ";" and partners as "ACRONYM:role".

Which record a row is: the program of its ID (one the importer may see), else the program of its Key
(`Program.external_key`, the organization's own identifier) within the row's organization, else a new program.
A row is written only through the services, so it obeys every rule a form or an API call obeys: the importer
writes only what its user could write one by one (a refusal is that row's problem), and grants, audit and
notifications are the services'. `portal.kernel.imports` runs the rows: all or nothing, dry run first.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Hashable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from confidentiality import policies
from confidentiality.models import Audience, State
from iros.models import Organization, Region, ThematicArea
from portal.kernel import tabular
from portal.kernel.downloads import attachment_response
from portal.kernel.imports import Action, Column, ImportKind, import_table, refused_report
from portal.kernel.spreadsheets import SpreadsheetRefused, read_table
from portal.kernel.tabular import ChoiceList, Sheet
from programs import exports, selectors, services
from programs.models import Program, ProgramPartner

LIST_SPLIT = re.compile(r"[;\n]")
DATE_FORMS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?"), "day"),
    (re.compile(r"(\d{4})-(\d{1,2})"), "month"),
    (re.compile(r"(\d{4})"), "year"),
)
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
TRUE_WORDS = {"yes", "y", "true", "1", "x"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
MAX_ID = 2**63 - 1
# Blank in these columns means "as it is" (a new program: the default), never "empty": they cannot be empty.
KEEP_WHEN_BLANK = ("status", "state", "audience")
SHARING = ("state", "audience", "shared_with")


def can_import(user) -> bool:
    """Focal points (for their organization) and administrators (for any) import programs."""
    return policies.can_create_submission(user, None)


# --- reading cells --------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _items(value) -> list[str]:
    return [item.strip() for item in LIST_SPLIT.split(_text(value)) if item.strip()]


def _resolve(value, lookup: Callable[[str], object], unknown: str) -> list:
    """Every item of a list cell through `lookup`; items that are codes separated by spaces ("PK AF") too."""
    found, missing = [], []
    for item in _items(value):
        resolved = lookup(item)
        if resolved is None and " " in item:
            parts = [lookup(part) for part in item.split()]
            if all(part is not None for part in parts):
                found.extend(parts)
                continue
        if resolved is None:
            missing.append(item)
        else:
            found.append(resolved)
    if missing:
        raise ValidationError(unknown % {"values": ", ".join(missing)})
    return list(dict.fromkeys(found))


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Value, label now and English label of each choice, folded, to its value."""
    names = {}
    for value, label in choices.choices:
        with translation.override("en"):
            english = str(label)
        for name in (value, str(label), english):
            names.setdefault(name.casefold(), value)
    return names


def _choice(choices: type[models.TextChoices]) -> Callable:
    names = _labels(choices)

    def parse(value):
        text = _text(value)
        if not text:
            return None
        if text.casefold() not in names:
            raise ValidationError(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": ", ".join(choices.values)}
            )
        return names[text.casefold()]

    return parse


def _date(*, end: bool) -> Callable:
    """A date to the day, month or year; a month or year stands for its first day, or its last for an end date."""

    def parse(value):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        if not text:
            return None
        for pattern, precision in DATE_FORMS:
            match = pattern.fullmatch(text)
            if match is None:
                continue
            year, *rest = (int(part) for part in match.groups())
            try:
                if precision == "day":
                    return date(year, rest[0], rest[1])
                month = rest[0] if precision == "month" else (12 if end else 1)
                day = calendar.monthrange(year, month)[1] if end else 1
                return date(year, month, day)
            except (ValueError, calendar.IllegalMonthError):
                break
        raise ValidationError(_("“%(value)s” is not a date: write YYYY-MM-DD, YYYY-MM or YYYY.") % {"value": text})

    return parse


def _budget(value):
    if isinstance(value, bool):
        raise ValidationError(_("Write the budget as a number."))
    if isinstance(value, int | float):
        return Decimal(str(value))
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    if THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError(_("Write the budget as a number, e.g. 250000 or 250000.50."))
    return amount


def _flag(value) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in TRUE_WORDS or text == _("yes").casefold():
        return True
    if text in FALSE_WORDS or text == _("no").casefold():
        return False
    raise ValidationError(_("Write yes or no."))


def _program_id(value) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit() or not 0 < int(text) <= MAX_ID:
        raise ValidationError(_("Give the program's ID as a whole number, or leave it blank for a new program."))
    return int(text)


def _country(text: str) -> str | None:
    code = countries.alpha2(text) if len(text) <= 3 else ""
    if not code:
        code = countries.by_name(text, language=translation.get_language() or "en") or countries.by_name(text)
    return code or None


def _countries(value) -> list[str]:
    return _resolve(value, _country, _("Unknown countries: %(values)s. Give ISO 3166-1 codes (PK) or names."))


def _tags(value) -> list[str]:
    return _items(value)


# --- the import of programs -------------------------------------------------------------------------------------


class ProgramImport(ImportKind):
    """Programs imported by `actor`; rows that name no organization belong to `organization` (for a focal point:
    its own; an administrator chooses one, or every row names its own)."""

    sheet_title = gettext_lazy("Programs")

    def __init__(self, *, actor, organization: Organization | None = None):
        self.actor = actor
        self.organization = policies.own_organization(actor) or organization
        self.organizations = {}
        for organization in Organization.objects.order_by("acronym"):
            self.organizations.setdefault(organization.acronym.casefold(), organization)
            self.organizations.setdefault(organization.name.casefold(), organization)
        # Reference rows by code or by their name in any language: the template lists them in its reader's.
        self.areas = {}
        for area in ThematicArea.objects.all():
            self.areas.setdefault(area.code.casefold(), area.code)
            for name in area.names.values():
                self.areas.setdefault(name.casefold(), area.code)
        self.regions = {}
        for region in Region.objects.all():
            self.regions.setdefault(region.code, region.code)
            for name in region.names.values():
                self.regions.setdefault(name.casefold(), region.code)
        self.roles = _labels(ProgramPartner.Role)

    # cells naming reference rows

    def _organization_of(self, text: str) -> Organization | None:
        return self.organizations.get(text.casefold())

    def _organization(self, value) -> Organization | None:
        text = _text(value)
        if not text:
            return None
        organization = self._organization_of(text)
        if organization is None:
            raise ValidationError(_("Unknown organization “%(value)s”.") % {"value": text})
        return organization

    def _shared_with(self, value) -> list[Organization]:
        return _resolve(value, self._organization_of, _("Unknown organizations: %(values)s."))

    def _thematic_areas(self, value) -> list[str]:
        return _resolve(value, lambda text: self.areas.get(text.casefold()), _("Unknown thematic areas: %(values)s."))

    def _regions(self, value) -> list[str]:
        return _resolve(
            value,
            lambda text: self.regions.get(text.zfill(3) if text.isdigit() else text.casefold()),
            _("Unknown regions: %(values)s. Give M49 codes (142) or names."),
        )

    def _partners(self, value) -> list[services.Partner]:
        partners = []
        for item in _items(value):
            match = re.fullmatch(r"([^:()]+?)\s*(?::\s*([^:()]+)|\(\s*([^()]+?)\s*\))", item)
            if match is None:
                raise ValidationError(_("Write each partner as ACRONYM:role, e.g. WCO:partner; UNODC:lead."))
            name, role = match.group(1).strip(), (match.group(2) or match.group(3)).strip()
            organization = self._organization_of(name)
            if organization is None:
                raise ValidationError(_("Unknown organization “%(value)s”.") % {"value": name})
            if role.casefold() not in self.roles:
                raise ValidationError(
                    _("Unknown partner role “%(role)s”: use %(allowed)s.")
                    % {"role": role, "allowed": ", ".join(ProgramPartner.Role.values)}
                )
            partners.append(services.Partner(organization=organization, role=self.roles[role.casefold()]))
        return partners

    # the column spec

    def _organization_choices(self) -> list[tuple[str, str]]:
        return [(org.acronym, org.name) for org in Organization.objects.order_by("acronym").only("acronym", "name")]

    def columns(self) -> list[Column]:
        def choices_of(model_choices):
            return lambda: [(value, str(label)) for value, label in model_choices.choices]

        rules = {
            "id": {"parse": _program_id, "notes": _("The portal's ID of a program to update; blank for a new one.")},
            "external_key": {
                "parse": _text,
                "notes": _(
                    "Your organization's own identifier of the program (up to 100 characters). A row without an ID "
                    "updates the program with this key, or creates it: importing the same file again changes "
                    "nothing."
                ),
            },
            "organization": {
                "parse": self._organization,
                "choices": self._organization_choices,
                "notes": _("Acronym or name of the owner organization; blank: yours (administrators choose one)."),
            },
            "title": {"parse": _text, "required": True, "notes": _("Required.")},
            "summary": {"parse": _text, "notes": _("Free text.")},
            "status": {
                "parse": _choice(Program.Status),
                "choices": choices_of(Program.Status),
                "notes": _("Code or label; blank: planned for a new program, unchanged otherwise."),
            },
            "state": {
                "parse": _choice(State),
                "choices": choices_of(State),
                "notes": _("draft (only your organization sees it) or submitted; blank: draft, or unchanged."),
            },
            "audience": {
                "parse": _choice(Audience),
                "choices": choices_of(Audience),
                "notes": _("Who, besides the Committee, sees the submitted program; blank: committee, or unchanged."),
            },
            "shared_with": {
                "parse": self._shared_with,
                "choices": self._organization_choices,
                "multiple": True,
                "notes": _("Acronyms separated by “;”, only with the audience “selected” (never your own)."),
            },
            "thematic_areas": {
                "parse": self._thematic_areas,
                "choices": lambda: [(area.code, area.localized_name) for area in ThematicArea.objects.all()],
                "multiple": True,
                "notes": _("Codes or names separated by “;”."),
            },
            "regions": {
                "parse": self._regions,
                "choices": lambda: [(region.code, region.localized_name) for region in Region.objects.order_by("code")],
                "multiple": True,
                "notes": _("UN M49 codes or names separated by “;”."),
            },
            "beneficiary_countries": {
                "parse": _countries,
                "multiple": True,
                "notes": _("ISO 3166-1 codes (PK) or English names, separated by “;”."),
            },
            "funding_states": {
                "parse": _countries,
                "multiple": True,
                "notes": _("ISO 3166-1 codes (NO) or English names, separated by “;”."),
            },
            "partners": {
                "parse": self._partners,
                "choices": choices_of(ProgramPartner.Role),
                "multiple": True,
                "notes": _("ACRONYM:role separated by “;”, e.g. WCO:partner; EU:funder."),
            },
            "tags": {"parse": _tags, "multiple": True, "notes": _("Words separated by “;”.")},
            "start_date": {"parse": _date(end=False), "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the first day).")},
            "end_date": {
                "parse": _date(end=True),
                "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the last day); not before the start date."),
            },
            "budget": {"parse": _budget, "notes": _("A number, with its currency.")},
            "currency": {"parse": lambda value: _text(value).upper(), "notes": _("ISO 4217 code, e.g. USD or EUR.")},
            "assistance_on_request": {
                "parse": _flag,
                "choices": lambda: [("yes", _("yes")), ("no", _("no"))],
                "notes": _("yes or no."),
            },
            "website": {"parse": _text, "notes": _("An address starting with https://.")},
            "created": {"notes": _("Ignored on import.")},
            "updated": {"notes": _("Ignored on import.")},
        }
        return [Column(key, header, **rules[key]) for key, header in exports.columns()]

    # identifying and writing a row

    def _owner(self, values: dict) -> Organization | None:
        return values.get("organization") or self.organization

    def key_of(self, values: dict) -> Hashable | None:
        if values.get("id") is not None:
            return ("id", values["id"])
        if values.get("external_key"):
            owner = self._owner(values)
            return ("key", owner.pk if owner else None, values["external_key"])
        return None

    def key_column(self, values: dict) -> str:
        if values.get("id") is not None:
            return "id"
        return "external_key" if values.get("external_key") else "organization"

    def _existing(self, values: dict) -> Program | None:
        if values.get("id") is not None:
            try:
                return selectors.program_get_for(actor=self.actor, program_id=values["id"])
            except Http404:
                # A hidden program reads exactly like a missing one.
                raise ValidationError({"id": _("Unknown program ID %(id)s.") % {"id": values["id"]}}) from None
        owner = self._owner(values)
        if values.get("external_key") and owner is not None:
            return selectors.program_get_by_key_for(
                actor=self.actor, organization=owner, external_key=values["external_key"]
            )
        return None

    def write(self, values: dict) -> tuple[Action, str]:
        program = self._existing(values)
        fields = {
            key: value
            for key, value in values.items()
            if key not in ("id", "organization") and not (key in KEEP_WHEN_BLANK and value is None)
        }
        if program is None:
            owner = self._owner(values)
            if owner is None:
                raise ValidationError({"organization": _("Give the organization's acronym.")})
            try:
                program = services.program_create(actor=self.actor, organization=owner, **fields)
            except PermissionDenied as error:
                raise ValidationError({"organization": str(error)}) from None
            return Action.CREATE, program.title
        if values.get("organization") not in (None, program.organization):
            raise ValidationError({"organization": _("A program's organization cannot be changed.")})
        if not policies.can_edit(self.actor, program):
            raise ValidationError({self.key_column(values): _("You may not change this program.")})
        changes = {key: value for key, value in fields.items() if not _same(program, key, value)}
        if not changes:
            return Action.UNCHANGED, program.title
        if any(key in changes for key in SHARING):
            # Sharing is judged as a whole (an audience and its organizations), as when the program is created.
            changes |= {key: fields[key] for key in SHARING if key in fields}
        try:
            services.program_update(actor=self.actor, program=program, **changes)
        except PermissionDenied as error:
            raise ValidationError({self.key_column(values): str(error)}) from None
        return Action.UPDATE, program.title


def _same(program: Program, key: str, value) -> bool:
    """Whether the program already holds `value` in `key` (lists compare as sets: order is not content)."""
    if key == "shared_with":
        return {org.pk for org in value} == {org.pk for org in program.shared_with.all()}
    if key == "thematic_areas":
        return set(value) == {area.code for area in program.thematic_areas.all()}
    if key == "regions":
        return set(value) == {region.code for region in program.regions.all()}
    if key in ("beneficiary_countries", "funding_states"):
        return set(value) == set(getattr(program, key))
    if key == "partners":
        current = {(partner.organization_id, partner.role) for partner in program.partnerships.all()}
        return {(partner.organization.pk, partner.role) for partner in value} == current
    if key == "tags":
        return {slugify(name)[:64] for name in value} == {tag.slug for tag in program.tags.all()}
    return getattr(program, key) == value


# --- the template -----------------------------------------------------------------------------------------------


def template_sheet(importer: ProgramImport) -> Sheet:
    return Sheet(title=str(importer.sheet_title), header=[column.label for column in importer.columns()], rows=[])


def notes_sheet(importer: ProgramImport) -> Sheet:
    """What each column takes, then the codes of every coded column."""
    rows: list[list] = []
    columns = importer.columns()
    for column in columns:
        rows.append([column.label, column.key, str(column.notes)])
    for column in columns:
        if column.choices is None:
            continue
        rows.append([])
        rows.append([_("Allowed in “%(column)s”") % {"column": column.label}, _("code"), _("label")])
        rows.extend(["", code, label] for code, label in column.choices())
    return Sheet(title=_("Notes"), header=[_("Column"), _("Code"), _("What to write")], rows=rows)


def template_choices(importer: ProgramImport) -> list[ChoiceList]:
    """Drop-down lists for the single-valued coded columns (a list column holds several codes per cell)."""
    return [
        ChoiceList(column=index, values=[code for code, _label in column.choices()])
        for index, column in enumerate(importer.columns())
        if column.choices is not None and not column.multiple
    ]


# --- running an upload ------------------------------------------------------------------------------------------


def programs_import(
    *, actor, file, filename: str, dry_run: bool, organization: Organization | None = None, progress=None
):
    """Import the programs of an uploaded CSV or XLSX file as `actor`: an `ImportReport`, never an exception for
    what the file holds. `organization`: the owner of rows naming none (administrators' choice); `progress`: the
    engine's per-row callback (`portal.kernel.imports.import_table`)."""
    importer = ProgramImport(actor=actor, organization=organization)
    try:
        table = read_table(file, filename=filename, sheet_titles=importer.sheet_titles())
    except SpreadsheetRefused as error:
        return refused_report(error, dry_run=dry_run)
    return import_table(importer, table, dry_run=dry_run, progress=progress)


def template_response(extension: str):
    """The import template as a download: the header row (CSV), or with notes and drop-down lists (XLSX)."""
    importer = ProgramImport(actor=None)
    sheet = template_sheet(importer)
    if extension == "csv":
        return attachment_response(
            tabular.csv_lines(sheet), filename="programs-template.csv", content_type=tabular.CSV_CONTENT_TYPE
        )
    workbook = tabular.xlsx_template_bytes(sheet, notes=notes_sheet(importer), choices=template_choices(importer))
    return attachment_response(workbook, filename="programs-template.xlsx", content_type=tabular.XLSX_CONTENT_TYPE)
