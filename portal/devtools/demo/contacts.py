"""Demo points of contact and demarches (the `contacts` app), made through its services.

A small, fixed set (it does not grow with `--programs`), written through the services so grants, the sharing audit
and the model constraints are exactly what the portal itself would produce. Contacts are role desks, never invented
people. Every row is marked, and a re-run skips a row that is already there:

- contacts: `person` ends with "desk (demo)";
- demarches: `details` starts with "Demo demarche".

Which organization gets what follows from its position in the reference list (`organizations`), so the plan is the
same on every machine. Demarche dates are counted back from today, so some follow-ups are always overdue and some
still pending; contact dates are fixed.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from confidentiality import policies
from confidentiality.models import Audience, State
from contacts.models import ContactRole, Demarche, PointOfContact
from contacts.services import contact_create, demarche_create
from iros.models import Organization
from portal.accounts.models import User
from portal.devtools.demo import data
from portal.devtools.demo.accounts import demo_focal_points
from portal.devtools.demo.organizations import REFERENCE_NAMES

CONTACT_MARKER = "desk (demo)"
DEMARCHE_MARKER = "Demo demarche"

# Audiences of the current designations, in turn: contacts are mostly public or for the Committee only.
CONTACT_AUDIENCES: tuple[str, ...] = (
    Audience.PUBLIC,
    Audience.COMMITTEE,
    Audience.ALL_IROS,
    Audience.PUBLIC,
    Audience.SELECTED,
    Audience.COMMITTEE,
)
# The organizations of the demo accounts: each has a current assistance contact.
DEMO_ORGANIZATIONS: tuple[str, ...] = ("OSCE", "AU", "UNODC")
# A `selected` contact is shared with the first two of these that are not its owner: the demo member (UNODC) sees
# it from the other side, in the app, without e-mails to focal points at every run on an empty database.
CONTACT_SHARING_POOL: tuple[str, ...] = ("UNODC", "UNODA", "WCO")
# An organization's implementation contact stays a draft here: its focal point's to-do list shows it.
DRAFT_IMPLEMENTATION = ("AU",)


@dataclass(frozen=True)
class ContactPlan:
    acronym: str
    role: str
    person: str
    since: date
    until: date | None
    state: str
    audience: str
    shared_with: tuple[str, ...]


@dataclass(frozen=True)
class DemarchePlan:
    acronym: str
    request: str
    details: str
    channel: str
    sent_on: date
    follow_up_due: date | None
    answered_on: date | None
    outcome: str


def demo_contacts() -> QuerySet[PointOfContact]:
    """The demo points of contact, whoever made them."""
    return PointOfContact.objects.filter(person__endswith=CONTACT_MARKER)


def demo_demarches() -> QuerySet[Demarche]:
    """The demo demarches, whoever recorded them."""
    return Demarche.objects.filter(details__startswith=DEMARCHE_MARKER)


# --- points of contact -------------------------------------------------------------------------------------


def contact_plan(acronyms: list[str]) -> list[ContactPlan]:
    """Every demo designation, in creation order (a former desk before the current one)."""
    plans = []
    turn = 0  # the audiences go round over the designations
    for index, acronym in enumerate(acronyms):
        # The more active an organization, the likelier its designations: the most active have both.
        weight = data.ACTIVITY_WEIGHTS.get(acronym, 1)
        roles = []
        if weight >= 2 or index % 6 == 3 or acronym in DEMO_ORGANIZATIONS:
            roles.append(ContactRole.ASSISTANCE)
        if weight >= 3 or index % 9 == 5 or acronym in DRAFT_IMPLEMENTATION:
            roles.append(ContactRole.IMPLEMENTATION)
        for offset, role in enumerate(roles):
            audience = CONTACT_AUDIENCES[turn % len(CONTACT_AUDIENCES)]
            turn += 1
            shared_with = ()
            if audience == Audience.SELECTED:
                shared_with = tuple(other for other in CONTACT_SHARING_POOL if other != acronym)[:2]
            since = date(2012 + (index + 3 * offset) % 12, 1 + (index * 5) % 12, 1)
            label = ContactRole(role).label.split(" for ")[-1]
            if role == ContactRole.ASSISTANCE and index % 6 == 0:
                # A desk that was replaced: the organization's designation history has two rows.
                plans.append(
                    ContactPlan(
                        acronym=acronym,
                        role=role,
                        person=f"{acronym} former {label} {CONTACT_MARKER}",
                        since=date(since.year - 5, since.month, 1),
                        until=since - timedelta(days=1),
                        state=State.SUBMITTED,
                        audience=audience,
                        shared_with=shared_with,
                    )
                )
            draft = role == ContactRole.IMPLEMENTATION and acronym in DRAFT_IMPLEMENTATION
            plans.append(
                ContactPlan(
                    acronym=acronym,
                    role=role,
                    person=f"{acronym} {label} {CONTACT_MARKER}",
                    since=since,
                    until=None,
                    state=State.DRAFT if draft else State.SUBMITTED,
                    audience=Audience.COMMITTEE if draft else audience,
                    shared_with=() if draft else shared_with,
                )
            )
    return plans


def demo_contacts_ensure(organizations: dict[str, Organization], *, admin: User, skipped: list[str]) -> int:
    """Designate the planned contacts still missing; return how many. A demo focal point designates its own
    organization's; the administrator the others."""
    existing = set(demo_contacts().values_list("organization__acronym", "person"))
    active = set(
        PointOfContact.objects.filter(state=State.SUBMITTED, until__isnull=True).values_list(
            "organization__acronym", "role"
        )
    )
    focal_points = demo_focal_points()
    created = 0
    for plan in contact_plan(list(organizations)):
        if (plan.acronym, plan.person) in existing:
            continue
        is_active = plan.state == State.SUBMITTED and plan.until is None
        if is_active and (plan.acronym, plan.role) in active:
            # Someone designated a contact for this role already: one active contact per role.
            skipped.append(f"{plan.acronym} {plan.role} contact (already designated)")
            continue
        organization = organizations[plan.acronym]
        actor = focal_points.get(plan.acronym)
        if actor is None or not policies.can_create_submission(actor, organization):
            actor = admin
        contact_create(
            actor=actor,
            organization=organization,
            role=plan.role,
            person=plan.person,
            title=f"1540 coordination unit, {plan.acronym}",
            email=f"{plan.role}-1540@{plan.acronym.lower()}.example.org",
            since=plan.since,
            until=plan.until,
            state=plan.state,
            audience=plan.audience,
            shared_with=[organizations[acronym] for acronym in plan.shared_with if acronym in organizations],
        )
        created += 1
        if is_active:
            active.add((plan.acronym, plan.role))
    return created


