"""Programme-report mail: Kominfo hears of a sent or resent report, the lead OPD of a revision request or a
verification; each after the commit, in Indonesian, and never to another OPD's staff."""

import logging

import pytest
from django.urls import reverse

from evaluation.services.reports import report_approve, report_request_revision, report_submit
from tests.evaluation.conftest import fill
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(staff_dinkes, staff_dlh, kominfo_admin, executive):
    """A second Dinkes account, an inactive one and one without an address, beside the named users."""
    colleague = UserFactory(username="staf.dinkes.2", role=staff_dinkes.role, opd=staff_dinkes.opd)
    UserFactory(username="staf.dinkes.lama", role=staff_dinkes.role, opd=staff_dinkes.opd, is_active=False)
    UserFactory(username="staf.dinkes.tanpa", role=staff_dinkes.role, opd=staff_dinkes.opd, email="")
    return {"dinkes": sorted([staff_dinkes.email, colleague.email]), "kominfo": [kominfo_admin.email]}


def recipients(mailoutbox) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_a_sent_report_mails_kominfo_after_the_commit(
    dinkes_report, staff_dinkes, people, settings, mailoutbox, django_capture_on_commit_callbacks
):
    report = fill(dinkes_report, staff_dinkes)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_submit(report=report, by=staff_dinkes)
    assert mailoutbox == [] and len(callbacks) == 1  # nothing before the commit
    callbacks[0]()

    assert recipients(mailoutbox) == people["kominfo"]
    message = mailoutbox[0]
    assert message.subject == "[Smart City] Laporan program tahun 2025 dari Dinkes menunggu verifikasi"
    assert "Dinas Kesehatan mengirim laporan program untuk diverifikasi." in message.body
    assert "GOV-01 Program GOV-01" in message.body
    assert f"{settings.PORTAL_BASE_URL}{reverse('evaluation:report_detail', args=[report.pk])}" in message.body


def test_a_resent_report_says_it_is_back(
    dinkes_report, staff_dinkes, kominfo_admin, people, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    report = report_request_revision(report=report, by=kominfo_admin, reason="Lampirkan bukti.")
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, by=staff_dinkes)

    assert recipients(mailoutbox) == people["kominfo"]
    assert "telah direvisi kembali untuk diverifikasi" in mailoutbox[0].subject
    assert "mengirim kembali laporan programnya setelah revisi" in mailoutbox[0].body


def test_a_revision_request_mails_the_lead_opd_with_the_reason(
    dinkes_report, staff_dinkes, kominfo_admin, people, settings, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    with django_capture_on_commit_callbacks(execute=True):
        report_request_revision(report=report, by=kominfo_admin, reason="Lampirkan foto kegiatan.")

    assert recipients(mailoutbox) == people["dinkes"]
    message = mailoutbox[0]
    assert message.subject == "[Smart City] Laporan program GOV-01 (2025) perlu direvisi"
    assert "Alasan / yang perlu diubah:\nLampirkan foto kegiatan." in message.body
    assert f"{settings.PORTAL_BASE_URL}{reverse('evaluation:report_detail', args=[report.pk])}" in message.body


def test_a_verification_mails_the_lead_opd_with_the_comment(
    dinkes_report, staff_dinkes, kominfo_admin, people, mailoutbox, django_capture_on_commit_callbacks
):
    report = report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    with django_capture_on_commit_callbacks(execute=True):
        report_approve(report=report, by=kominfo_admin, reason="Data lengkap, terima kasih.")

    assert recipients(mailoutbox) == people["dinkes"]
    assert mailoutbox[0].subject == "[Smart City] Laporan program GOV-01 (2025) telah diverifikasi"
    assert "Catatan Kominfo:\nData lengkap, terima kasih." in mailoutbox[0].body


def test_another_opds_staff_never_receive_a_report_mail(
    dinkes_report,
    dlh_report,
    staff_dinkes,
    staff_dlh,
    kominfo_admin,
    people,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
        report = report_request_revision(report=report, by=kominfo_admin, reason="Lengkapi.")
        report = report_submit(report=fill(report, staff_dinkes), by=staff_dinkes)
        report_approve(report=report, by=kominfo_admin)

    assert len(mailoutbox) == 2 + 2 + 1 + 1
    assert staff_dlh.email not in recipients(mailoutbox)


def test_a_refused_step_mails_nobody(
    dinkes_report, staff_dinkes, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Exception, match="belum dapat dikirim"):
        report_submit(report=dinkes_report, by=staff_dinkes)
    assert mailoutbox == []


def test_a_mail_failure_keeps_the_report_sent(
    dinkes_report, staff_dinkes, people, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.opd.test_submission_services.BrokenBackend"
    report = fill(dinkes_report, staff_dinkes)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, by=staff_dinkes)

    report.refresh_from_db()
    assert report.status == "submitted"
    assert "notify_kominfo_report_sent" in caplog.text and "evaluation.services.notifications" in caplog.text
