"""`manage.py backup`: the database and the documents, together, into one archive with a manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.operations.backup import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = (
        "Write one consistent archive of the database (pg_dump, custom format) and the documents directory, with a "
        "manifest of versions, row counts and SHA-256 checksums (portal/operations/backup.py). Runs as the owner "
        "(MIGRATION_DATABASE_URL, else DATABASE_URL). Prints the archive's path."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=None,
            help="where archives are written (default: BACKUP_DIR; keep it off the database's disk)",
        )
        parser.add_argument(
            "--directory", action="store_true", help="write a directory instead of one tar file (the same content)"
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="after a successful backup, remove all but the KEEP newest archives in the output directory",
        )
        parser.add_argument("--database", default="migration", help="the database alias to dump (default: the owner's)")

    def handle(self, *args, output_dir: str | None, directory: bool, keep: int | None, database: str, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        output_dir = output_dir or str(settings.BACKUP_DIR)
        try:
            result = backup_create(output_dir=Path(output_dir), database=database, as_tar=not directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        documents = result.manifest["documents"]
        rows = sum(result.manifest["tables"].values())
        self.stderr.write(
            f"Backed up {len(result.manifest['tables'])} tables ({rows} rows) and {documents['count']} documents "
            f"({documents['bytes']} bytes)."
        )
        if documents["missing"]:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(documents['missing'])} document(s) named by the database were not in the storage "
                    f"(listed under documents.missing in the manifest): {', '.join(documents['missing'][:10])}"
                )
            )
        if keep is not None:
            for removed in backups_prune(output_dir=Path(output_dir), keep=keep):
                self.stderr.write(f"Removed the older archive {removed}.")
        self.stdout.write(str(result.path))
