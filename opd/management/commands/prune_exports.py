from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opd.services.exports import submission_exports_fail_stale, submission_exports_prune


class Command(BaseCommand):
    help = (
        "Delete finished submission exports (rows and files) older than SUBMISSION_EXPORT_RETENTION_DAYS, and mark "
        "failed the ones whose worker vanished. Safe to run at any time (e.g. daily from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="keep this many days instead of the setting")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        stale = submission_exports_fail_stale()
        deleted = submission_exports_prune(days=days)
        days = settings.SUBMISSION_EXPORT_RETENTION_DAYS if days is None else days
        self.stdout.write(f"Exports: {deleted} older than {days} days deleted, {stale} stale marked failed.")
