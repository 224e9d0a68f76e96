"""Every app's PDF job on the one path (core.pdf_jobs): the same clean-up, reasons and file handling for each."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from bimtek.models import BimtekDocument
from core import pdf_jobs
from core.downloads import spreadsheet_response
from core.models import BackgroundJob
from evaluation.models import EvaluationExport, ReportingPeriod
from masterplan.models import MasterplanExport
from tests.masterplan.factories import MasterplanFactory

Status = BackgroundJob.Status
PDF_MODELS = [MasterplanExport, EvaluationExport, BimtekDocument]


def queued_pdf(model, user):
    masterplan = MasterplanFactory(created_by=user)
    if model is MasterplanExport:
        return MasterplanExport.objects.create(masterplan=masterplan, version=1, requested_by=user)
    if model is EvaluationExport:
        period = ReportingPeriod.objects.create(
            masterplan=masterplan, year=2025, deadline=timezone.localdate(), opened_by=user
        )
        return EvaluationExport.objects.create(period=period, requested_by=user)
    return BimtekDocument.objects.create(
        kind=BimtekDocument.Kind.CONTINUITY_RECAP, masterplan=masterplan, requested_by=user
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", PDF_MODELS, ids=lambda model: model.__name__)
def test_every_kind_of_pdf_no_worker_will_finish_fails_with_the_same_reason_and_time(model, kominfo_admin, settings):
    job = queued_pdf(model, kominfo_admin)
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    long_ago = timezone.now() - timedelta(seconds=settings.CELERY_PDF_TIME_LIMIT + visibility + 120)
    model.objects.filter(pk=job.pk).update(created_at=long_ago)
    now = timezone.now()

    with override("id"):
        assert pdf_jobs.pdf_jobs_fail_stale(model, now=now) == 1

    job.refresh_from_db()
    assert (job.status, job.finished_at) == (Status.FAILED, now)
    assert job.error.startswith("Tidak ada worker yang mengambil PDF dari antrean.")
    assert pdf_jobs.pdf_jobs_fail_stale(model, now=now) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("model", PDF_MODELS, ids=lambda model: model.__name__)
def test_a_recent_pdf_of_any_kind_is_not_taken_for_stale(model, kominfo_admin):
    job = queued_pdf(model, kominfo_admin)
    model.objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=timezone.now())

    assert pdf_jobs.pdf_jobs_fail_stale(model) == 0
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_a_spreadsheet_download_carries_what_was_written_under_its_name():
    response = spreadsheet_response(lambda handle: handle.write(b"PK\x03\x04 sheet"), filename="monev-2025.xlsx")

    assert b"".join(response.streaming_content) == b"PK\x03\x04 sheet"
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="monev-2025.xlsx"' in response["Content-Disposition"]


def test_a_spreadsheet_that_fails_to_write_is_not_sent():
    def broken(handle):
        handle.write(b"half")
        raise ValueError("writer broke")

    with pytest.raises(ValueError, match="writer broke"):
        spreadsheet_response(broken, filename="x.xlsx")
