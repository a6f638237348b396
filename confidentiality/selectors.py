"""Reads every submission kind shares: its field-level history ("Budget: 10,000 → 12,000 EUR"), and who gains and
who loses sight of it when its state or audience changes (`audience_change_for`: previews, confirmations, messages).

One selector for every kind (`SubmissionKind`), from what is recorded: the content versions django-simple-history
keeps (with the many-to-many codes a kind's history records, e.g. a program's thematic areas) and the sharing audit
(state, audience, `shared_with`). Values are shown as people read them — choice labels, dates, organizations by
acronym, countries by name — and only what the viewer may see:

- a version's values only when the viewer could see the record both before and after the change, at the time
  (the Committee never reads what a draft said; an organization a record was shared with later never reads what
  it said before);
- the sharing audit and who made each change only for whom the policy shows the sharing details;
- organizations named only when the viewer may see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.template.defaultfilters import floatformat
from django.utils import formats
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from confidentiality import policies
from confidentiality.kinds import SubmissionKind
from confidentiality.models import Audience, SharingAudit, State, Submission
from iros.models import Organization

HISTORY_LIMIT = 50
# Versions read at most: a record edited more often than this shows its latest changes only.
VERSIONS_READ = 200

TEXT_SHOWN = 120


@dataclass(frozen=True)
class FieldChange:
    """One field's change: `old` → `new`, or, for a set of things (codes, countries), what was added and removed."""

    label: str
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    is_set: bool = False


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    action: str
    by: str | None  # the person, when the viewer may see the sharing details
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class SubmissionHistory:
    edits: list[HistoryEntry] = field(default_factory=list)  # content, newest first
    sharing: list[HistoryEntry] = field(default_factory=list)  # state and audience, newest first
    withheld: bool = False  # changes made while the viewer could not see the record were left out


CREATED = gettext_lazy("Created")
CHANGED = gettext_lazy("Changed")


def submission_history_for(*, actor, kind: SubmissionKind, record: Submission) -> SubmissionHistory:
    """`record`'s history as `actor` may read it (the record itself is already visible to `actor`)."""
    sees_sharing = policies.can_see_sharing_details(actor, record)
    audit = list(
        SharingAudit.objects.filter(record_type=record._meta.label_lower, record_id=record.pk)
        .select_related("actor")
        .order_by("at", "id")
    )
    timeline = _reach_timeline(record, audit)
    labels = _Labels(actor)
    edits, withheld = _edits(actor, kind, record, timeline, labels, sees_sharing)
    sharing = _sharing_entries(actor, record, audit, labels) if sees_sharing else []
    return SubmissionHistory(edits=edits[:HISTORY_LIMIT], sharing=sharing[:HISTORY_LIMIT], withheld=withheld)


# --- who could see the record when -------------------------------------------------------------------------


def _reach_timeline(record: Submission, audit: list[SharingAudit]) -> list[tuple[datetime | None, policies.Reach]]:
    """(from when, who could see it) for the record's whole life, from its sharing audit.

    Before the first audited change the record had that change's old fields; a record never changed through the
    sharing service has had its current fields all along.
    """
    acronyms = {a for entry in audit for a in (*entry.old_shared_with, *entry.new_shared_with)}
    ids = dict(Organization.objects.filter(acronym__in=acronyms).values_list("acronym", "pk"))

    def reach(organization_id, state, audience, shared) -> policies.Reach:
        return policies.reach_of(
            organization_id=organization_id,
            state=state,
            audience=audience,
            shared_with_ids=[ids[a] for a in shared if a in ids],
        )

    if audit:
        first = audit[0]
        timeline = [(None, reach(first.organization_id, first.old_state, first.old_audience, first.old_shared_with))]
    else:
        shared = list(record.shared_with.values_list("acronym", "pk")) if record.audience == Audience.SELECTED else []
        ids.update(shared)
        timeline = [(None, reach(record.organization_id, record.state, record.audience, [a for a, _pk in shared]))]
    timeline += [
        (entry.at, reach(entry.organization_id, entry.new_state, entry.new_audience, entry.new_shared_with))
        for entry in audit
    ]
    return timeline


def _seen_during(actor, record, timeline, start: datetime, end: datetime | None) -> bool:
    """Could `actor` see the record at some moment between `start` and `end` (None: now)?"""
    current = timeline[0][1]
    reaches = []
    for moment, reach in timeline[1:]:
        if moment <= start:
            current = reach
        elif end is None or moment < end:
            reaches.append(reach)
    return any(policies.in_reach(actor, record, reach) for reach in (current, *reaches))


# --- content versions --------------------------------------------------------------------------------------


