"""Monitoring and evaluation in headless Chromium: Kominfo opens the 2026 reporting period; Dinkes reports its
programme on track; DLH reports its programme delayed, gets a revision request and sends it again; Kominfo
verifies both; the Bupati's office sees the programmes at risk and downloads the evaluation report's PDF.

The PDF job is queued as in production; the test plays the worker (core.jobs' render, in this process) so it
runs on SQLite too. Screenshots at 1366 px and 360 px go to test-artifacts/evaluation-*.png.
"""

import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from celery import current_app
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from demo.accounts import demo_accounts_create
from evaluation.models import EvaluationExport, ProgrammeReport
from evaluation.rendering import evaluation_export_render
from masterplan.models import Masterplan
from opd.models import Opd, User
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.browser.test_bimtek_flow import DESKTOP, PASSWORD, PHONE, Person
from tests.evaluation.conftest import make_programme
from tests.masterplan.factories import MasterplanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def portal(transactional_db, settings, tmp_path, monkeypatch):
    """Dinkes and DLH with their operators, a final masterplan with one programme each; no broker needed."""
    settings.MEDIA_ROOT = tmp_path
    load_pillars(Pillar, Element)
    dinkes = Opd.objects.create(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes", kind=Opd.Kind.DINAS)
    dlh = Opd.objects.create(code="DLH", name="Dinas Lingkungan Hidup", short_name="DLH", kind=Opd.Kind.DINAS)
    demo_accounts_create(password=PASSWORD)
    admin = User.objects.get(username="admin.kominfo")
    plan = MasterplanFactory(start_year=2024, end_year=2033, short_term_end_year=2026, created_by=admin)
    Masterplan.objects.filter(pk=plan.pk).update(status=Masterplan.Status.FINAL, finalized_at=timezone.now())
    targets = {2025: Decimal(10), 2026: Decimal(20), 2027: Decimal(30)}
    make_programme(plan, dinkes, supporting=[dlh], years=(2025, 2027), code="LIV-01", targets=targets)
    environment = Element.objects.filter(pillar__code="ENV").order_by("order").first()
    make_programme(plan, dlh, years=(2026, 2028), code="ENV-01", element=environment)
    queued = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args=None, **options: queued.append((name, args)))
    return {"masterplan": Masterplan.objects.get(pk=plan.pk), "queued": queued}


def write_report(page, *, status: str, percent: str, realised: str, spent: str, obstacles: str = "", shot=None):
    """Start the report from the list of due reports and fill in its form; stop on the checked answers."""
    page.get_by_test_id("write-report").first.click()
    expect(page).to_have_url(re.compile(r"/monev/laporan/\d+/ubah/$"))
    page.locator("input[name^=realised_]").fill(realised)
    page.locator("input[name^=spent_]").first.fill(spent)
    page.select_option("#id_progress_status", status)
    page.fill("#id_progress_percent", percent)
    page.fill("#id_obstacles", obstacles)
    page.fill("#id_follow_up", "Koordinasi lanjutan dengan OPD pendukung.")
    if shot:
        shot(page)
    page.get_by_test_id("report-save").click()
    expect(page.get_by_test_id("report-send")).to_be_visible()


