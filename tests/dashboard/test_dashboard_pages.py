"""What each dashboard puts first: the OPD's revisions with Kominfo's reason, the masterplan and its latest PDF."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from masterplan.models import MasterplanExport
from opd.services import comments as comment_service
from tests.masterplan.factories import MasterplanFactory
from tests.opd.submission_factories import (
    SubmissionFactory,
    approved,
    fast_password_hasher,  # noqa: F401  (autouse fixture)
    returned_for_revision,
)

pytestmark = pytest.mark.django_db


def test_the_opd_dashboard_shows_kominfos_reason_beside_each_returned_submission(
    client, staff_dinkes, kominfo_admin, pillars
):
    first = returned_for_revision(
        SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Rekam medis"),
        kominfo_admin,
        reason="Lengkapi indikator per tahun.",
    )
    returned_for_revision(
        SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Antrean daring"),
        kominfo_admin,
        reason="Sebutkan puskesmas yang ikut.",
    )
    client.force_login(staff_dinkes)
    page = client.get(reverse("home")).content.decode()
    assert page.count('data-testid="revision-reason"') == 2
    assert "Lengkapi indikator per tahun." in page and "Sebutkan puskesmas yang ikut." in page
    # Kominfo's decisions are its latest word: never "no feedback yet" while revisions wait.
    assert "Belum ada umpan balik" not in page
    assert page.count('data-testid="latest-feedback"') == 2
    assert first.title in page


def test_the_opd_dashboard_feedback_merges_comments_and_decisions_newest_first(
    client, staff_dinkes, staff_dlh, kominfo_admin, pillars
):
    submission = approved(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin, "Selaras.")
    comment_service.comment_add(submission=submission, by=kominfo_admin, body="Terima kasih, lanjut.", visibility="opd")
    comment_service.comment_add(submission=submission, by=kominfo_admin, body="Rahasia Kominfo", visibility="internal")
    # Another OPD's decisions are not this OPD's feedback.
    approved(SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh), kominfo_admin, "Untuk DLH saja.")
    client.force_login(staff_dinkes)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Terima kasih, lanjut.") < page.index("Selaras.")
    assert "Rahasia Kominfo" not in page and "Untuk DLH saja." not in page


def test_the_opd_dashboard_query_count_does_not_grow_with_the_feedback(client, staff_dinkes, kominfo_admin, pillars):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    client.force_login(staff_dinkes)
    returned_for_revision(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)
    few = queries()
    for _ in range(6):
        returned_for_revision(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)
    assert queries() == few


@pytest.mark.parametrize("who", ["executive", "kominfo_admin"])
def test_the_dashboard_opens_with_the_masterplan_its_status_and_latest_pdf(client, request, kominfo_admin, who):
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    MasterplanExport.objects.create(masterplan=masterplan, version=1, requested_by=kominfo_admin, status="done")
    latest = MasterplanExport.objects.create(
        masterplan=masterplan, version=2, requested_by=kominfo_admin, status="done"
    )
    MasterplanExport.objects.create(masterplan=masterplan, version=3, requested_by=kominfo_admin, status="failed")
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("home")).content.decode()
    card = page.index('data-testid="current-masterplan"')
    assert card < page.index("Usulan menurut pilar dan status")
    download = reverse("masterplan:export_download", args=[masterplan.pk, latest.pk])
    assert download in page and "Unduh PDF (versi 2)" in page
    assert reverse("masterplan:detail", args=[masterplan.pk]) in page and "Draf" in page[card:]


def test_the_dashboard_says_when_there_is_no_masterplan_or_pdf_yet_and_offers_to_make_it(
    client, executive, kominfo_admin
):
    client.force_login(executive)
    assert "Kominfo belum memulai masterplan." in client.get(reverse("home")).content.decode()
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    page = client.get(reverse("home")).content.decode()
    assert "Belum ada PDF" in page
    assert f'action="{reverse("masterplan:export_start", args=[masterplan.pk])}"' in page
