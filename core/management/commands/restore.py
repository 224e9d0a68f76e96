import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backups import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup`: check its checksums, replace the database (pg_restore) "
        "and the media files, then compare every table's row count and every file's checksum with the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", type=Path, required=True, help="the portal-backup-... folder to restore")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--check-only", action="store_true", help="only verify the backup's checksums")

    def handle(self, *args, **options):
        backup, yes = options["input"], options["yes"]
        try:
            manifest = verify_backup(backup)
        except BackupError as error:
            raise CommandError(f"Nothing was restored. {error}") from None
        files = manifest["media"]["files"]
        self.stdout.write(
            f"Backup of {manifest['created_at']}: {len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows, {len(files)} media files; checksums verified."
        )
        if options["check_only"]:
            return
        media = (
            f"bucket {settings.STORAGES['default']['OPTIONS']['bucket_name']}"
            if settings.MEDIA_STORAGE == "s3"
            else (f"media folder {settings.MEDIA_ROOT}")
        )
        target = f"database {connection.settings_dict['NAME']!r} and the {media}"
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError(f"Nothing was restored: this replaces {target}; pass --yes to confirm.")
            answer = input(f"This replaces {target}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing was restored.")
        try:
            report = restore_backup(path=backup)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for note in report.notes:
            self.stdout.write(f"Note: {note}")
        if report.problems:
            for problem in report.problems:
                self.stderr.write(f"Mismatch: {problem}")
            raise CommandError(f"The restore does not match the backup ({len(report.problems)} problem(s)).")
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored and verified: {report.tables} tables with {report.rows} rows, {report.files} media files."
            )
        )
