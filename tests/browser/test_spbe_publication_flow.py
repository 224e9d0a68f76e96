"""SPBE, smart city and Satu Data as one, end to end in headless Chromium.

Dinkes imports its applications from a spreadsheet; DLH proposes a new application for its need, is warned
that Dinkes already runs a similar one, and sends the need anyway; Kominfo sees the warning, links the
application to the programme made from the need, makes the masterplan final and publishes it; an anonymous
browser reads the public page (also without JavaScript) and downloads the data package, which frictionless
validates. Screenshots at 1366 and 360 px go to test-artifacts/.
"""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import Workbook
from playwright.sync_api import expect

from demo.accounts import demo_accounts_create
from masterplan import services as masterplan_services
from opd.models import User
from opd.services import submissions as submission_services
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from spbe.models import ProgrammeApplication
from tests.masterplan.factories import fill_required_parts

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"
EXISTING = "Aplikasi Pengaduan Layanan Kesehatan"
PROPOSED = "Aplikasi Pengaduan Lingkungan Hidup"
NEED = "Pengaduan pencemaran lingkungan secara daring"
WIDE, NARROW = {"width": 1366, "height": 900}, {"width": 360, "height": 780}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def portal(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)
    element = Element.objects.get(code="ENV-WST") if Element.objects.filter(code="ENV-WST").exists() else None
    element = element or Element.objects.filter(pillar__code="ENV").first()
    submission = submission_services.submission_create(
        by=User.objects.get(username="staf.dlh"),
        data={
            "kind": "kebutuhan", "title": NEED, "pillar": element.pillar, "element": element,
            "current_condition": "Aduan pencemaran masuk lewat telepon dan tidak terlacak.",
            "proposed_solution": "Aplikasi pengaduan lingkungan daring.", "beneficiaries": "Warga",
            "expected_output": "Aplikasi", "expected_outcome": "Aduan tertangani", "indicator": "90% aduan selesai",
            "horizon": "short_term", "start_year": 2026, "end_year": 2027, "budget": 350_000_000,
            "funding_source": "apbd_kabupaten", "priority": "high",
        },
    )  # fmt: skip
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "purpose", "kind", "status", "hosting", "domains", "integrations"])
    sheet.append([EXISTING, "Pengaduan warga tentang layanan puskesmas dan RSUD", "Layanan publik", "Beroperasi",
                  "regional_dc", "services; applications", None])  # fmt: skip
    sheet.append(["Sistem Informasi Puskesmas", "Rekam medis puskesmas", "public_service", "in_development",
                  "regional_dc", "applications; data", EXISTING])  # fmt: skip
    path = tmp_path / "aplikasi-dinkes.xlsx"
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return submission, path


def log_in(browser, live_server, username, viewport=WIDE):
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="id-ID")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_test_id("user-menu").wait_for()
    return context, page


