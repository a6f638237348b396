from django.core.management.base import BaseCommand, CommandError

from confidentiality.services import grants_mismatches, grants_rebuild, submission_models

SHOWN = 50


class Command(BaseCommand):
    help = "Report every record whose grants differ from its state and audience; --fix rebuilds them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Rebuild the grants of the records that differ.")

    def handle(self, *args, fix: bool = False, **options):
        total = 0
        for model in submission_models():
            ids = grants_mismatches(model)
            total += len(ids)
            label = model._meta.label_lower
            if not ids:
                self.stdout.write(f"{label}: grants match every record.")
                continue
            shown = ", ".join(f"#{pk}" for pk in ids[:SHOWN]) + (
                f" … and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
            )
            self.stdout.write(self.style.WARNING(f"{label}: {len(ids)} record(s) with mismatched grants: {shown}"))
            if fix:
                written = grants_rebuild(model, queryset=model._default_manager.filter(pk__in=ids))
                remaining = grants_mismatches(model)
                if remaining:
                    raise CommandError(f"{label}: {len(remaining)} record(s) still differ after the rebuild.")
                self.stdout.write(
                    self.style.SUCCESS(f"{label}: rebuilt {written} grant row(s) for {len(ids)} record(s).")
                )
        if total and not fix:
            # A non-zero exit lets monitoring and CI notice an index that no longer matches the records.
            raise CommandError(
                f"{total} record(s) with mismatched grants. Run with --fix to rebuild them.", returncode=1
            )
        if not total:
            self.stdout.write(self.style.SUCCESS("No mismatches."))
