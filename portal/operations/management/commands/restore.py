"""`manage.py restore ARCHIVE`: a backup into an empty database and an empty documents directory."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.operations.backup import BackupError, Target, backup_restore, documents_root
from portal.security.database_roles import OWNER_DATABASE, RoleError, app_role_provision


class Command(BaseCommand):
    help = (
        "Restore an archive written by `backup` (a tar file or a directory) into an EMPTY database and an empty or "
        "absent documents directory: the archive is checked against its manifest's checksums first, a non-empty "
        "target is refused, and nothing is left half-done. Then the row counts are compared with the manifest and, "
        "when the portal connects as its own role, that role's privileges are granted again (provision_db_roles)."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive: portal-backup-<time>.tar or its directory")
        parser.add_argument(
            "--database-url",
            default=None,
            help="restore into this database instead of the portal's (e.g. a scratch database to copy rows from)",
        )
        parser.add_argument(
            "--documents-dir",
            default=None,
            help="restore the documents here instead of the portal's documents directory",
        )

    def handle(self, *args, archive: str, database_url: str | None, documents_dir: str | None, **options):
        target = Target.from_url(database_url) if database_url else Target.from_settings(OWNER_DATABASE)
        try:
            documents = Path(documents_dir) if documents_dir else documents_root()
            result = backup_restore(archive=Path(archive), target=target, documents_dir=documents)
        except BackupError as error:
            raise CommandError(str(error)) from None
        expected = result.manifest["tables"]
        differing = sorted(
            table for table in expected.keys() | result.counts.keys() if expected.get(table) != result.counts.get(table)
        )
        if differing:
            raise CommandError(
                f"Restored, but the row counts differ from the manifest for: {', '.join(differing)}. "
                "Do not serve from this database before finding out why."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {len(expected)} tables ({sum(expected.values())} rows, counts as in the manifest) into "
                f"{target.name} and {result.documents} documents (checksums as in the manifest) into {documents}, "
                f"from the backup of {result.manifest['created']}."
            )
        )
        if not database_url:
            self._provision_application_role()

    def _provision_application_role(self):
        role = settings.DATABASES["default"].get("USER")
        if not role or role == settings.DATABASES[OWNER_DATABASE].get("USER"):
            return  # one role for everything (development): it owns what it restored
        try:
            app_role_provision(role=role)
        except RoleError as error:
            raise CommandError(f"Restored, but the application's role could not be provisioned: {error}") from None
        self.stdout.write(f"Granted the application's role “{role}” its privileges again.")
