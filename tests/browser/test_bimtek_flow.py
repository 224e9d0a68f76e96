"""The Bimtek flow in headless Chromium: Kominfo creates two stages and a session; two OPDs name their fixed
participants; Kominfo records one OPD's attendance on its screen; on a 360 px phone, without an account, a
participant of that OPD checks in (twice: the second changes nothing) and someone checks in as the other
OPD's representative; the continuity report (and the Bupati's dashboard) shows that OPD highlighted; the
Bupati's office has the continuity recap PDF made by a real Celery worker and downloads it.

The worker is a separate process, so it must share the test database: that last part needs PostgreSQL (as
tests/browser/test_masterplan_flow.py); on SQLite everything before it runs and the test then says it skipped.

Screenshots at 1366 px and 360 px go to test-artifacts/bimtek-*.png.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from bimtek.models import Attendance
from demo.accounts import demo_accounts_create
from masterplan import services as masterplan_services
from opd.models import Opd, User
from tests.services import need
from tests.worker import running_worker, worker_database_url

PASSWORD = "demo-browser-2026"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 740}
RATNA, AGUS, SITI, STRANGER = "198503122010012001", "198806152012011002", "197912012005012003", "199001012015031004"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def portal(transactional_db, settings, tmp_path):
    """Four OPDs (Dinkes and DLH with operators), the demo accounts and a masterplan; files under tmp_path."""
    settings.MEDIA_ROOT = tmp_path
    for code, name, short in [
        ("DINKES", "Dinas Kesehatan", "Dinkes"),
        ("DLH", "Dinas Lingkungan Hidup", "DLH"),
        ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
        ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ]:
        Opd.objects.create(code=code, name=name, short_name=short, kind=Opd.Kind.DINAS)
    demo_accounts_create(password=PASSWORD)
    return masterplan_services.masterplan_create(
        by=User.objects.get(username="admin.kominfo"),
        data={"title": "Masterplan Smart City Uji", "start_year": 2023, "end_year": 2032, "short_term_end_year": 2027},
    )


class Person:
    """One browser context (desktop or phone), noting JavaScript errors, CSP refusals and server errors."""

    def __init__(self, browser, live_server, viewport: dict, username: str | None = None):
        self.context = browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport=viewport, accept_downloads=True
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda error: self.problems.append(f"JavaScript error {error}"))
        self.page.on("dialog", lambda dialog: dialog.accept())
        self.page.on(
            "console",
            lambda message: "Content Security Policy" in message.text and self.problems.append(message.text),
        )
        self.page.on(
            "response",
            lambda response: response.status >= 500 and self.problems.append(f"{response.status} {response.url}"),
        )
        if username:
            self.page.goto("/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.locator("main button[type=submit]").click()
            self.page.get_by_test_id("user-menu").wait_for(state="attached")  # in the folded menu on a phone

    def close(self) -> list[str]:
        self.context.close()
        return self.problems


def create_stage(page, masterplan, number: int, date: datetime.date, place: str, screenshot=None) -> None:
    page.goto(f"/bimtek/masterplan/{masterplan.pk}/")
    page.get_by_test_id("stage-create").click()
    expect(page.locator("input[name=invited_opds]:checked")).to_have_count(4)  # every active OPD, by default
    page.select_option("#id_number", str(number))
    page.fill("#id_theme", {1: "Analisis strategis", 2: "Analisis kesenjangan dan SWOT"}[number])
    page.fill("#id_start_date", date.isoformat())
    page.fill("#id_end_date", date.isoformat())
    page.check("input[name=mode][value=luring]")
    page.fill("#id_place", place)
    page.fill("#id_speakers", "Tenaga ahli Kominfo")
    if screenshot:
        screenshot(page, "bimtek-1-stage-form-1366")
    page.get_by_test_id("stage-save").click()
    expect(page).to_have_url(re.compile(r"/bimtek/tahap/\d+/$"))


def name_participants(page, people: list[tuple[str, str, str]], screenshot, name: str) -> None:
    page.goto("/bimtek/")
    page.get_by_test_id("participants-link").click()
    for full_name, nip, position in people:
        page.get_by_test_id("participant-add").click()
        page.fill("#id_name", full_name)
        page.fill("#id_nip", f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}")  # typed with the usual spaces
        page.fill("#id_position", position)
        page.get_by_test_id("participant-save").click()
        expect(page.get_by_test_id("participant-row").filter(has_text=full_name)).to_be_visible()
    screenshot(page, name)


def check_in(page, code: str, nip: str) -> None:
    page.goto("/bimtek/hadir/")
    page.fill("#id_code", code.lower())  # typed in lower case on a phone: accepted
    page.fill("#id_nip", nip)
    page.get_by_test_id("checkin-submit").click()


def test_bimtek_from_stages_to_the_continuity_report_and_its_pdf(browser, live_server, portal, screenshot, tmp_path):
    now = timezone.localtime()
    if now.time() > datetime.time(23, 50):
        pytest.skip("the session's check-in window must still be open for a few minutes today")
    today, problems = now.date(), []

    # Kominfo creates Tahap 1 (today) with a session that is on now, and Tahap 2 (next month).
    admin = Person(browser, live_server, DESKTOP, "admin.kominfo")
    page = admin.page
    create_stage(page, portal, 1, today, "Command Center Kabupaten Mojokerto", screenshot)
    page.get_by_test_id("session-create").click()
    page.fill("#id_title", "Hari 1: analisis strategis")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_start_time", max(now - datetime.timedelta(hours=1), now.replace(hour=0, minute=0)).strftime("%H:%M"))
    page.fill("#id_end_time", "23:59")
    page.get_by_test_id("session-save").click()
    code = page.get_by_test_id("checkin-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    session_url = page.url
    screenshot(page, "bimtek-2-session-code-1366")
    create_stage(page, portal, 2, today + datetime.timedelta(days=30), "Aula Bappeda")
    page.goto(f"/bimtek/masterplan/{portal.pk}/")
    expect(page.locator("main table tbody tr")).to_have_count(2)
    screenshot(page, "bimtek-3-stages-1366")

    # Dinkes and DLH name their fixed participants.
    dinkes = Person(browser, live_server, DESKTOP, "staf.dinkes")
    name_participants(
        dinkes.page,
        [("Ratna Dewi", RATNA, "Kepala Seksi Data"), ("Agus Santoso", AGUS, "Pranata Komputer")],
        screenshot,
        "bimtek-4-participants-dinkes-1366",
    )
    problems += dinkes.close()
    dlh = Person(browser, live_server, DESKTOP, "staf.dlh")
    name_participants(dlh.page, [("Siti Aminah", SITI, "Kepala Bidang Tata Lingkungan")], screenshot, "bimtek-5-dlh")
    problems += dlh.close()

    # Kominfo records Dinkes on the attendance screen: Ratna came.
    page.goto(session_url)
    page.get_by_test_id("attendance-link").click()
    row = page.get_by_test_id("attendance-row-DINKES")
    row.get_by_label("Ratna Dewi").check()
    screenshot(page, "bimtek-6-attendance-1366")
    page.get_by_test_id("attendance-save").click()
    expect(page).to_have_url(session_url)
    expect(page.locator(".alert-success")).to_be_visible()

    # On a phone, without an account: Agus (Dinkes) checks in, twice; someone else checks in for DLH.
    phone = Person(browser, live_server, PHONE)
    mobile = phone.page
    check_in(mobile, code, AGUS)
    expect(mobile.get_by_test_id("checkin-result")).to_have_attribute("data-kind", "checked_in")
    expect(mobile.get_by_test_id("checkin-result")).to_contain_text("Agus Santoso")
    screenshot(mobile, "bimtek-7-checkin-done-360")
    check_in(mobile, code, AGUS)
    expect(mobile.get_by_test_id("checkin-result")).to_have_attribute("data-kind", "already")
    check_in(mobile, "ZZZZZZ", SITI)
    expect(mobile.get_by_test_id("error-summary")).to_contain_text("Kode ini tidak berlaku")
    screenshot(mobile, "bimtek-8-checkin-wrong-code-360")
    check_in(mobile, code, STRANGER)
    expect(mobile.get_by_test_id("needs-details")).to_be_visible()
    mobile.fill("#id_name", "Bambang Irawan")
    mobile.fill("#id_position", "Staf Bidang Tata Lingkungan")
    mobile.select_option("#id_opd", label="Dinas Lingkungan Hidup")
    screenshot(mobile, "bimtek-9-checkin-representative-360")
    mobile.get_by_test_id("checkin-submit").click()
    expect(mobile.get_by_test_id("checkin-result")).to_have_attribute("data-kind", "represented")
    # Nothing on the phone page is wider than the phone.
    assert mobile.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    problems += phone.close()
    # Ratna by the screen; Agus, recorded absent when the screen was saved, then present by his phone; DLH's
    # representative by phone. DLH's own participant did not come.
    assert sorted(Attendance.objects.values_list("opd__code", "status", "recorded_via")) == [
        ("DINKES", "present", "admin"),
        ("DINKES", "present", "checkin"),
        ("DLH", "represented", "checkin"),
    ]

    # The continuity report: DLH (represented) is highlighted and listed before Dinkes, which is not.
    page.goto(f"/bimtek/masterplan/{portal.pk}/kesinambungan/")
    dlh_row, dinkes_row = page.get_by_test_id("continuity-row-DLH"), page.get_by_test_id("continuity-row-DINKES")
    expect(dlh_row).to_have_class(re.compile("continuity-broken"))
    expect(dlh_row).to_contain_text("Diwakilkan")
    expect(dinkes_row).not_to_have_class(re.compile("continuity-broken"))
    expect(dinkes_row).to_contain_text("Peserta tetap")
    rows = page.locator("table.continuity-table tbody tr")
    codes = [rows.nth(i).get_attribute("data-testid") for i in range(rows.count())]
    assert codes.index("continuity-row-DLH") < codes.index("continuity-row-DINKES")
    expect(page.get_by_test_id("stage-figure-1")).to_have_text("25%")  # 1 of 4 invited OPDs with its own people
    screenshot(page, "bimtek-10-continuity-1366")
    problems += admin.close()

    # The Bupati's office sees the same on its dashboard and the report, on a phone too.
    bupati = Person(browser, live_server, PHONE, "pimpinan")
    expect(bupati.page.get_by_test_id("bimtek-summary")).to_contain_text("25%")
    screenshot(bupati.page, "bimtek-11-dashboard-bupati-360")
    bupati.page.goto(f"/bimtek/masterplan/{portal.pk}/kesinambungan/")
    expect(bupati.page.get_by_test_id("continuity-row-DLH")).to_have_class(re.compile("continuity-broken"))
    screenshot(bupati.page, "bimtek-12-continuity-360")
    problems += bupati.close()
    assert problems == []

    # The Bupati's office has the recap PDF made by the worker, watches it progress, and downloads it.
    need(connection.vendor == "postgresql", "the worker process must share the test database: needs PostgreSQL")
    with running_worker({"DATABASE_URL": worker_database_url(), "MEDIA_ROOT": str(tmp_path)}) as worker:
        bupati = Person(browser, live_server, DESKTOP, "pimpinan")
        page = bupati.page
        page.goto(f"/bimtek/masterplan/{portal.pk}/kesinambungan/")
        page.get_by_test_id("make-pdf").click()
        rendering_or_done = "#document-rows progress, #document-rows [data-testid=document-download]"
        expect(page.locator(rendering_or_done).first).to_be_visible()
        expect(page.get_by_test_id("document-download")).to_be_visible(timeout=120_000)
        screenshot(page, "bimtek-13-recap-pdf-1366")
        with page.expect_download() as download:
            page.get_by_test_id("document-download").click()
        assert download.value.suggested_filename.startswith(f"rekap-kesinambungan-bimtek-{portal.pk}-")
        content = Path(download.value.path()).read_bytes()
        problems += bupati.close()
    assert "Traceback" not in worker.log, worker.log
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())
    assert "REKAPITULASI KESINAMBUNGAN PESERTA BIMTEK" in text and "Masterplan Smart City Uji" in text
    assert "Dinas Lingkungan Hidup Diwakilkan" in text and "TERPUTUS" in text
    assert "3 dari 4 OPD memutus kesinambungan" in text  # DLH represented, Bappeda and Diskominfo stayed away
    assert problems == []
