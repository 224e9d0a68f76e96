from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump -Fc) and the media files into a new folder "
        "portal-backup-<UTC time>/ with a manifest of row counts and checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, default=None, help="folder to write the backup into (default: BACKUP_DIR)"
        )
        parser.add_argument("--keep", type=int, default=None, help="then remove all but the newest KEEP backups there")

    def handle(self, *args, output, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            path = create_backup(output=output or Path(settings.BACKUP_DIR), keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
