"""Demo interactions of the Committee with IROs (the IGO tables, `iros` app), recorded through its services.

Fifty, fixed (they do not grow with `--programs`), each drawn from a generator seeded with its number, so the rows
and their dates are the same on every machine. Every row's `summary` starts with "Demo interaction", and a re-run
skips a row that is already there.
"""

import random
from datetime import date, timedelta

from django.db.models import QuerySet

from iros.models import DatePrecision, Interaction
from iros.services import interaction_create
from portal.accounts.models import User
from portal.devtools.demo import data

INTERACTION_MARKER = "Demo interaction"

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


def demo_interactions() -> QuerySet[Interaction]:
    """The demo interactions, whoever recorded them."""
    return Interaction.objects.filter(summary__startswith=INTERACTION_MARKER)


def interaction_plan(number: int, acronyms: list[str]) -> dict:
    """Interaction number `number` (0-based), the same on every run: drawn from a generator seeded with it."""
    rng = random.Random(f"seed-demo-interaction-{number}")  # noqa: S311 - reproducible demo data
    kinds = list(INTERACTION_SENTENCES)
    kind = kinds[number % len(kinds)]
    weights = [data.ACTIVITY_WEIGHTS.get(acronym, 1) for acronym in acronyms]
    involved: list[str] = []
    for _attempt in range(rng.choice((1, 1, 1, 2, 2, 3))):
        acronym = rng.choices(acronyms, weights=weights)[0]
        if acronym not in involved:
            involved.append(acronym)
    topics = sorted({topic for family in data.TOPICS.values() for topic in family})
    words = {
        "orgs": _joined(involved),
        "topic": rng.choice(topics),
        "activity": rng.choice(data.ACTIVITIES),
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
    """Record the planned interactions still missing; return how many."""
    existing = set(demo_interactions().values_list("date", "summary"))
    created = 0
    for number in range(INTERACTIONS):
        plan = interaction_plan(number, acronyms)
        if (plan["date"], plan["summary"]) in existing:
            continue
        interaction_create(actor=actor, **plan)
        created += 1
    return created
