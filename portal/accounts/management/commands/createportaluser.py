"""Create a portal account with its role (and organization, for IRO roles) from the command line, or invite
someone to it (`--invite`: the invitee sets the password through the e-mailed link)."""

import getpass
import os

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from iros.models import Organization
from portal.accounts.models import ORGANIZATION_ROLES, Role
from portal.accounts.services import api_token_create_for_automation, invitation_create, user_create

PASSWORD_ENV = "PORTAL_USER_PASSWORD"


class Command(BaseCommand):
    help = (
        "Create a portal user. ROLE is one of: committee, focal_point, member, admin. --org (an organization's "
        "acronym) is required for focal_point and member and refused for the others. With --noinput the password "
        f"comes from the {PASSWORD_ENV} environment variable. --token NAME prints a new API token, once. With "
        "--invite no password is set: an invitation to USERNAME is e-mailed to --email, whose link lets the invitee "
        "choose the password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        # Validated here rather than with argparse `choices`, so every mistake reads the same way.
        parser.add_argument("--role", required=True, help="committee, focal_point, member or admin")
        parser.add_argument("--org", dest="org", default=None, help="acronym of the user's organization")
        parser.add_argument("--email", default="")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument(
            "--token", metavar="NAME", default=None, help="also make an API token named NAME and print its key once"
        )
        parser.add_argument(
            "--invite",
            action="store_true",
            help="e-mail an invitation to --email instead of setting a password (the account opens when accepted)",
        )

    def handle(
        self, *args, username: str, role: str, org: str | None, email: str, interactive: bool, invite: bool, **options
    ):
        organization = self._organization_for(role=role, acronym=org)
        if invite:
            self._invite(username=username, role=role, organization=organization, email=email)
            return
        password = self._password(interactive=interactive)
        token_name = options["token"]
        try:
            # One transaction: a token name the model refuses leaves no account behind either.
            with transaction.atomic():
                user = user_create(
                    username=username, role=role, organization=organization, email=email, password=password
                )
                issued = None if token_name is None else api_token_create_for_automation(user=user, name=token_name)
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        where = f" at {organization.acronym}" if organization else ""
        self.stdout.write(self.style.SUCCESS(f"Created {Role(user.role).label} “{user.username}”{where}."))
        if issued is not None:
            api_token, key = issued
            # The key alone on the last line, for scripts: it is not stored and cannot be shown again.
            self.stdout.write(f"API token “{api_token.name}”, expires {api_token.expires_at:%Y-%m-%d}, shown only now:")
            self.stdout.write(key)

    def _invite(self, *, username: str, role: str, organization: Organization | None, email: str) -> None:
        if not email:
            raise CommandError("--invite needs --email: the invitation is sent there.")
        try:
            invitation = invitation_create(username=username, role=role, organization=organization, email=email)
        except ValidationError as error:
            raise CommandError(_describe(error)) from None
        where = f" at {organization.acronym}" if organization else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Invited “{username}” ({Role(role).label}{where}): the link was sent to {invitation.email} and works "
                f"until {invitation.expires:%Y-%m-%d %H:%M %Z}."
            )
        )

    def _organization_for(self, *, role: str, acronym: str | None) -> Organization | None:
        if role not in Role.values:
            raise CommandError(f"Unknown role “{role}”: use one of {', '.join(Role.values)}.")
        if role in ORGANIZATION_ROLES and not acronym:
            raise CommandError(f"--org is required for the {role} role (the acronym of the user's organization).")
        if role not in ORGANIZATION_ROLES and acronym:
            raise CommandError(f"--org is not allowed for the {role} role: it belongs to no organization.")
        if not acronym:
            return None
        # Acronyms are stored in capitals; accept "osce" for "OSCE".
        organization = Organization.objects.filter(acronym=acronym.strip().upper()).first()
        if organization is None:
            raise CommandError(f"No organization with the acronym “{acronym}”.")
        return organization

    def _password(self, *, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_ENV)
            if not password:
                raise CommandError(f"--noinput needs the password in the {PASSWORD_ENV} environment variable.")
            return password
        try:
            password = getpass.getpass("Password: ")
            again = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt):
            raise CommandError("Cancelled: no user created.") from None
        if not password:
            raise CommandError("The password cannot be blank.")
        if password != again:
            raise CommandError("The passwords do not match.")
        return password


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(
            " ".join(messages) if field == NON_FIELD_ERRORS else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
