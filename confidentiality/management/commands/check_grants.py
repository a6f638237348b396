from django.core.management.base import BaseCommand

from confidentiality.services import grants_mismatches, grants_rebuild, submission_models


class Command(BaseCommand):
    help = "Report every record whose grants differ from its state and audience; --fix rebuilds them."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Rebuild the grants of the records that differ.")

    def handle(self, *args, fix: bool = False, **options):
        total = 0
        for model in submission_models():
            ids = grants_mismatches(model)
            total += len(ids)
            label = model._meta.verbose_name_plural
            if not ids:
                self.stdout.write(f"{label}: grants match every record.")
                continue
            shown = ", ".join(map(str, ids[:50])) + (" …" if len(ids) > 50 else "")
            self.stdout.write(self.style.WARNING(f"{label}: {len(ids)} record(s) with mismatched grants: {shown}"))
            if fix:
                written = grants_rebuild(model, queryset=model._default_manager.filter(pk__in=ids))
                self.stdout.write(self.style.SUCCESS(f"{label}: rebuilt {written} grant row(s)."))
        if total and not fix:
            self.stdout.write("Run with --fix to rebuild them.")
            raise SystemExit(1)
        if not total:
            self.stdout.write(self.style.SUCCESS("No mismatches."))
