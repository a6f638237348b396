"""The Committee's records from a spreadsheet: IGO-table interactions and outreach events, each row written by
`iros.services` (`interaction_create` / `interaction_update`, `event_create` / `event_update`), so that an imported
row obeys the forms' rules and only Committee experts and administrators import.

A row names its record by ID, else by Key (the Committee's own identifier, unique in the portal), else creates
one; re-importing a file changes nothing. The interactions' columns are those of the interactions export
(`iros.exports`), so an exported list imports back. The pages, API and jobs are the generic ones
(`portal.imports`), configured by `INTERACTIONS` and `EVENTS`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from confidentiality import policies
from iros import exports, selectors, services
from iros.models import DatePrecision, Event, Interaction
from portal.imports.importers import Importer, ImportTexts, Scope
from portal.imports.references import (
    ReferenceNames,
    organization_choices,
    region_choices,
    thematic_area_choices,
)
from portal.kernel.cells import (
    choice_list,
    choice_reader,
    date_reader,
    flag_list,
    id_reader,
    partial_date_reader,
    read_count,
    read_country,
    read_flag,
    read_text,
)
from portal.kernel.imports import Column, KeyedImportKind, columns_from

SUMMARY_SHOWN = 80


class CommitteeRecordImport(KeyedImportKind):
    """The Committee's records imported by `actor`; `organization` is for submissions only and ignored here.

    The subclasses' `_service_fields` hand the services organizations by acronym, as the forms and the API do."""

    # Organization lists the services take by acronym.
    by_acronym: tuple[str, ...] = ()

    def __init__(self, *, actor, organization=None):
        self.actor = actor
        self.names = ReferenceNames()

    def existing(self, values: dict):
        if values.get("id") is not None:
            return self.visible_by_id(values["id"])
        if values.get("external_key"):
            return self.get_by_key(values["external_key"])
        return None

    def get_by_key(self, external_key: str):
        raise NotImplementedError

    def check_update(self, record, values: dict) -> None:
        if not policies.can_edit(self.actor, record):
            raise ValidationError({self.key_column(values): str(self.may_not_change)})

    def service_fields(self, fields: dict) -> dict:
        fields = dict(fields)
        for key in self.by_acronym:
            if key in fields:
                fields[key] = [organization.acronym for organization in fields[key]]
        return fields


# --- interactions (the IGO tables) ------------------------------------------------------------------------------


