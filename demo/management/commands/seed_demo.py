import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from demo.accounts import DEMO_ACCOUNTS, demo_accounts_create
from demo.bimtek import demo_bimtek_create
from demo.evaluation import YEAR, demo_evaluation_create
from demo.masterplan import demo_masterplan_create
from demo.publication import demo_publication_create
from demo.spbe import demo_spbe_create
from demo.submissions import demo_submissions_create
from opd.models import Opd, User


class Command(BaseCommand):
    help = "Create the demo accounts (password from DEMO_PASSWORD). Refuses to run when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument("--reset-passwords", action="store_true", help="Set existing demo accounts' password too.")

    def handle(self, *args, reset_passwords: bool = False, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo refuses to run with DEBUG off: demo accounts have a known password.")
        needed = {a.opd_code for a in DEMO_ACCOUNTS if a.opd_code}
        missing = needed - set(Opd.objects.filter(code__in=needed).values_list("code", flat=True))
        if missing:
            raise CommandError(f"Import the OPD list first (import_opd); missing: {', '.join(sorted(missing))}.")
        password = os.environ.get("DEMO_PASSWORD") or "mojokerto2022"
        created = demo_accounts_create(password=password, reset_passwords=reset_passwords)
        self.stdout.write(f"Demo accounts: {len(created)} created, {len(DEMO_ACCOUNTS) - len(created)} already there.")
        # Demo history is made up: nobody should be e-mailed about it.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            count = demo_submissions_create(password=password)
        self.stdout.write(f"Demo submissions: {count} created." if count else "Demo submissions: already there.")
        admin = User.objects.get(username="admin.kominfo")
        masterplan = demo_masterplan_create(admin=admin)
        self.stdout.write(
            f"Demo masterplan: {masterplan.programmes.count()} programmes."
            if masterplan
            else "Demo masterplan: already there."
        )
        stages = demo_bimtek_create(admin=admin)
        self.stdout.write(
            f"Demo Bimtek: {stages} past stages with attendance." if stages else "Demo Bimtek: already there."
        )
        inventory = demo_spbe_create(admin=admin)
        self.stdout.write(
            "Demo SPBE inventory: {} applications, {} datasets.".format(*inventory)
            if inventory
            else "Demo SPBE inventory: already there."
        )
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            reports = demo_evaluation_create(admin=admin)
        self.stdout.write(
            f"Demo monitoring: {reports} programme reports on {YEAR}." if reports else "Demo monitoring: already there."
        )
        publication = demo_publication_create(admin=admin)
        self.stdout.write(
            f"Demo open data: published at /terbuka/{publication.slug}/."
            if publication
            else "Demo open data: already there."
        )