# --- demarches ---------------------------------------------------------------------------------------------


def demarche_plan(acronyms: list[str], today: date) -> list[DemarchePlan]:
    """About fifteen: open requests to designate a missing contact (the older ones overdue), and answered
    requests for information to the most active organizations."""
    designated = {
        (plan.acronym, plan.role)
        for plan in contact_plan(acronyms)
        if plan.until is None and plan.state == State.SUBMITTED
    }
    channels = (Demarche.Channel.LETTER, Demarche.Channel.NOTE_VERBALE, Demarche.Channel.EMAIL)
    open_requests = [
        (acronym, Demarche.Request.DESIGNATE_ASSISTANCE, "assistance")
        for acronym in acronyms
        if (acronym, ContactRole.ASSISTANCE) not in designated
    ][:5] + [
        (acronym, Demarche.Request.DESIGNATE_IMPLEMENTATION, "implementation")
        for acronym in acronyms
        if (acronym, ContactRole.ASSISTANCE) in designated and (acronym, ContactRole.IMPLEMENTATION) not in designated
    ][:5]
    plans = []
    for number, (acronym, request, label) in enumerate(open_requests):
        name = REFERENCE_NAMES.get(acronym, acronym)
        sent_on = today - timedelta(days=15 + 30 * (number % 5) + 7 * (number // 5))
        plans.append(
            DemarchePlan(
                acronym=acronym,
                request=request,
                details=f"{DEMARCHE_MARKER}: the Committee invites the {name} to designate "
                f"a point of contact for {label}, in line with resolution 1977 (2011).",
                channel=channels[number % len(channels)],
                sent_on=sent_on,
                follow_up_due=sent_on + timedelta(days=45),
                answered_on=None,
                outcome="",
            )
        )
    active = sorted(
        (acronym for acronym in acronyms if data.ACTIVITY_WEIGHTS.get(acronym, 1) >= 4),
        key=lambda acronym: (-data.ACTIVITY_WEIGHTS[acronym], acronyms.index(acronym)),
    )[:5]
    for number, acronym in enumerate(active):
        name = REFERENCE_NAMES.get(acronym, acronym)
        sent_on = today - timedelta(days=120 + 150 * number)
        plans.append(
            DemarchePlan(
                acronym=acronym,
                request=Demarche.Request.INFORMATION,
                details=f"{DEMARCHE_MARKER}: the Committee asks the {name} for an overview "
                "of its 1540-relevant programs of the last two years.",
                channel=(Demarche.Channel.EMAIL, Demarche.Channel.MEETING)[number % 2],
                sent_on=sent_on,
                follow_up_due=sent_on + timedelta(days=60),
                answered_on=sent_on + timedelta(days=20 + 10 * number),
                outcome="Overview received; its programs are entered in the portal.",
            )
        )
    return plans


def demo_demarches_ensure(organizations: dict[str, Organization], *, actor: User) -> int:
    """Record the planned demarches still missing; return how many."""
    existing = set(demo_demarches().values_list("organization__acronym", "request", "details"))
    created = 0
    for plan in demarche_plan(list(organizations), timezone.localdate()):
        if (plan.acronym, plan.request, plan.details) in existing:
            continue
        demarche_create(
            actor=actor,
            organization=organizations[plan.acronym],
            request=plan.request,
            details=plan.details,
            channel=plan.channel,
            sent_on=plan.sent_on,
            follow_up_due=plan.follow_up_due,
            answered_on=plan.answered_on,
            outcome=plan.outcome,
        )
        created += 1
    return created