class InteractionImport(CommitteeRecordImport):
    sheet_title = gettext_lazy("Interactions")
    file_stem = "interactions"
    id_problem = gettext_lazy("Give the interaction's ID as a whole number, or leave it blank for a new one.")
    id_notes = gettext_lazy("The portal's ID of an interaction to update (as exported); blank for a new one.")
    key_notes = gettext_lazy(
        "Your own identifier of the interaction (up to 100 characters). A row without an ID updates the "
        "interaction with this key, or creates it: importing the same file again changes nothing."
    )
    unknown_id = gettext_lazy("Unknown interaction ID %(id)s.")
    by_acronym = ("organizations",)
    may_not_change = gettext_lazy("You may not change this interaction.")

    keep_when_blank = ("date_precision", "program", "agreement")

    def _event(self, value) -> Event | None:
        text = read_text(value)
        if not text:
            return None
        events = selectors.events_named(actor=self.actor, name=text)
        if not events:
            raise ValidationError(
                _("Unknown event “%(value)s”: give its ID, its key or its exact title.") % {"value": text}
            )
        if len(events) > 1:
            raise ValidationError(_("Several events are called “%(value)s”: give its ID or its key.") % {"value": text})
        return events[0]

    def columns(self) -> list[Column]:
        rules = {
            **self.identity_rules(),
            "date": {
                "parse": partial_date_reader(end=False),
                "required": True,
                "notes": _("YYYY-MM-DD, YYYY-MM or YYYY: the precision follows what you write. Required."),
            },
            "date_precision": {
                "parse": choice_reader(DatePrecision),
                "choices": choice_list(DatePrecision),
                "notes": _("day, month or year; blank: as the date is written."),
            },
            "kind": {
                "parse": choice_reader(Interaction.Kind),
                "choices": choice_list(Interaction.Kind),
                "required": True,
                "notes": _("Code or label. Required."),
            },
            "organizations": {
                "parse": self.names.organizations_of,
                "choices": organization_choices,
                "multiple": True,
                "required": True,
                "notes": _("Acronyms or names of the organizations involved, separated by “;” (at least one)."),
            },
            "summary": {"parse": read_text, "required": True, "notes": _("Required.")},
            "outcome": {"parse": read_text, "notes": _("Free text.")},
            "follow_up": {"parse": read_text, "notes": _("Free text.")},
            "follow_up_due": {
                "parse": date_reader(end=True),
                "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the last day); not before the date."),
            },
            "event": {
                "parse": self._event,
                "notes": _("The outreach event's ID, key or exact title (as exported); blank: none."),
            },
            "program": {
                "parse": id_reader(_("Give the program's ID as a whole number.")),
                "notes": _("The portal's ID of a linked program (as on its page); blank: unchanged."),
            },
            "agreement": {
                "parse": id_reader(_("Give the agreement's ID as a whole number.")),
                "notes": _("The portal's ID of a linked agreement; blank: unchanged."),
            },
            "public": {
                "parse": read_flag,
                "choices": flag_list,
                "notes": _(
                    "yes: visible to everyone, signed in or not; no or blank: the Committee and those involved only."
                ),
            },
        }
        return columns_from(exports.interaction_columns(), rules)

    def fields_of(self, values: dict) -> dict:
        fields = super().fields_of(values)
        if "date" in fields:
            written = fields.pop("date")
            fields["date"] = written.value if written else None
            if fields.get("date_precision") is None and written is not None:
                fields["date_precision"] = written.precision
        if fields.get("date_precision") is None:
            fields.pop("date_precision", None)
        return fields

    def get_visible(self, record_id: int) -> Interaction:
        return selectors.interaction_get_for(actor=self.actor, interaction_id=record_id)

    def get_by_key(self, external_key: str) -> Interaction | None:
        return selectors.interaction_get_by_key_for(actor=self.actor, external_key=external_key)

    def service_fields(self, fields: dict) -> dict:
        fields = super().service_fields(fields)
        if "event" in fields:
            fields["event"] = fields["event"].pk if fields["event"] else None
        return fields

    def create(self, values: dict, fields: dict) -> Interaction:
        return services.interaction_create(actor=self.actor, **self.service_fields(fields))

    def update(self, record: Interaction, changes: dict) -> None:
        services.interaction_update(actor=self.actor, interaction=record, **self.service_fields(changes))

    def same(self, record: Interaction, key: str, value) -> bool:
        if key in ("event", "program", "agreement"):
            return getattr(record, f"{key}_id") == (value.pk if isinstance(value, Event) else value)
        return super().same(record, key, value)

    def name_of(self, record: Interaction) -> str:
        return Truncator(record.summary).chars(SUMMARY_SHOWN)


# --- outreach events --------------------------------------------------------------------------------------------


def event_columns() -> list[tuple[str, str]]:
    """(key, header) of every column of the events' import, in order."""
    return [
        ("id", _("ID")),
        ("external_key", _("Key")),
        ("title", _("Title")),
        ("start_date", _("Start date")),
        ("end_date", _("End date")),
        ("place", _("Place")),
        ("country", _("Country")),
        ("organizer", _("Organizer")),
        ("theme", _("Theme")),
        ("region", _("Region")),
        ("thematic_areas", _("Thematic areas")),
        ("participants", _("Participating organizations")),
        ("attendance_count", _("Organizations attending")),
        ("description", _("Description")),
    ]


