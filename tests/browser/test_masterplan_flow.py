"""Kominfo builds a programme from an approved submission and generates the PDF; the Bupati's office downloads it.

Runs the real thing: live server, headless Chromium, a Celery worker process on the configured broker,
WeasyPrint. The worker must see the test database, so this needs PostgreSQL (required in CI).
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.accounts import demo_accounts_create
from masterplan import services as masterplan_services
from opd.models import Opd, User
from opd.services import submissions as submission_services
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.services import need
from tests.worker import running_worker, worker_database_url

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"
TITLE = "Rekam medis elektronik puskesmas"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def portal(transactional_db, settings, tmp_path):
    need(connection.vendor == "postgresql", "the worker process must share the test database: needs PostgreSQL")
    settings.MEDIA_ROOT = tmp_path
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)
    staff, admin = User.objects.get(username="staf.dinkes"), User.objects.get(username="admin.kominfo")
    element = Element.objects.get(code="LIV-HEA")
    submission = submission_services.submission_create(
        by=staff,
        data={
            "kind": "kebutuhan",
            "title": TITLE,
            "pillar": element.pillar,
            "element": element,
            "current_condition": "Rekam medis masih kertas.",
            "proposed_solution": "Aplikasi rekam medis elektronik.",
            "beneficiaries": "Pasien",
            "expected_output": "Aplikasi",
            "expected_outcome": "Layanan cepat",
            "indicator": "100% puskesmas",
            "horizon": "short_term",
            "start_year": 2026,
            "end_year": 2028,
            "budget": 2_750_000_000,
            "funding_source": "apbd_kabupaten",
            "priority": "high",
        },
    )
    submission = submission_services.submission_submit(submission=submission, by=staff)
    submission_services.submission_approve(submission=submission, by=admin)
    masterplan = masterplan_services.masterplan_create(
        by=admin,
        data={
            "title": "Masterplan Smart City Uji",
            "start_year": 2023,
            "end_year": 2032,
            "short_term_end_year": 2027,
            "vision": "Mojokerto cerdas",
            "missions": "Layanan publik digital",
        },
    )
    assert Opd.objects.filter(code="DINKES").exists()
    env = {"DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(tmp_path)}
    with running_worker(env) as worker:
        yield masterplan, submission
    assert "Traceback" not in worker.log, worker.log


def log_in(browser, live_server, username):
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_test_id("user-menu").wait_for()
    return context, page


def test_kominfo_builds_a_programme_and_the_bupatis_office_downloads_the_pdf(browser, live_server, portal, screenshot):
    masterplan, submission = portal
    context, page = log_in(browser, live_server, "admin.kominfo")
    page.goto(f"/masterplan/{masterplan.pk}/")
    page.get_by_test_id("assembly-link").click()
    page.locator(f"input[name=submission][value='{submission.pk}']").check()
    screenshot(page, "masterplan-1-assembly")
    page.locator("form[action$='/program/baru/'] button[type=submit]").click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.locator("button[type=submit].btn-primary").last.click()
    expect(page.get_by_test_id("short-term-count")).to_have_text("1")
    expect(page.locator(".programme-table")).to_contain_text(TITLE)
    screenshot(page, "masterplan-2-roadmap")

    page.get_by_test_id("generate-pdf").click()
    expect(page.locator("#export-rows progress, #export-rows [data-testid=export-download]").first).to_be_visible()
    screenshot(page, "masterplan-3-rendering")
    expect(page.get_by_test_id("export-download")).to_be_visible(timeout=120_000)
    screenshot(page, "masterplan-4-done")
    context.close()

    context, page = log_in(browser, live_server, "pimpinan")
    page.goto(f"/masterplan/{masterplan.pk}/")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-download").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    text = "\n".join(page_.extract_text() or "" for page_ in PdfReader(io.BytesIO(content)).pages)
    assert "Masterplan Smart City Uji" in text
    assert re.search(r"Rekam medis elektronik\s+puskesmas", text)
    context.close()
