import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mojokerto_portal.benchdata import SIZES, generate


class Command(BaseCommand):
    help = (
        "Replace every submission, masterplan and account (but superusers) by generated benchmark data "
        "of size S, M or L. Refuses to run when DEBUG is off: the accounts get a known password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--size", required=True, choices=sorted(SIZES), help="S: 1,000 submissions; M: 10×; L: 100×."
        )
        parser.add_argument(
            "--pdf-masterplans",
            default="",
            help="Comma-separated programme counts of extra masterplans for the PDF benchmark, e.g. 50,200,1000.",
        )
        parser.add_argument("--yes", action="store_true", help="Confirm that all existing data may be deleted.")

    def handle(self, *args, size: str, pdf_masterplans: str, yes: bool, **options):
        if not settings.DEBUG:
            raise CommandError(
                "generate_bench_data refuses to run with DEBUG off: it deletes data and sets known passwords."
            )
        if not yes:
            raise CommandError("generate_bench_data deletes every submission, masterplan and account: add --yes.")
        try:
            extra = tuple(int(part) for part in pdf_masterplans.split(",") if part.strip())
        except ValueError:
            raise CommandError("--pdf-masterplans takes whole numbers separated by commas, e.g. 50,200,1000.") from None
        if any(number < 1 or number > 20_000 for number in extra):
            raise CommandError("--pdf-masterplans: each count must be between 1 and 20000.")
        password = os.environ.get("BENCH_PASSWORD") or "bench-password-2022"
        started = time.monotonic()
        self.stdout.write(f"Generating size {size}…")
        counts = generate(size=SIZES[size], password=password, pdf_programmes=extra, log=self.stdout.write)
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s: {counts}")