class EventImport(CommitteeRecordImport):
    sheet_title = gettext_lazy("Events")
    file_stem = "events"
    id_problem = gettext_lazy("Give the event's ID as a whole number, or leave it blank for a new event.")
    id_notes = gettext_lazy("The portal's ID of an event to update (as on its page); blank for a new one.")
    key_notes = gettext_lazy(
        "Your own identifier of the event (up to 100 characters). A row without an ID updates the event "
        "with this key, or creates it: importing the same file again changes nothing."
    )
    unknown_id = gettext_lazy("Unknown event ID %(id)s.")
    by_acronym = ("participants",)
    may_not_change = gettext_lazy("You may not change this event.")

    def columns(self) -> list[Column]:
        rules = {
            **self.identity_rules(),
            "title": {"parse": read_text, "required": True, "notes": _("Required.")},
            "start_date": {
                "parse": date_reader(end=False),
                "required": True,
                "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the first day). Required."),
            },
            "end_date": {
                "parse": date_reader(end=True),
                "notes": _("YYYY-MM-DD, YYYY-MM or YYYY (the last day); not before the start date."),
            },
            "place": {"parse": read_text, "notes": _("Free text, e.g. Vienna.")},
            "country": {"parse": read_country, "notes": _("ISO 3166-1 code (AT) or English name.")},
            "organizer": {"parse": read_text, "notes": _("Free text.")},
            "theme": {"parse": read_text, "notes": _("Free text.")},
            "region": {
                "parse": self.names.region,
                "choices": region_choices,
                "notes": _("UN M49 code or name."),
            },
            "thematic_areas": {
                "parse": self.names.thematic_areas,
                "choices": thematic_area_choices,
                "multiple": True,
                "notes": _("Codes or names separated by “;”."),
            },
            "participants": {
                "parse": self.names.organizations_of,
                "choices": organization_choices,
                "multiple": True,
                "notes": _("Acronyms or names separated by “;”: only those known to have taken part."),
            },
            "attendance_count": {
                "parse": read_count,
                "notes": _("How many organizations attended, when known, even if they are not named."),
            },
            "description": {"parse": read_text, "notes": _("Free text.")},
        }
        return columns_from(event_columns(), rules)

    def get_visible(self, record_id: int) -> Event:
        return selectors.event_get(actor=self.actor, event_id=record_id)

    def get_by_key(self, external_key: str) -> Event | None:
        return selectors.event_get_by_key(actor=self.actor, external_key=external_key)

    def create(self, values: dict, fields: dict) -> Event:
        return services.event_create(actor=self.actor, **self.service_fields(fields))

    def update(self, record: Event, changes: dict) -> None:
        services.event_update(actor=self.actor, event=record, **self.service_fields(changes))

    def same(self, record: Event, key: str, value) -> bool:
        if key == "region":
            return (record.region.code if record.region_id else None) == value
        if key == "thematic_areas":
            return set(value) == {area.code for area in record.thematic_areas.all()}
        return super().same(record, key, value)

    def name_of(self, record: Event) -> str:
        return record.title


def _committee_texts(**texts) -> ImportTexts:
    return ImportTexts(
        refused=gettext_lazy("Only Committee experts and administrators import the Committee's records."), **texts
    )


INTERACTIONS = Importer(
    slug="interactions",
    kind=InteractionImport,
    scope=Scope.COMMITTEE,
    namespace="igo",
    route_prefix="interactions_",
    list_route="igo:interactions",
    texts=_committee_texts(
        title=gettext_lazy("Import interactions"),
        records=gettext_lazy("Interactions"),
        see_records=gettext_lazy("See the interactions"),
        lead=gettext_lazy(
            "Bring the IGO tables' interactions in from a spreadsheet: you see first what would change, and nothing "
            "is written until you press “Import”."
        ),
        note=gettext_lazy(
            "The template's columns are those of the interactions export: an exported list imports back. A row "
            "with an ID or a Key updates that interaction; other rows record new ones, exactly as the interaction "
            "form would."
        ),
        record_heading=gettext_lazy("Summary"),
    ),
)

EVENTS = Importer(
    slug="events",
    kind=EventImport,
    scope=Scope.COMMITTEE,
    namespace="igo",
    route_prefix="events_",
    list_route="iros:events",
    texts=_committee_texts(
        title=gettext_lazy("Import events"),
        records=gettext_lazy("Events"),
        see_records=gettext_lazy("See the events"),
        lead=gettext_lazy(
            "Bring outreach events in from a spreadsheet: you see first what would change, and nothing is written "
            "until you press “Import”."
        ),
        note=gettext_lazy(
            "A row with an ID or a Key updates that event; other rows record new ones, exactly as the event form would."
        ),
        record_heading=gettext_lazy("Title"),
    ),
)
