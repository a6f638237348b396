"""The demo accounts: one per role (and a second focal point, so sharing shows from both sides), and the demo
users who record the rest of the demo data."""

from django.core.exceptions import PermissionDenied, ValidationError

from iros.models import Organization
from portal.accounts.models import Role, User
from portal.accounts.services import user_create
from portal.devtools.demo import DemoDataError

DEFAULT_DEMO_PASSWORD = "demo-1540-portal"

# (username, role, organization acronym or None)
DEMO_ACCOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("admin", Role.ADMIN, None),
    ("expert", Role.COMMITTEE, None),
    ("focal", Role.FOCAL_POINT, "OSCE"),
    ("focal-au", Role.FOCAL_POINT, "AU"),
    ("member", Role.MEMBER, "UNODC"),
)
# The demo users who act: the administrator designates contacts (the demo focal points do it for their own
# organization), the Committee expert records demarches and interactions.
ADMIN_USERNAME = "admin"
COMMITTEE_USERNAME = "expert"


def demo_accounts_ensure(*, password: str) -> list[tuple[User, bool]]:
    """Each demo account and whether it was created now; existing accounts are left as they are."""
    accounts = []
    for username, role, acronym in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is not None:
            accounts.append((user, False))
            continue
        organization = Organization.objects.get(acronym=acronym) if acronym else None
        try:
            user = user_create(
                username=username,
                role=role,
                organization=organization,
                email=f"{username}@demo.example.org",
                password=password,
            )
        except ValidationError as error:
            raise DemoDataError(f"Cannot create the demo account {username!r}: {error}") from error
        accounts.append((user, True))
    return accounts


def demo_actor(username: str, *roles: str) -> User:
    """The demo account, or, when its owner changed its role or deactivated it, another active user who may act."""
    user = User.objects.filter(username=username, is_active=True, role__in=roles).first()
    user = user or User.objects.filter(is_active=True, role__in=roles).order_by("pk").first()
    if user is None:
        raise PermissionDenied(f"No active {' or '.join(roles)} user to record the demo data with.")
    return user


def demo_focal_points() -> dict[str, User]:
    """The active demo focal points, by the acronym of their organization."""
    usernames = [username for username, role, _acronym in DEMO_ACCOUNTS if role == Role.FOCAL_POINT]
    return {
        user.membership.organization.acronym: user
        for user in User.objects.filter(is_active=True, role=Role.FOCAL_POINT, username__in=usernames)
        .select_related("membership__organization")
        .order_by("-pk")
    }
