"""Demo points of contact, demarches and IGO-table interactions for `manage.py seed_demo`.

A small, fixed set (it does not grow with `--programs`), written through the services so grants, the sharing audit
and the model constraints are exactly what the portal itself would produce. Contacts are role desks, never
invented people. Every row is marked, and re-running skips a row that is already there:

- contacts: `person` ends with "desk (demo)";
- demarches: `details` starts with "Demo demarche";
- interactions: `summary` starts with "Demo interaction".

Which organization gets what follows from its position in the reference list (`iros.reference_data`), so the
plan is the same on every machine. Demarche dates are counted back from today, so some follow-ups are always
overdue and some still pending; contact and interaction dates are fixed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from confidentiality import policies
from confidentiality.models import Audience, State
from contacts.models import ContactRole, Demarche, PointOfContact
from contacts.services import contact_create, demarche_create
from iros import reference_data
from iros.models import DatePrecision, Interaction, Organization
from iros.services import interaction_create
from portal.accounts.models import Role, User
from programs import demo_data

CONTACT_MARKER = "desk (demo)"
DEMARCHE_MARKER = "Demo demarche"
INTERACTION_MARKER = "Demo interaction"

# The demo users who act: the administrator designates contacts (the demo focal points do it for their own
# organization), the Committee expert records demarches and interactions.
ADMIN_USERNAME = "admin"
COMMITTEE_USERNAME = "expert"

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

INTERACTIONS = 50
INTERACTION_FIRST_YEAR = 2011
INTERACTION_YEARS = 15  # 2011–2025

INTERACTION_SENTENCES: dict[str, str] = {
    Interaction.Kind.BRIEFING: "{orgs} briefed the 1540 Committee on {topic}.",
    Interaction.Kind.JOINT_ACTIVITY: "{activity} organized jointly with {orgs} on {topic}.",
    Interaction.Kind.OUTREACH: "Committee experts took part in a {orgs} outreach event on {topic}.",
    Interaction.Kind.EXCHANGE_OF_LETTERS: "Exchange of letters with {orgs} on cooperation in {topic}.",
    Interaction.Kind.MOU: "Working arrangement with {orgs} covering {topic}.",
    Interaction.Kind.MEETING: "Meeting with {orgs} on {topic}.",
    Interaction.Kind.CORRESPONDENCE: "Correspondence with {orgs} about {topic}.",
    Interaction.Kind.ASSISTANCE_REFERRAL: "A State's assistance request on {topic} referred to {orgs}.",
}
INTERACTION_OUTCOMES: tuple[str, ...] = (
    "Agreed to exchange calendars of upcoming activities.",
    "Committee experts to be invited as resource persons.",
    "Joint contribution to the next regional workshop agreed.",
    "Information shared on national implementation reports.",
)
INTERACTION_FOLLOW_UPS: tuple[str, ...] = (
    "Send the updated assistance matrix.",
    "Confirm the dates of the follow-up workshop.",
    "Share the list of national points of contact.",
)


@dataclass
class Created:
    contacts: int = 0
    demarches: int = 0
    interactions: int = 0
    skipped: list[str] = field(default_factory=list)

    def total(self) -> int:
        return self.contacts + self.demarches + self.interactions


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


def demo_extras_ensure() -> Created:
    """Create whatever demo contacts, demarches and interactions are still missing."""
    organizations = Organization.objects.in_bulk(_reference_acronyms(), field_name="acronym")
    acronyms = [acronym for acronym in _reference_acronyms() if acronym in organizations]
    admin = _demo_user(ADMIN_USERNAME, Role.ADMIN)
    expert = _demo_user(COMMITTEE_USERNAME, Role.COMMITTEE, Role.ADMIN)
    created = Created()
    created.contacts = demo_contacts_ensure(acronyms, organizations, admin=admin, skipped=created.skipped)
    created.demarches = demo_demarches_ensure(acronyms, organizations, actor=expert)
    created.interactions = demo_interactions_ensure(acronyms, actor=expert)
    return created


def demo_counts() -> dict[str, int]:
    """How many demo rows of each kind there are (whoever made them)."""
    return {
        "contacts": PointOfContact.objects.filter(person__endswith=CONTACT_MARKER).count(),
        "demarches": Demarche.objects.filter(details__startswith=DEMARCHE_MARKER).count(),
        "interactions": Interaction.objects.filter(summary__startswith=INTERACTION_MARKER).count(),
    }


def _reference_acronyms() -> list[str]:
    return [row[0] for row in reference_data.ORGANIZATIONS]


def _demo_user(username: str, *roles: str) -> User:
    """The demo account, or, when its owner changed its role or deactivated it, another active user who may act."""
    user = User.objects.filter(username=username, is_active=True, role__in=roles).first()
    user = user or User.objects.filter(is_active=True, role__in=roles).order_by("pk").first()
    if user is None:
        raise PermissionDenied(f"No active {' or '.join(roles)} user to record the demo data with.")
    return user


# --- points of contact -------------------------------------------------------------------------------------


def contact_plan(acronyms: list[str]) -> list[ContactPlan]:
    """Every demo designation, in creation order (a former desk before the current one)."""
    plans = []
    turn = 0  # the audiences go round over the designations
    for index, acronym in enumerate(acronyms):
        # The more active an organization, the likelier its designations: the most active have both.
        weight = demo_data.ACTIVITY_WEIGHTS.get(acronym, 1)
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


def demo_contacts_ensure(acronyms: list[str], organizations: dict, *, admin: User, skipped: list[str]) -> int:
    existing = set(
        PointOfContact.objects.filter(person__endswith=CONTACT_MARKER).values_list("organization__acronym", "person")
    )
    active = set(
        PointOfContact.objects.filter(state=State.SUBMITTED, until__isnull=True).values_list(
            "organization__acronym", "role"
        )
    )
    from programs.management.commands.seed_demo import DEMO_ACCOUNTS

    demo_focal_points = [username for username, role, _acronym in DEMO_ACCOUNTS if role == Role.FOCAL_POINT]
    focal_points = {
        user.membership.organization.acronym: user
        for user in User.objects.filter(is_active=True, role=Role.FOCAL_POINT, username__in=demo_focal_points)
        .select_related("membership__organization")
        .order_by("-pk")
    }
    created = 0
    for plan in contact_plan(acronyms):
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
    names = {row[0]: row[1] for row in reference_data.ORGANIZATIONS}
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
        sent_on = today - timedelta(days=15 + 30 * (number % 5) + 7 * (number // 5))
        plans.append(
            DemarchePlan(
                acronym=acronym,
                request=request,
                details=f"{DEMARCHE_MARKER}: the Committee invites the {names.get(acronym, acronym)} to designate "
                f"a point of contact for {label}, in line with resolution 1977 (2011).",
                channel=channels[number % len(channels)],
                sent_on=sent_on,
                follow_up_due=sent_on + timedelta(days=45),
                answered_on=None,
                outcome="",
            )
        )
    active = sorted(
        (acronym for acronym in acronyms if demo_data.ACTIVITY_WEIGHTS.get(acronym, 1) >= 4),
        key=lambda acronym: (-demo_data.ACTIVITY_WEIGHTS[acronym], acronyms.index(acronym)),
    )[:5]
    for number, acronym in enumerate(active):
        sent_on = today - timedelta(days=120 + 150 * number)
        plans.append(
            DemarchePlan(
                acronym=acronym,
                request=Demarche.Request.INFORMATION,
                details=f"{DEMARCHE_MARKER}: the Committee asks the {names.get(acronym, acronym)} for an overview "
                "of its 1540-relevant programs of the last two years.",
                channel=(Demarche.Channel.EMAIL, Demarche.Channel.MEETING)[number % 2],
                sent_on=sent_on,
                follow_up_due=sent_on + timedelta(days=60),
                answered_on=sent_on + timedelta(days=20 + 10 * number),
                outcome="Overview received; its programs are entered in the portal.",
            )
        )
    return plans


def demo_demarches_ensure(acronyms: list[str], organizations: dict, *, actor: User) -> int:
    existing = set(
        Demarche.objects.filter(details__startswith=DEMARCHE_MARKER).values_list(
            "organization__acronym", "request", "details"
        )
    )
    created = 0
    for plan in demarche_plan(acronyms, timezone.localdate()):
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


# --- interactions (the IGO tables) -------------------------------------------------------------------------


def interaction_plan(number: int, acronyms: list[str]) -> dict:
    """Interaction number `number` (0-based), the same on every run: drawn from a generator seeded with it."""
    rng = random.Random(f"seed-demo-interaction-{number}")  # noqa: S311 - reproducible demo data
    kinds = list(INTERACTION_SENTENCES)
    kind = kinds[number % len(kinds)]
    weights = [demo_data.ACTIVITY_WEIGHTS.get(acronym, 1) for acronym in acronyms]
    involved: list[str] = []
    for _attempt in range(rng.choice((1, 1, 1, 2, 2, 3))):
        acronym = rng.choices(acronyms, weights=weights)[0]
        if acronym not in involved:
            involved.append(acronym)
    topics = sorted({topic for family in demo_data.TOPICS.values() for topic in family})
    words = {
        "orgs": _joined(involved),
        "topic": rng.choice(topics),
        "activity": rng.choice(demo_data.ACTIVITIES),
    }
    # Distinct for every number below 60: the year repeats every 15, the month then differs.
    day = date(
        INTERACTION_FIRST_YEAR + number % INTERACTION_YEARS,
        1 + (number * 5) % 12,
        1 + (number * 7) % 28,
    )
    precision = DatePrecision.MONTH if number % 10 == 9 else DatePrecision.DAY
    if precision == DatePrecision.MONTH:
        day = day.replace(day=1)
    plan = {
        "organizations": sorted(involved),
        "date": day,
        "date_precision": precision,
        "kind": kind,
        "summary": f"{INTERACTION_MARKER}: {INTERACTION_SENTENCES[kind].format(**words)}",
        "public": number % 3 == 0,
    }
    if rng.random() < 0.5:
        plan["outcome"] = rng.choice(INTERACTION_OUTCOMES)
    if rng.random() < 0.2:
        plan["follow_up"] = rng.choice(INTERACTION_FOLLOW_UPS)
        plan["follow_up_due"] = day + timedelta(days=90)
    return plan


def _joined(acronyms: list[str]) -> str:
    if len(acronyms) == 1:
        return acronyms[0]
    return ", ".join(acronyms[:-1]) + " and " + acronyms[-1]


def demo_interactions_ensure(acronyms: list[str], *, actor: User) -> int:
    existing = set(Interaction.objects.filter(summary__startswith=INTERACTION_MARKER).values_list("date", "summary"))
    created = 0
    for number in range(INTERACTIONS):
        plan = interaction_plan(number, acronyms)
        if (plan["date"], plan["summary"]) in existing:
            continue
        interaction_create(actor=actor, **plan)
        created += 1
    return created
