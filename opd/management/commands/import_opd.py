from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opd.services.opd_import import OpdImportError, opd_import_csv


class Command(BaseCommand):
    help = "Create or update OPD units from a CSV file (code,name,short_name,kind[,is_active]). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("csv_path", type=Path)

    def handle(self, *args, csv_path: Path, **options):
        try:
            data = csv_path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {csv_path}: {error.strerror}") from None
        try:
            result = opd_import_csv(data=data)
        except OpdImportError as error:
            raise CommandError(f"{csv_path} was not imported; nothing changed.\n" + "\n".join(error.errors)) from None
        self.stdout.write(
            f"OPD: {len(result.created)} created, {len(result.updated)} updated, {len(result.unchanged)} unchanged."
        )
