"""The standard cast of the persona tests: three organizations and a user for every persona, and how to sign in.

`owner` holds the records under test, `selected` is the organization it shares with, `other` one it does not.
tests/conftest.py exposes the cast as the fixtures `world`, `orgs` and `people` and signs the test client in with
`sign_in`; a test that needs an organization of its own adds it beside these three.
"""

from __future__ import annotations

from typing import NamedTuple

from django.test import Client
from rest_framework.test import APIClient

from confidentiality.models import Audience, State
from iros.models import Organization
from portal.accounts.models import Role, User
from tests.factories import OrganizationFactory, UserFactory, api_client_for

ORGANIZATIONS = {
    "owner": ("OWNER", "Owner Organization"),
    "selected": ("CHOSEN", "Chosen Organization"),
    "other": ("OTHER", "Other Organization"),
}
# persona: (username, role, organization key or None)
CAST = {
    "owner_focal": ("owner-focal", Role.FOCAL_POINT, "owner"),
    "owner_member": ("owner-member", Role.MEMBER, "owner"),
    "selected_focal": ("sel-focal", Role.FOCAL_POINT, "selected"),
    "selected_member": ("sel-member", Role.MEMBER, "selected"),
    "other_focal": ("other-focal", Role.FOCAL_POINT, "other"),
    "other_member": ("other-member", Role.MEMBER, "other"),
    "committee": ("expert", Role.COMMITTEE, None),
    "admin": ("administrator", Role.ADMIN, None),
    # The owner's focal point, deactivated: were deactivation ignored it would see drafts and write, so every test
    # that finds it treated as an anonymous visitor (or its token refused) proves deactivation holds.
    "inactive": ("inactive", Role.FOCAL_POINT, "owner"),
}
# The personas the leak tests run through: one per distinct view of the owner's records.
SHARING_PERSONAS = (
    "anonymous",
    "owner_focal",
    "owner_member",
    "selected_member",
    "other_member",
    "committee",
    "admin",
    "inactive",
)


class World(NamedTuple):
    orgs: dict[str, Organization]
    people: dict[str, User | None]


def build_world() -> World:
    orgs = build_orgs()
    return World(orgs, build_people(orgs))


def build_orgs() -> dict[str, Organization]:
    return {key: OrganizationFactory(acronym=acronym, name=name) for key, (acronym, name) in ORGANIZATIONS.items()}


def build_people(orgs: dict[str, Organization]) -> dict[str, User | None]:
    """A user per persona of CAST, in the organizations of `build_orgs`, and `anonymous` (None)."""
    people: dict[str, User | None] = {"anonymous": None}
    for persona, (username, role, organization) in CAST.items():
        people[persona] = UserFactory(
            username=username,
            role=role,
            organization=orgs[organization] if organization else None,
            is_active=persona != "inactive",
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
    return people


def sharing_oracle(persona: str, state: str, audience: str) -> bool:
    """Whether a persona of the world may see a record of the owner organization: from the fields alone."""
    if persona in ("owner_focal", "owner_member", "admin"):
        return True
    if state == State.DRAFT:
        return False
    if persona == "committee":
        return True
    if audience == Audience.PUBLIC:
        return True
    if audience == Audience.ALL_IROS:
        return persona in ("selected_focal", "selected_member", "other_focal", "other_member")
    return audience == Audience.SELECTED and persona in ("selected_focal", "selected_member")


# --- signing in ---------------------------------------------------------------------------------------------


def signed_in(client: Client, user: User | None) -> Client:
    """`client` with its session signed in as `user`, or signed out for None.

    An inactive user's session is refused by the authentication backend: it browses as an anonymous visitor.
    """
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def client_for(people: dict[str, User | None], persona: str) -> APIClient:
    """A DRF test client for one persona of the world, signed in by its token.

    The inactive account signs in by session instead, where it must read like an anonymous visitor; that its token
    is refused is tested on its own, with `api_client_for`.
    """
    user = people[persona]
    return api_client_for(user, token=user is None or user.is_active)