def _edits(actor, kind, record, timeline, labels, sees_sharing) -> tuple[list[HistoryEntry], bool]:
    versions = list(record.history.select_related("history_user").order_by("-history_date", "-history_id"))
    versions = versions[:VERSIONS_READ][::-1]
    if not versions:
        return [], False
    history_model = type(versions[0])
    compared = [f for f in history_model.tracked_fields if f.editable and not f.primary_key]
    fields = [f for f in compared if f.name not in kind.history_units.values()]
    m2m_fields = list(history_model._history_m2m_fields)
    codes = _m2m_codes(history_model, m2m_fields, [version.pk for version in versions])
    labels.prepare(versions, fields, m2m_fields, codes)

    # The services write one version per edit (programs.services), its codes included. Versions written by one
    # person at one moment are one edit all the same; a window of a few seconds instead would fold a second edit
    # made right after the first into it, and lose it after a creation.
    groups: list[list] = []
    for version in versions:
        group = groups[-1] if groups else None
        if (
            group
            and version.history_type == "~"
            and version.history_user_id == group[0].history_user_id
            and version.history_date == group[0].history_date
        ):
            group.append(version)
        else:
            groups.append([version])

    entries, withheld = [], False
    for index, group in enumerate(groups):
        last = group[-1]
        end = groups[index + 1][0].history_date if index + 1 < len(groups) else None
        created = group[0].history_type == "+"
        previous = groups[index - 1][-1] if index > 0 else None
        if not created and previous is None:
            continue  # the change before the oldest version read: nothing to compare it with
        seen = _seen_during(actor, record, timeline, last.history_date, end)
        if not created:
            previous_end = group[0].history_date
            seen = seen and _seen_during(actor, record, timeline, previous.history_date, previous_end)
        if not seen:
            withheld = True
            continue
        changes = () if created else _changes(kind, previous, last, fields, m2m_fields, codes, labels)
        if not created and not changes:
            continue  # saved without a change
        user = last.history_user
        entries.append(
            HistoryEntry(
                at=last.history_date,
                action=str(CREATED if created else CHANGED),
                by=(user.get_username() if user else _("the system")) if sees_sharing else None,
                changes=changes,
            )
        )
    entries.reverse()
    return entries, withheld


def _m2m_codes(history_model, m2m_fields, version_ids) -> dict[str, dict[int, frozenset[int]]]:
    """For each recorded many-to-many field: version id → the ids it held. One query per field."""
    codes = {}
    for m2m_field in m2m_fields:
        through = getattr(history_model, m2m_field.name).model
        target = m2m_field.m2m_reverse_field_name()
        held: dict[int, set[int]] = {pk: set() for pk in version_ids}
        for version_id, target_id in through.objects.filter(history_id__in=version_ids).values_list(
            "history_id", f"{target}_id"
        ):
            held[version_id].add(target_id)
        codes[m2m_field.name] = {pk: frozenset(ids) for pk, ids in held.items()}
    return codes


def _changes(kind, old, new, fields, m2m_fields, codes, labels) -> tuple[FieldChange, ...]:
    changes = []
    for model_field in fields:
        before, after = getattr(old, model_field.attname), getattr(new, model_field.attname)
        unit = kind.history_units.get(model_field.name)
        if unit:
            before, after = (before, getattr(old, unit)), (after, getattr(new, unit))
        if before == after:
            continue
        label = capfirst(model_field.verbose_name)
        if isinstance(model_field, ArrayField):
            added, removed = set(after or ()) - set(before or ()), set(before or ()) - set(after or ())
            if not (added or removed):
                continue  # the same codes in another order
            changes.append(
                FieldChange(
                    label=label,
                    added=labels.items(model_field, added),
                    removed=labels.items(model_field, removed),
                    is_set=True,
                )
            )
        else:
            shown_before, shown_after = labels.value(model_field, before, unit), labels.value(model_field, after, unit)
            if shown_before != shown_after:
                changes.append(FieldChange(label=label, old=shown_before, new=shown_after))
    for m2m_field in m2m_fields:
        before, after = codes[m2m_field.name][old.pk], codes[m2m_field.name][new.pk]
        if before != after:
            changes.append(
                FieldChange(
                    label=capfirst(m2m_field.verbose_name),
                    added=labels.related(m2m_field, after - before),
                    removed=labels.related(m2m_field, before - after),
                    is_set=True,
                )
            )
    return tuple(changes)