def test_import_overlap_warning_link_publish_and_download(browser, live_server, portal, screenshot, tmp_path):
    submission, spreadsheet = portal

    # 1. Dinkes imports its applications.
    context, page = log_in(browser, live_server, "staf.dinkes")
    page.goto("/spbe/aplikasi/")
    page.get_by_test_id("import-link").click()
    page.set_input_files("input[type=file]", str(spreadsheet))
    page.get_by_test_id("import-submit").click()
    expect(page.get_by_test_id("import-result")).to_contain_text("2")
    page.goto("/spbe/aplikasi/")
    expect(page.get_by_test_id("application-table")).to_contain_text(EXISTING)
    screenshot(page, "spbe-1-inventory-1366")
    page.set_viewport_size(NARROW)
    screenshot(page, "spbe-1-inventory-360")
    context.close()

    # 2. DLH proposes a new application for its need and is warned before sending.
    context, page = log_in(browser, live_server, "staf.dlh")
    page.goto(f"/usulan/{submission.pk}/")
    page.get_by_test_id("spbe-manage").click()
    form = page.get_by_test_id("propose-form")
    form.locator("input[name=name]").fill(PROPOSED)
    form.locator("textarea[name=purpose]").fill("Pengaduan warga tentang pencemaran lingkungan")
    form.locator("select[name=kind]").select_option("public_service")
    form.locator("input[name=domains][value=services]").check()
    page.get_by_test_id("propose-submit").click()
    expect(page.get_by_test_id("overlap-preview")).to_contain_text(EXISTING)
    screenshot(page, "spbe-2-overlap-preview-1366")
    page.get_by_test_id("propose-confirm").click()
    page.goto(f"/usulan/{submission.pk}/")
    page.locator("a[href$='/kirim/']").first.click()
    expect(page.get_by_test_id("overlap-warning")).to_contain_text(EXISTING)
    page.set_viewport_size(NARROW)
    screenshot(page, "spbe-3-warning-before-sending-360")
    page.locator("main form button[type=submit].btn-success").click()
    context.close()

    # 3. Kominfo sees the warning, approves, builds the programme and links the application to it.
    admin = User.objects.get(username="admin.kominfo")
    context, page = log_in(browser, live_server, "admin.kominfo")
    page.goto(f"/usulan/{submission.pk}/")
    expect(page.get_by_test_id("overlap-warning")).to_contain_text(EXISTING)
    screenshot(page, "spbe-4-review-1366")
    submission.refresh_from_db()
    submission_services.submission_approve(submission=submission, by=admin, reason="Lanjutkan, integrasikan.")
    masterplan = masterplan_services.masterplan_create(
        by=admin,
        data={"title": "Masterplan Smart City Kabupaten Mojokerto", "start_year": 2023, "end_year": 2032,
              "short_term_end_year": 2027, "vision": "Mojokerto cerdas", "missions": "Layanan publik digital"},
    )  # fmt: skip
    programme = masterplan_services.programme_create(
        masterplan=masterplan, by=admin, submissions=[submission],
        data={"title": "Kanal pengaduan lingkungan terpadu", "element": submission.element, "description": "",
              "lead_opd": submission.opd, "start_year": 2026, "end_year": 2027, "is_quick_win": False},
    )  # fmt: skip
    fill_required_parts(masterplan)  # profile, RPJMD, analyses, governance, indicators and budgets: final needs them
    page.goto(f"/masterplan/{masterplan.pk}/")
    page.get_by_test_id("spbe-chapter-link").click()
    page.get_by_role("link", name="Kanal pengaduan lingkungan terpadu").click()
    page.get_by_test_id("link-suggestion").first.click()
    expect(page.get_by_test_id("programme-applications")).to_contain_text(PROPOSED)
    expect(page.get_by_test_id("programme-domains")).to_contain_text("Layanan")
    assert ProgrammeApplication.objects.filter(programme=programme).count() == 1
    screenshot(page, "spbe-5-programme-links-1366")
    page.goto(f"/spbe/masterplan/{masterplan.pk}/")
    screenshot(page, "spbe-6-chapter-1366")
    page.set_viewport_size(NARROW)
    screenshot(page, "spbe-6-chapter-360")
    page.set_viewport_size(WIDE)

    # 4. The masterplan is made final and published.
    page.goto(f"/masterplan/{masterplan.pk}/")
    page.locator("form[action$='/final/'] button").click()
    page.get_by_test_id("publish-link").click()
    page.get_by_test_id("publish").click()
    public_url = page.get_by_test_id("public-link").get_attribute("href")
    context.close()

    # 5. An anonymous browser reads the public page (with and without JavaScript) and downloads the package.
    for viewport, name, scripts in ((WIDE, "1366", False), (NARROW, "360", True)):
        anonymous = browser.new_context(base_url=live_server.url, viewport=viewport, java_script_enabled=scripts)
        page = anonymous.new_page()
        response = page.goto(public_url)
        assert response.status == 200 and "no-cache" in response.headers["cache-control"]
        expect(page.get_by_test_id("public-title")).to_have_text("Masterplan Smart City Kabupaten Mojokerto")
        expect(page.locator("main")).to_contain_text("Kanal pengaduan lingkungan terpadu")
        if scripts:  # nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        screenshot(page, f"spbe-7-public-{name}")
        anonymous.close()

    frictionless = pytest.importorskip("frictionless")
    anonymous = browser.new_context(base_url=live_server.url)
    folder = tmp_path / "download"
    folder.mkdir()
    for file_name in ("datapackage.json", "program.csv", "program.json", "realisasi.csv"):
        response = anonymous.request.get(f"{public_url}{file_name}")
        assert response.ok, file_name
        (folder / file_name).write_bytes(response.body())
    anonymous.close()
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert "Kanal pengaduan lingkungan terpadu" in (folder / "program.csv").read_text(encoding="utf-8")