def test_a_reporting_year_from_opening_to_the_evaluation_pdf(browser, live_server, portal, screenshot):
    problems = []
    deadline = timezone.localdate() + timedelta(days=30)

    # Kominfo opens the 2026 period.
    admin = Person(browser, live_server, DESKTOP, "admin.kominfo")
    admin.page.goto("/monev/")
    admin.page.select_option("#id_masterplan", str(portal["masterplan"].pk))
    admin.page.fill("#id_year", "2026")
    admin.page.fill("#id_deadline", deadline.isoformat())
    screenshot(admin.page, "evaluation-1-open-period-1366")
    admin.page.get_by_test_id("open-period").click()
    expect(admin.page.get_by_test_id("period-status")).to_have_text("Buka")
    expect(admin.page.get_by_test_id("due-programmes")).to_contain_text("LIV-01")

    # Dinkes sees the due report on its dashboard, on a phone, and reports its programme on track.
    dinkes = Person(browser, live_server, PHONE, "staf.dinkes")
    dinkes.page.goto("/")
    expect(dinkes.page.get_by_test_id("due-reports")).to_contain_text("LIV-01")
    screenshot(dinkes.page, "evaluation-2-dashboard-360")
    write_report(
        dinkes.page,
        status="on_track",
        percent="80",
        realised="21,5",
        spent="Rp 95.000.000",
        shot=lambda page: screenshot(page, "evaluation-3-report-form-360"),
    )
    screenshot(dinkes.page, "evaluation-4-check-answers-360")
    dinkes.page.get_by_test_id("report-send").click()
    expect(dinkes.page.get_by_test_id("report-status")).to_have_text("Terkirim")
    problems += dinkes.close()

    # DLH reports its programme delayed; it must name the obstacles before it can send.
    dlh = Person(browser, live_server, DESKTOP, "staf.dlh")
    dlh.page.goto("/monev/laporan-saya/")
    write_report(
        dlh.page, status="delayed", percent="30", realised="4", spent="30.000.000", obstacles="Lahan TPS3R belum siap."
    )
    dlh.page.get_by_test_id("report-send").click()
    problems += dlh.close()

    # Kominfo returns DLH's report with a reason, then verifies Dinkes's.
    page = admin.page
    page.goto("/monev/verifikasi/")
    page.get_by_test_id("queue").get_by_text("ENV-01").click()
    page.fill("#id_reason", "Lampirkan berita acara serah terima lahan.")
    page.get_by_test_id("request-revision").click()
    expect(page.get_by_test_id("decision")).to_contain_text("berita acara")
    page.goto("/monev/verifikasi/")
    page.get_by_test_id("queue").get_by_text("LIV-01").click()
    screenshot(page, "evaluation-5-verify-1366")
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]  # the menu fits one line
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Terverifikasi")

    # DLH reads the reason, corrects its report and sends it again; Kominfo verifies it.
    dlh = Person(browser, live_server, DESKTOP, "staf.dlh")
    dlh.page.goto("/")
    dlh.page.get_by_test_id("due-reports").get_by_role("link").first.click()
    expect(dlh.page.get_by_test_id("decision")).to_contain_text("berita acara")
    dlh.page.get_by_test_id("report-edit").click()
    dlh.page.fill("#id_obstacles", "Lahan TPS3R belum siap; berita acara serah terima dijadwalkan Februari.")
    dlh.page.get_by_test_id("report-save").click()
    dlh.page.get_by_test_id("report-send").click()
    expect(dlh.page.get_by_test_id("report-status")).to_have_text("Terkirim")
    problems += dlh.close()
    page.goto("/monev/verifikasi/")
    page.get_by_test_id("queue").get_by_text("ENV-01").click()
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Terverifikasi")
    problems += admin.close()
    assert set(ProgrammeReport.objects.values_list("status", flat=True)) == {"approved"}

    # The Bupati's office sees the programmes at risk and has the evaluation report made, then downloads it.
    for viewport, suffix in ((PHONE, "360"), (DESKTOP, "1366")):
        bupati = Person(browser, live_server, viewport, "pimpinan")
        bupati.page.goto("/monev/")
        bupati.page.get_by_test_id("periods").get_by_role("link").first.click()
        bupati.page.get_by_role("link", name="Evaluasi", exact=True).click()
        at_risk = bupati.page.get_by_test_id("at-risk")
        expect(at_risk).to_contain_text("ENV-01")
        expect(at_risk).not_to_contain_text("LIV-01")
        screenshot(bupati.page, f"evaluation-6-evaluation-{suffix}")
        assert bupati.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if suffix == "360":
            problems += bupati.close()
    page = bupati.page
    page.get_by_test_id("generate-pdf").click()
    export = EvaluationExport.objects.get()
    assert portal["queued"] == [("evaluation.render_export", [export.pk])]
    evaluation_export_render(export_id=export.pk)  # what the worker does with the queued task
    page.reload()
    with page.expect_download() as download:
        page.get_by_test_id("pdf-link").click()
    assert download.value.suggested_filename == "laporan-monev-2026.pdf"
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert "Laporan Monitoring dan Evaluasi Masterplan Smart City" in text and "Tahun 2026" in text
    assert "ENV-01" in text[text.index("Program berisiko adalah") :]
    assert "107,5%" in text  # LIV-01: 21,5 of a target of 20
    problems += bupati.close()
    assert problems == []
