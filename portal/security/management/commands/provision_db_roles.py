"""Give the running portal its own database role, with the rights it needs and no more (see database_roles)."""

import getpass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.security.database_roles import OWNER_DATABASE, RoleError, app_role_provision


class Command(BaseCommand):
    help = (
        "Create or update the application's PostgreSQL login role (not a superuser, owning nothing): it reads and "
        "writes rows, and may only append to the sharing audit and the security log. Runs as the owner "
        "(MIGRATION_DATABASE_URL, else DATABASE_URL) after `migrate`; running it again changes nothing. The "
        "password is DATABASE_URL's when DATABASE_URL names the role, or asked for with --prompt-password; "
        "otherwise a new role gets none and an existing one keeps its own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--app-role",
            default=None,
            help="the role's name (default: the user DATABASE_URL names, when it is not the owner)",
        )
        parser.add_argument("--prompt-password", action="store_true", help="ask for the role's new password")

    def handle(self, *args, app_role: str | None, prompt_password: bool, **options):
        application = settings.DATABASES["default"]
        role = app_role or application.get("USER")
        if not role or (not app_role and role == settings.DATABASES[OWNER_DATABASE].get("USER")):
            raise CommandError("Name the application's role with --app-role (DATABASE_URL names the owner).")
        if prompt_password:
            password = self._password_asked(role)
        else:
            password = application.get("PASSWORD") if application.get("USER") == role else None
        try:
            created = app_role_provision(role=role, password=password or None)
        except RoleError as error:
            raise CommandError(str(error)) from None
        done = "Created" if created else "Updated"
        self.stdout.write(self.style.SUCCESS(f"{done} the application's database role “{role}”."))

    def _password_asked(self, role: str) -> str:
        password = getpass.getpass(f"Password for {role}: ")
        if not password or password != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ or are empty; nothing was changed.")
        return password
