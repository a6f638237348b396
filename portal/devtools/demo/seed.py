"""The demo data library's entry point: every kind of demo data, in one transaction."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from portal.accounts.models import Role, User
from portal.devtools.demo import DemoDataError
from portal.devtools.demo.accounts import ADMIN_USERNAME, COMMITTEE_USERNAME, demo_accounts_ensure, demo_actor
from portal.devtools.demo.contacts import demo_contacts, demo_contacts_ensure, demo_demarches, demo_demarches_ensure
from portal.devtools.demo.igo_tables import demo_interactions, demo_interactions_ensure
from portal.devtools.demo.organizations import reference_organizations
from portal.devtools.demo.programs import demo_programs_ensure


@dataclass
class DemoSeeded:
    """Every demo account with whether this run created it, and how many rows of each kind this run created."""

    accounts: list[tuple[User, bool]]
    programs: int
    contacts: int
    demarches: int
    interactions: int
    skipped: list[str] = field(default_factory=list)


def demo_seed(*, programs: int, password: str) -> DemoSeeded:
    """Create whatever demo data is missing: the accounts (with `password`), demo programs up to `programs` in
    total, and the fixed demo points of contact, demarches and interactions. All of it or nothing."""
    with transaction.atomic():
        accounts = demo_accounts_ensure(password=password)
        programs_created = demo_programs_ensure(total=programs)
        organizations = reference_organizations()
        skipped: list[str] = []
        try:
            admin = demo_actor(ADMIN_USERNAME, Role.ADMIN)
            expert = demo_actor(COMMITTEE_USERNAME, Role.COMMITTEE, Role.ADMIN)
            contacts = demo_contacts_ensure(organizations, admin=admin, skipped=skipped)
            demarches = demo_demarches_ensure(organizations, actor=expert)
            interactions = demo_interactions_ensure(list(organizations), actor=expert)
        except (PermissionDenied, ValidationError) as error:
            raise DemoDataError(f"Cannot create the demo contacts, demarches and interactions: {error}") from error
    return DemoSeeded(
        accounts=accounts,
        programs=programs_created,
        contacts=contacts,
        demarches=demarches,
        interactions=interactions,
        skipped=skipped,
    )


def demo_counts() -> dict[str, int]:
    """How many demo rows of each kind there are, whoever made them."""
    return {
        "contacts": demo_contacts().count(),
        "demarches": demo_demarches().count(),
        "interactions": demo_interactions().count(),
    }
