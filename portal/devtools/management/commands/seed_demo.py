"""`manage.py seed_demo [--programs N]`: demo accounts, N realistic programs, and a fixed set of demo points of
contact, demarches and IGO-table interactions, for development and benchmarks (the library: `portal.devtools.demo`).

Idempotent: a re-run only adds what is missing. Refuses to run with production settings.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.devtools.demo import DemoDataError
from portal.devtools.demo.accounts import DEFAULT_DEMO_PASSWORD
from portal.devtools.demo.organizations import reference_organizations_missing
from portal.devtools.demo.seed import DemoSeeded, demo_counts, demo_seed

DEFAULT_PROGRAMS = 300


class Command(BaseCommand):
    help = (
        "Create demo accounts (one per role), N demo programs, and demo points of contact, demarches and "
        "interactions. Refuses to run with production settings."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--programs",
            type=int,
            default=DEFAULT_PROGRAMS,
            help=f"How many demo programs there should be in total (default {DEFAULT_PROGRAMS}).",
        )

    def handle(self, *args, programs: int, **options) -> None:
        if is_production():
            raise CommandError("seed_demo refuses to run with production settings.")
        if programs < 0:
            raise CommandError("--programs must be zero or more.")
        if reference_organizations_missing():
            call_command("seed_reference", stdout=self.stdout)
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        try:
            seeded = demo_seed(programs=programs, password=password)
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        self._report(seeded, programs, password)

    def _report(self, seeded: DemoSeeded, total: int, password: str) -> None:
        self.stdout.write(self.style.SUCCESS(f"Demo programs: {seeded.programs} created, {total} in total."))
        counts = demo_counts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo points of contact: {seeded.contacts} created, {counts['contacts']} in total; "
                f"demarches: {seeded.demarches} created, {counts['demarches']} in total; "
                f"interactions: {seeded.interactions} created, {counts['interactions']} in total."
            )
        )
        for reason in seeded.skipped:
            self.stdout.write(f"  skipped: {reason}")
        self.stdout.write("Demo accounts (username / password / role):")
        for user, is_new in seeded.accounts:
            membership = getattr(user, "membership", None)
            where = f" @ {membership.organization.acronym}" if membership else ""
            secret = password if is_new or user.check_password(password) else "(changed by its owner)"
            self.stdout.write(f"  {user.username:<10} {secret:<20} {user.get_role_display()}{where}")


def is_production() -> bool:
    return (getattr(settings, "SETTINGS_MODULE", "") or "").endswith("production")
