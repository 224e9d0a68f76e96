"""A Kominfo admin filters the review queue, exports it as XLSX, watches the progress and downloads the file.

Runs the real thing: live server, headless Chromium and a Celery worker process on the configured broker.
The worker must see the test database, so this needs PostgreSQL (required in CI).
"""

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from openpyxl import load_workbook
from playwright.sync_api import expect

from demo.accounts import demo_accounts_create
from opd.models import User
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.opd.submission_factories import SubmissionFactory, sent
from tests.services import need
from tests.worker import running_worker, worker_database_url

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"

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
    dinkes, dlh = User.objects.get(username="staf.dinkes"), User.objects.get(username="staf.dlh")
    for number in range(40):
        sent(SubmissionFactory(opd=dinkes.opd, created_by=dinkes, title=f"Layanan kesehatan {number}"))
    for number in range(7):
        sent(SubmissionFactory(opd=dlh.opd, created_by=dlh, title=f"Layanan lingkungan {number}"))
    env = {"DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(tmp_path)}
    with running_worker(env) as worker:
        yield dinkes.opd
    assert "Traceback" not in worker.log, worker.log


def test_kominfo_filters_the_queue_exports_xlsx_and_downloads_it(browser, live_server, portal, screenshot):
    dinkes = portal
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", "admin.kominfo")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_test_id("user-menu").wait_for()

    page.goto("/usulan/")
    page.select_option("#id_opd", str(dinkes.pk))
    page.select_option("#id_status", "")
    page.locator("form.filter-form [type=submit]").first.click()
    expect(page.locator("form.filter-form #id_opd")).to_have_value(str(dinkes.pk))
    screenshot(page, "export-1-filtered-queue")

    page.get_by_test_id("export-xlsx").click()
    expect(page).to_have_url(re.compile(r"/usulan/ekspor/#export-\d+$"))
    row = page.locator("#export-rows tr").first
    expect(row.locator("progress, [data-testid=export-download]").first).to_be_visible()
    screenshot(page, "export-2-progress")
    expect(row.get_by_test_id("export-download")).to_be_visible(timeout=60_000)
    screenshot(page, "export-3-done")

    with page.expect_download() as download_info:
        row.get_by_test_id("export-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    rows = list(load_workbook(io.BytesIO(Path(download.path()).read_bytes())).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 41
    assert {row[4] for row in rows[1:]} == {dinkes.code}
    assert {row[3] for row in rows[1:]} == {f"Layanan kesehatan {number}" for number in range(40)}
    context.close()
