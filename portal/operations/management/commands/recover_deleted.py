"""`manage.py recover_deleted`: one organization's deleted records, back from a scratch restore of a backup."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.operations.backup import BackupError, Target
from portal.operations.recovery import KINDS, recovery_apply, recovery_plan


class Command(BaseCommand):
    help = (
        "Copy back the records of one organization (programs or points of contact) that a scratch database — a "
        "backup restored with `restore --database-url` — has and the live database no longer has, with their "
        "documents, partners, audiences and grants (portal/operations/recovery.py; docs/deployment.md). Lists "
        "them and changes nothing unless --apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from-database-url", required=True, help="the scratch database the backup went into")
        parser.add_argument(
            "--from-documents-dir", required=True, help="the scratch documents directory the backup went into"
        )
        parser.add_argument("--organization", required=True, help="the organization's acronym")
        parser.add_argument("--kind", choices=sorted(KINDS), default="programs")
        parser.add_argument("--apply", action="store_true", help="copy them back (without it: only list them)")

    def handle(self, *args, from_database_url, from_documents_dir, organization, kind, apply, **options):
        source = Target.from_url(from_database_url)
        try:
            plan = recovery_plan(source=source, kind=KINDS[kind], organization=organization)
            if not plan.ids:
                self.stdout.write(f"{organization} has every {kind} record the scratch database has: nothing to do.")
                return
            self.stdout.write(f"{len(plan.ids)} {kind} record(s) of {organization} deleted since the backup:")
            for pk, label in plan.labels.items():
                self.stdout.write(f"  #{pk} {label}")
            if not apply:
                self.stdout.write("Nothing changed: run again with --apply to copy them back.")
                return
            copied = recovery_apply(plan=plan, source=source, source_documents=Path(from_documents_dir))
        except BackupError as error:
            raise CommandError(str(error)) from None
        for table, rows in copied.items():
            self.stdout.write(f"  {table}: {rows} row(s)")
        self.stdout.write(self.style.SUCCESS(f"Recovered {len(plan.ids)} {kind} record(s) of {organization}."))
