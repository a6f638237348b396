"""The leak-test world: one record of every confidential kind per audience, each carrying a unique canary."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from confidentiality.models import Audience, State
from contacts.models import ContactRole
from portal.notifications.models import Notification
from tests.factories import (
    AgreementFactory,
    DemarcheFactory,
    InteractionFactory,
    PointOfContactFactory,
    ProgramFactory,
    submission_with_grants,
)
from tests.world import build_world, sharing_oracle

# (state, audience) of each submission in the world, keyed by a short name used in canaries.
AUDIENCES = {
    "draft": (State.DRAFT, Audience.COMMITTEE),
    "committee": (State.SUBMITTED, Audience.COMMITTEE),
    "selected": (State.SUBMITTED, Audience.SELECTED),
    "allIros": (State.SUBMITTED, Audience.ALL_IROS),
    "public": (State.SUBMITTED, Audience.PUBLIC),
}
# Who sees the owner organization's interactions, demarches and agreements (not public).
INVOLVED_PERSONAS = {"owner_focal", "owner_member", "committee", "admin"}


def canary(kind: str, key: str) -> str:
    # One word, so full-text search and CSV quoting keep it whole.
    return f"Leakcanary{kind}{key}zz"


@dataclass
class Record:
    kind: str
    key: str
    obj: object
    visible_to: set[str]

    @property
    def canary(self) -> str:
        return canary(self.kind, self.key)


@dataclass
class LeakWorld:
    orgs: dict
    people: dict
    records: list[Record] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Record]:
        return [record for record in self.records if record.kind == kind]


def build_leak_world() -> LeakWorld:
    orgs, people = build_world()
    world = LeakWorld(orgs=orgs, people=people)
    personas = list(people)
    for key, (state, audience) in AUDIENCES.items():
        shared = [orgs["selected"]] if audience == Audience.SELECTED else []
        visible = {p for p in personas if sharing_oracle(p, state, audience)}
        program = submission_with_grants(
            ProgramFactory,
            organization=orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared,
            title=f"Program {canary('program', key)}",
            summary=f"Summary {canary('program', key)}",
        )
        world.records.append(Record("program", key, program, visible))
        document = program.documents.create(
            title=f"Document {canary('document', key)}",
            filename="note.txt",
            content_type="text/plain",
            size=5,
        )
        document.file.save("note.txt", ContentFile(b"hello"), save=True)
        world.records.append(Record("document", key, document, visible))
        # Past designations (with `until`), so that several submitted contacts may coexist for one role.
        contact = submission_with_grants(
            PointOfContactFactory,
            organization=orgs["owner"],
            state=state,
            audience=audience,
            shared_with=shared,
            role=ContactRole.ASSISTANCE,
            person=f"Person {canary('contact', key)}",
            title=f"Title {canary('contact', key)}",
            since=datetime.date(2019, 1, 1),
            until=datetime.date(2020, 1, 1),
        )
        world.records.append(Record("contact", key, contact, visible))

    interaction = InteractionFactory(summary=f"Meeting {canary('interaction', 'owner')}", public=False)
    interaction.organizations.set([orgs["owner"]])
    world.records.append(Record("interaction", "owner", interaction, INVOLVED_PERSONAS))
    demarche = DemarcheFactory(organization=orgs["owner"], details=f"Request {canary('demarche', 'owner')}")
    world.records.append(Record("demarche", "owner", demarche, INVOLVED_PERSONAS))
    agreement = AgreementFactory(title=f"Agreement {canary('agreement', 'owner')}")
    agreement.parties.set([orgs["owner"]])
    world.records.append(Record("agreement", "owner", agreement, INVOLVED_PERSONAS))
    _notify_everyone(world)
    return world


def _notify_everyone(world: LeakWorld) -> None:
    """Every persona was notified of every program, contact and demarche, as if each had been shared with it once:
    the inbox and the dashboard must name only the records it may still see ("no longer available" otherwise)."""
    now = timezone.now()
    notified = [record for record in world.records if record.kind in ("program", "contact", "demarche")]
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=Notification.Kind.FOLLOW_UP_DUE if record.kind == "demarche" else Notification.Kind.SHARED,
            record_type=record.obj._meta.label_lower,
            record_id=record.obj.pk,
            delivered_at=now,
        )
        for user in world.people.values()
        if user is not None
        for record in notified
    )