class _Labels:
    """Values as people read them, with every related row a history names read in one query per model."""

    def __init__(self, actor):
        self.actor = actor
        self.objects: dict[type[models.Model], dict[int, str]] = {}

    def prepare(self, versions, fields, m2m_fields, codes) -> None:
        wanted: dict[type[models.Model], set[int]] = {}
        for model_field in fields:
            if isinstance(model_field, models.ForeignKey):
                ids = {getattr(version, model_field.attname) for version in versions}
                wanted.setdefault(model_field.related_model, set()).update(pk for pk in ids if pk is not None)
        for m2m_field in m2m_fields:
            ids = wanted.setdefault(m2m_field.related_model, set())
            for held in codes[m2m_field.name].values():
                ids.update(held)
        for model, ids in wanted.items():
            self.objects[model] = self._names(model, ids)

    def _names(self, model, ids) -> dict[int, str]:
        rows = model._default_manager.filter(pk__in=ids)
        if model is Organization:
            # Only organizations the viewer may see are named.
            return dict(policies.visible_to(self.actor, rows).values_list("pk", "acronym"))
        # Reference rows (thematic areas, regions) by their name in the reader's language.
        return {row.pk: str(getattr(row, "localized_name", None) or getattr(row, "name", None) or row) for row in rows}

    def _name(self, model, pk) -> str:
        return self.objects.get(model, {}).get(pk, _("(not shown)"))

    def value(self, model_field, value, unit=None) -> str:
        if unit:
            value, unit_value = value
            shown = self.value(model_field, value)
            return f"{shown} {unit_value}" if value is not None and unit_value else shown
        if value is None or value == "":
            return "—"
        if isinstance(model_field, models.ForeignKey):
            return self._name(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(model_field, models.BooleanField):
            return _("Yes") if value else _("No")
        if isinstance(model_field, models.DateTimeField):
            return formats.date_format(value, "DATETIME_FORMAT")
        if isinstance(model_field, models.DateField):
            return formats.date_format(value, "DATE_FORMAT")
        if isinstance(model_field, models.DecimalField):
            return floatformat(value, "-2g")
        return Truncator(str(value)).chars(TEXT_SHOWN)

    def items(self, model_field, values) -> tuple[str, ...]:
        # The kinds' lists of two-letter codes are countries (beneficiary countries, funding states).
        base = model_field.base_field
        if isinstance(base, models.CharField) and base.max_length == 2:
            return tuple(sorted(countries.name(code) or code for code in values))
        return tuple(sorted(str(value) for value in values))

    def related(self, m2m_field, ids) -> tuple[str, ...]:
        return tuple(sorted(self._name(m2m_field.related_model, pk) for pk in ids))


# --- the sharing audit -------------------------------------------------------------------------------------


def _sharing_entries(actor, record, audit, labels) -> list[HistoryEntry]:
    """The sharing audit as changes of state, audience and organizations, for whom the policy shows it."""
    visible = _audit_ids_visible(actor, record)
    audit = [entry for entry in audit if entry.pk in visible]
    acronyms = {a for entry in audit for a in (*entry.old_shared_with, *entry.new_shared_with)}
    named = set(
        policies.visible_to(actor, Organization.objects.filter(acronym__in=acronyms)).values_list("acronym", flat=True)
    )
    states, audiences = dict(State.choices), dict(Audience.choices)
    entries = []
    for entry in reversed(audit):
        changes = []
        if entry.old_state != entry.new_state:
            changes.append(FieldChange(_("State"), old=str(states[entry.old_state]), new=str(states[entry.new_state])))
        if entry.old_audience != entry.new_audience:
            changes.append(
                FieldChange(
                    _("Audience"), old=str(audiences[entry.old_audience]), new=str(audiences[entry.new_audience])
                )
            )
        old, new = set(entry.old_shared_with), set(entry.new_shared_with)
        added, removed = sorted(a for a in new - old if a in named), sorted(a for a in old - new if a in named)
        if added or removed:
            changes.append(FieldChange(_("Shared with"), added=tuple(added), removed=tuple(removed), is_set=True))
        entries.append(
            HistoryEntry(
                at=entry.at,
                action=entry.get_action_display(),
                by=entry.actor.get_username() if entry.actor else _("the system"),
                changes=tuple(changes),
            )
        )
    return entries


def _audit_ids_visible(actor, record) -> set[int]:
    rows = SharingAudit.objects.filter(record_type=record._meta.label_lower, record_id=record.pk)
    return set(policies.visible_to(actor, rows).values_list("pk", flat=True))


# --- who gains and who loses sight of a record --------------------------------------------------------------


@dataclass(frozen=True)
class NamedViewers:
    """`policies.Viewers` with its organizations read (acronym and name, for people): the context of
    `includes/_viewers.html`."""

    committee: bool = False
    organizations: tuple[Organization, ...] = ()
    all_iros: bool = False
    public: bool = False
    # Organizations that keep sight of it when every other IRO loses it.
    keeping: tuple[Organization, ...] = ()

    def __bool__(self) -> bool:
        return self.committee or bool(self.organizations) or self.all_iros or self.public

    def labels(self) -> list[str]:
        """Short names for a sentence: "the 1540 Committee", acronyms, "all IROs", "the public"."""
        names = [_("the 1540 Committee")] if self.committee else []
        names += [org.acronym for org in self.organizations]
        if self.all_iros:
            if self.keeping:
                names.append(
                    _("all IROs except %(acronyms)s") % {"acronyms": ", ".join(o.acronym for o in self.keeping)}
                )
            else:
                names.append(_("all IROs"))
        if self.public:
            names.append(_("the public"))
        return names


@dataclass(frozen=True)
class AudienceChange:
    """Who starts (`gains`) and who stops (`losses`) seeing a record, beyond its organization and administrators."""

    gains: NamedViewers
    losses: NamedViewers
    losses_key: str  # what a person confirms before a narrowing is saved (`policies.ReachChange.losses_key`)

    @property
    def narrows(self) -> bool:
        return bool(self.losses)

    def __bool__(self) -> bool:
        return bool(self.gains) or bool(self.losses)

    def summary(self) -> str:
        """One sentence for the message after a save ("" when nobody gains or loses)."""
        gained, lost = ", ".join(self.gains.labels()), ", ".join(self.losses.labels())
        if gained and lost:
            return _("Now also visible to %(gained)s; no longer visible to %(lost)s.") % {
                "gained": gained,
                "lost": lost,
            }
        if gained:
            return _("Now also visible to %(gained)s.") % {"gained": gained}
        if lost:
            return _("No longer visible to %(lost)s.") % {"lost": lost}
        return ""


def audience_change_between(*, actor, before: policies.Reach, after: policies.Reach) -> AudienceChange:
    """Who gains and who loses going from `before` to `after`, organizations named as `actor` may see them
    (organizations are public reference data; the reaches come from one record the actor manages)."""
    change = policies.reach_change(before, after)
    wanted = {*change.gains.organization_ids, *change.losses.organization_ids, *change.keeping_organization_ids}
    named = {org.pk: org for org in policies.visible_to(actor, Organization.objects.filter(pk__in=wanted))}

    def read(ids) -> tuple[Organization, ...]:
        return tuple(sorted((named[pk] for pk in ids if pk in named), key=lambda org: org.acronym))

    def side(viewers: policies.Viewers, keeping=()) -> NamedViewers:
        return NamedViewers(
            committee=viewers.committee,
            organizations=read(viewers.organization_ids),
            all_iros=viewers.all_iros,
            public=viewers.public,
            keeping=read(keeping),
        )

    return AudienceChange(
        gains=side(change.gains),
        losses=side(change.losses, change.keeping_organization_ids),
        losses_key=change.losses_key,
    )


def audience_change_for(
    *, actor, record: Submission, state: str, audience: str, shared_with_ids=()
) -> AudienceChange | None:
    """Who would gain and who would lose sight of `record` if it were saved with this state and audience,
    compared with who sees it now — read from its grant index, what the read path enforces. None for an actor
    the policy does not show the record's sharing (its `shared_with` is what the losses name)."""
    if not policies.can_see_sharing_details(actor, record):
        return None
    after = policies.reach_of(
        organization_id=record.organization_id, state=state, audience=audience, shared_with_ids=shared_with_ids
    )
    return audience_change_between(actor=actor, before=policies.who_can_view(record), after=after)


def audience_choice_change_for(
    *, actor, record: Submission, audience: str, shared_with_ids=()
) -> AudienceChange | None:
    """A draft's audience choice against the one saved: who would gain and lose once it is submitted (nobody
    outside its organization sees a draft, so nobody loses anything now)."""
    if not policies.can_see_sharing_details(actor, record):
        return None
    saved = policies.reach_of(
        organization_id=record.organization_id,
        state=State.SUBMITTED,
        audience=record.audience,
        shared_with_ids=record.shared_with.values_list("pk", flat=True),
    )
    after = policies.reach_of(
        organization_id=record.organization_id,
        state=State.SUBMITTED,
        audience=audience,
        shared_with_ids=shared_with_ids,
    )
    return audience_change_between(actor=actor, before=saved, after=after)


def audience_removal_for(*, actor, record: Submission) -> AudienceChange | None:
    """Everyone who sees `record` now besides its organization and administrators: who loses it when it is
    withdrawn to draft or deleted."""
    return audience_change_for(actor=actor, record=record, state=State.DRAFT, audience=record.audience)
