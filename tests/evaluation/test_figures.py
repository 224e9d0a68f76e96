"""The evaluation's figures: achievement, absorption and risks from verified reports only; PDF and XLSX agree."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from evaluation.exports import write_evaluation_xlsx
from evaluation.models import EvaluationExport
from evaluation.pdf import render_evaluation_pdf
from evaluation.rendering import evaluation_export_render
from evaluation.selectors import figures
from evaluation.services.evidence import evidence_add
from evaluation.services.exports import evaluation_export_request
from evaluation.services.reports import report_approve, report_submit
from tests.evaluation.conftest import fill
from tests.pdf_layout import overlapping_words

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media")]


@pytest.fixture
def verified(period, dinkes_report, dlh_report, staff_dinkes, staff_dlh, kominfo_admin):
    """Dinkes: on track, 12,5 of a target of 10, Rp 90 million of 100. DLH: delayed, 4 of 10, Rp 30 million."""
    on_track = fill(dinkes_report, staff_dinkes, realised=Decimal("12.5"), spent=90_000_000)
    upload = SimpleUploadedFile("foto-peluncuran.pdf", b"%PDF-1.4\n%bukti\n", content_type="application/pdf")
    evidence_add(report=on_track, by=staff_dinkes, upload=upload, description="Peluncuran")
    report_approve(report=report_submit(report=on_track, by=staff_dinkes), by=kominfo_admin)
    delayed = fill(dlh_report, staff_dlh, realised=Decimal(4), spent=30_000_000, status="delayed", obstacles="Lahan")
    report_approve(report=report_submit(report=delayed, by=staff_dlh), by=kominfo_admin)
    return period


def test_achievement_absorption_and_risks_come_from_verified_reports(verified):
    data = figures.evaluation_figures(verified)
    lines = {line["programme"].code: line["indicator"] for group in data["achievement"] for line in group["lines"]}
    assert lines["GOV-01"].achievement == Decimal("125.0") and lines["ENV-01"].achievement == Decimal("40.0")
    (apbd,) = data["by_source"]
    assert (apbd["planned"], apbd["spent"], apbd["absorption"]) == (200_000_000, 120_000_000, Decimal("60.0"))
    at_risk = {row.programme.code: row.risks for row in data["at_risk"]}
    assert list(at_risk) == ["ENV-01"]
    assert {str(risk) for risk in at_risk["ENV-01"]} == {"delayed", "under 50% of target"}
    assert data["summary"]["verified"] == 2 and data["summary"]["achievement"] == Decimal("82.5")


def test_a_sent_but_unverified_report_is_not_counted(period, dinkes_report, staff_dinkes):
    report_submit(report=fill(dinkes_report, staff_dinkes, realised=Decimal(10)), by=staff_dinkes)
    data = figures.evaluation_figures(period)
    assert data["summary"]["sent"] == 1 and data["summary"]["verified"] == 0
    assert data["summary"]["achievement"] is None and data["by_source"][0]["spent"] == 0


def test_no_report_by_the_deadline_puts_a_programme_at_risk(period):
    data = figures.evaluation_figures(period, today=period.deadline + timedelta(days=1))
    assert {str(risk) for row in data["at_risk"] for risk in row.risks} == {"no report by the deadline"}
    assert len(data["at_risk"]) == 2


def test_the_pdf_shows_the_figures_of_the_database(verified):
    pdf, pages = render_evaluation_pdf(verified)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    assert pages >= 5
    assert "Laporan Monitoring dan Evaluasi Masterplan Smart City" in text
    assert "Tahun 2025" in text
    assert "125%" in text and "40%" in text  # achievement per indicator
    assert "Rencana (Rp) Realisasi (Rp) Serapan" in text  # amounts in the cells, the unit in the header
    assert "200.000.000" in text and "120.000.000" in text and "60%" in text  # absorption
    assert not overlapping_words(pdf)  # every amount fits its cell
    at_risk = text[text.index("Program berisiko adalah") : text.index("Program Berkas Keterangan")]
    assert "ENV-01" in at_risk and "GOV-01" not in at_risk
    assert "foto-peluncuran.pdf" in text.split("Program Berkas Keterangan")[-1]  # the verified evidence


def test_the_pdf_is_rendered_in_the_background_through_the_job_path(
    verified, executive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        export, created = evaluation_export_request(period=verified, by=executive)
    again, created_again = evaluation_export_request(period=verified, by=executive)
    assert created and not created_again and again == export
    done = evaluation_export_render(export_id=export.pk)
    assert done.status == EvaluationExport.Status.DONE and done.page_count >= 5 and done.file.size > 0


def test_the_spreadsheet_holds_every_figure(verified):
    handle = io.BytesIO()
    write_evaluation_xlsx(verified, handle)
    workbook = openpyxl.load_workbook(io.BytesIO(handle.getvalue()))
    assert len(workbook.sheetnames) == 6
    achievement = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert {row[1]: row[7] for row in achievement} == {"GOV-01": 125.0, "ENV-01": 40.0}
    by_source = list(workbook.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert by_source[0][1:] == (200_000_000, 120_000_000, 60.0)
    at_risk = list(workbook.worksheets[3].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in at_risk] == ["ENV-01"]


def test_year_over_year_shows_each_verified_year(verified, dinkes_programme):
    years = figures.programme_years(figures.year_over_year_programmes().get(pk=dinkes_programme.pk))
    assert [(line["year"], line["achievement"]) for line in years] == [(2025, Decimal("125.0"))]
