"""Without JavaScript an OPD operator still logs in, creates a submission with a file, sends it and logs out.

Also the screenshots of the forms and Kominfo's account pages at desktop and phone width (test-artifacts/).
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.accounts import demo_accounts_create
from opd.models import Submission, User
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

from .test_submission_flow import png_bytes

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"
WIDTHS = {"desktop": 1366, "phone": 360}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_portal(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)


def new_page(browser, live_server, *, javascript: bool, width: int = 1366):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("response", lambda response: errors.append(response.url) if response.status >= 500 else None)
    return context, page, errors


def log_in(page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_an_operator_does_everything_without_javascript(browser, live_server, demo_portal, screenshot):
    context, page, server_errors = new_page(browser, live_server, javascript=False)
    try:
        log_in(page, "staf.dinkes")
        page.goto("/usulan/baru/")
        page.select_option("#id_kind", "kebutuhan")
        page.fill("#id_title", "Antrean daring Puskesmas (tanpa JavaScript)")
        # Without htmx the element list is not narrowed: every element is offered, grouped by pillar.
        page.select_option("#id_pillar", label="Smart Living")
        page.select_option("#id_element", str(Element.objects.get(code="LIV-HEA").pk))
        for name, text in {
            "current_condition": "Pasien mengantre sejak subuh.",
            "proposed_solution": "Aplikasi antrean daring.",
            "beneficiaries": "Pasien Puskesmas.",
            "expected_output": "Satu aplikasi.",
            "expected_outcome": "Waktu tunggu turun.",
            "indicator": "90% antrean daring.",
        }.items():
            page.fill(f"#id_{name}", text)
        page.select_option("#id_horizon", "short_term")
        page.fill("#id_start_year", "2026")
        page.fill("#id_end_year", "2027")
        page.fill("#id_budget", "250.000.000")
        page.select_option("#id_funding_source", "apbd_kabupaten")
        page.select_option("#id_priority", "high")
        expect(page.locator("#evidence")).to_contain_text("10 MB")
        page.set_input_files(
            "#id_files",
            files=[
                {"name": "foto-antrean.png", "mimeType": "image/png", "buffer": png_bytes()},
                {"name": "denah.png", "mimeType": "image/png", "buffer": png_bytes(8, 8)},
            ],
        )
        page.locator("button[name=check]").click()

        expect(page).to_have_url(re.compile(r"/usulan/\d+/kirim/$"))
        expect(page.get_by_test_id("check-attachments")).to_contain_text("foto-antrean.png")
        expect(page.get_by_test_id("check-attachments")).to_contain_text("denah.png")
        page.get_by_test_id("send-to-kominfo").click()
        expect(page).to_have_url(re.compile(r"/usulan/\d+/$"))
        submission = Submission.objects.get(title__startswith="Antrean daring")
        assert submission.reference and submission.attachments.count() == 2

        page.get_by_test_id("user-menu").first.click()  # a <details> menu opens without scripts
        page.locator("form[action$='/akun/keluar/'] button[type=submit]").first.click()
        page.goto("/usulan/")
        expect(page).to_have_url(re.compile(r"/akun/masuk/\?next="))
        assert server_errors == []
    finally:
        context.close()


def test_screenshots_of_the_forms_and_the_account_pages(browser, live_server, demo_portal, screenshot):
    staff = User.objects.get(username="staf.dinkes")
    for label, width in WIDTHS.items():
        context, page, server_errors = new_page(browser, live_server, javascript=True, width=width)
        try:
            log_in(page, "staf.dinkes")
            page.goto("/usulan/baru/")
            screenshot(page, f"forms-new-submission-{label}")
            page.fill("#id_title", "x")
            page.set_input_files(
                "#id_files", files=[{"name": "bukan.pdf", "mimeType": "application/pdf", "buffer": b"x"}]
            )
            page.locator("button[name=save]").click()
            expect(page.get_by_test_id("error-summary").first).to_be_visible()
            screenshot(page, f"forms-new-submission-errors-{label}")
            submission = Submission.objects.filter(opd=staff.opd).first() or _draft(page)
            page.goto(f"/usulan/{submission.pk}/kirim/")
            screenshot(page, f"forms-check-page-{label}")
            context.close()

            context, page, server_errors = new_page(browser, live_server, javascript=True, width=width)
            log_in(page, "admin.kominfo")
            page.goto("/opd/")
            screenshot(page, f"accounts-opd-list-{label}")
            dinkes = staff.opd
            page.goto(f"/opd/{dinkes.pk}/")
            screenshot(page, f"accounts-opd-detail-{label}")
            page.fill("#id_username", f"operator.{label}")
            page.fill("#id_first_name", "Operator")
            page.locator("main form button[type=submit]").click()
            expect(page.get_by_test_id("setup-link")).to_be_visible()
            screenshot(page, f"accounts-one-time-link-{label}")
            page.goto(f"/opd/akun/{staff.pk}/")
            screenshot(page, f"accounts-account-{label}")
            page.goto("/opd/impor/")
            page.set_input_files(
                "#id_csv_file",
                files=[
                    {"name": "opd.csv", "mimeType": "text/csv", "buffer": b"code,name,short_name,kind\nX,,X,planet\n"}
                ],
            )
            page.locator("main form button[type=submit]").click()
            expect(page.get_by_test_id("import-errors")).to_be_visible()
            screenshot(page, f"accounts-import-errors-{label}")
            width_used = page.evaluate("document.documentElement.scrollWidth")
            assert width_used <= width, f"the import page is {width_used} px wide at {width} px"
            assert server_errors == []
        finally:
            context.close()


def _draft(page) -> Submission:
    page.goto("/usulan/baru/")
    page.select_option("#id_kind", "kebutuhan")
    page.fill("#id_title", "Draf untuk halaman periksa")
    page.locator("button[name=save]").click()
    return Submission.objects.get(title="Draf untuk halaman periksa")
