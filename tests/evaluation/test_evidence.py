"""Evidence files of a report: the upload rules of submissions (core.uploads), only while the lead may edit."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluation.models import ReportEvidence
from evaluation.services.evidence import evidence_add, evidence_remove
from evaluation.services.reports import report_submit
from tests.evaluation.conftest import fill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media")]


def pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%bukti\n", content_type="application/pdf")


def test_the_lead_attaches_a_checked_file_under_a_generated_name(dinkes_report, staff_dinkes, media):
    evidence = evidence_add(report=dinkes_report, by=staff_dinkes, upload=pdf("../../laporan.pdf"))
    assert evidence.original_name == "laporan.pdf" and evidence.content_type == "application/pdf"
    assert "laporan" not in evidence.file.name and (media / evidence.file.name).exists()
    assert dinkes_report.events.filter(action="attachment_added").exists()


def test_a_file_that_is_not_what_it_claims_is_refused(dinkes_report, staff_dinkes, media):
    fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="content was checked"):
        evidence_add(report=dinkes_report, by=staff_dinkes, upload=fake)
    assert not ReportEvidence.objects.exists() and not any(path.is_file() for path in media.rglob("*"))


def test_only_the_lead_while_editable_changes_the_evidence(dinkes_report, staff_dinkes, staff_dlh):
    with pytest.raises(PermissionDenied):
        evidence_add(report=dinkes_report, by=staff_dlh, upload=pdf())
    evidence = evidence_add(report=dinkes_report, by=staff_dinkes, upload=pdf())
    report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    with pytest.raises(ValidationError, match="draft or returned"):
        evidence_add(report=dinkes_report, by=staff_dinkes, upload=pdf())
    with pytest.raises(ValidationError, match="draft or returned"):
        evidence_remove(evidence=evidence, by=staff_dinkes)
    assert ReportEvidence.objects.count() == 1


def test_the_supporting_opd_downloads_and_another_opd_gets_404(client, dinkes_report, staff_dinkes, staff_dlh):
    evidence = evidence_add(report=dinkes_report, by=staff_dinkes, upload=pdf())
    url = reverse("evaluation:evidence_download", args=[dinkes_report.pk, evidence.pk])
    client.force_login(staff_dlh)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    other = reverse("evaluation:evidence_download", args=[dinkes_report.pk + 1000, evidence.pk])
    assert client.get(other).status_code == 404
