"""The pages: who sees which report (another OPD answers 404), bad input, and queries constant with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from evaluation.models import ProgrammeReport, ReportingPeriod
from evaluation.selectors import year_budgets, year_targets
from evaluation.services.reports import report_approve, report_comment_add, report_start, report_submit
from tests.evaluation.conftest import fill, make_programme
from tests.factories import OpdFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_another_opd_gets_404_on_a_report_and_its_pages(client, dinkes_report, staff_dlh, dlh_programme):
    # DLH supports the Dinkes programme in the fixtures; a third OPD's staff is an outsider.
    outsider = UserFactory(role=Role.OPD_STAFF, opd=OpdFactory())
    client.force_login(outsider)
    for name in ("report_detail", "report_edit"):
        assert client.get(reverse(f"evaluation:{name}", args=[dinkes_report.pk])).status_code == 404
    for name in ("report_submit", "report_comment", "report_contribute", "evidence_upload"):
        assert client.post(reverse(f"evaluation:{name}", args=[dinkes_report.pk])).status_code == 404
    assert client.get(reverse("evaluation:evidence_download", args=[dinkes_report.pk, 1])).status_code == 404


def test_the_lead_the_supporting_opd_kominfo_and_the_bupati_read_the_report(
    client, dinkes_report, staff_dinkes, staff_dlh, kominfo_admin, executive
):
    for user in (staff_dinkes, staff_dlh, kominfo_admin, executive):
        client.force_login(user)
        response = client.get(reverse("evaluation:report_detail", args=[dinkes_report.pk]))
        assert response.status_code == 200, user
        # Only the lead OPD is asked to check and send; the supporting OPD adds its part.
        assert ('data-testid="check-answers"' in response.content.decode()) == (user == staff_dinkes)


def test_the_bupati_reads_but_cannot_verify(client, dinkes_report, staff_dinkes, executive):
    report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    client.force_login(executive)
    url = reverse("evaluation:report_decide", args=[dinkes_report.pk, "approve"])
    assert client.post(url, {"reason": ""}).status_code == 403
    assert ProgrammeReport.objects.get().status == "submitted"


def test_the_opd_writes_sends_and_kominfo_verifies_through_the_pages(
    client, dinkes_report, staff_dinkes, kominfo_admin
):
    target, budget = year_targets(dinkes_report).get(), year_budgets(dinkes_report).get()
    client.force_login(staff_dinkes)
    edit = reverse("evaluation:report_edit", args=[dinkes_report.pk])
    data = {
        "progress_status": "on_track",
        "progress_percent": "70",
        "obstacles": "",
        "follow_up": "Perluasan",
        "version": "1",
        f"realised_{target.pk}": "12,5",
        f"spent_{budget.pk}": "Rp 95.000.000",
        f"spent_note_{budget.pk}": "",
    }
    assert client.post(edit, data).status_code == 302
    report = ProgrammeReport.objects.get()
    assert str(report.realisations.get().value.normalize()) == "12.5"
    assert report.budget_realisations.get().amount == 95_000_000
    client.post(reverse("evaluation:report_submit", args=[report.pk]), {"version": report.version})
    client.force_login(kominfo_admin)
    queue = client.get(reverse("evaluation:queue")).content.decode()
    assert "GOV-01" in queue
    client.post(reverse("evaluation:report_decide", args=[report.pk, "approve"]), {"reason": ""})
    assert ProgrammeReport.objects.get().status == "approved"


@pytest.mark.parametrize(
    ("field", "value"),
    [("progress_percent", "140"), ("realised", "banyak"), ("realised", "-3"), ("spent", "1,5 juta")],
)
def test_bad_input_on_the_report_form_is_explained_and_changes_nothing(
    client, dinkes_report, staff_dinkes, field, value
):
    target, budget = year_targets(dinkes_report).get(), year_budgets(dinkes_report).get()
    names = {"realised": f"realised_{target.pk}", "spent": f"spent_{budget.pk}", "progress_percent": "progress_percent"}
    client.force_login(staff_dinkes)
    response = client.post(
        reverse("evaluation:report_edit", args=[dinkes_report.pk]), {"version": "1", names[field]: value}
    )
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.content.decode()
    assert ProgrammeReport.objects.get().version == 1


def test_kominfo_opens_a_period_from_the_page_and_bad_input_is_explained(client, plan, kominfo_admin, dinkes):
    make_programme(plan, dinkes)
    client.force_login(kominfo_admin)
    url = reverse("evaluation:periods")
    response = client.post(url, {"masterplan": plan.pk, "year": "1999", "deadline": "2099-01-31"})
    assert response.status_code == 200 and not ReportingPeriod.objects.exists()
    response = client.post(url, {"masterplan": plan.pk, "year": "2025", "deadline": "2099-01-31"})
    assert response.status_code == 302 and ReportingPeriod.objects.get().year == 2025


def test_opd_staff_cannot_open_periods_or_see_the_evaluation(client, period, staff_dinkes):
    client.force_login(staff_dinkes)
    assert client.post(reverse("evaluation:periods"), {"year": "2026"}).status_code == 302
    assert ReportingPeriod.objects.count() == 1
    assert client.get(reverse("evaluation:evaluation", args=[period.pk])).status_code == 403


def test_the_opd_dashboard_shows_its_due_reports_with_the_deadline(client, period, staff_dinkes):
    client.force_login(staff_dinkes)
    page = client.get(reverse("home")).content.decode()
    assert "GOV-01" in page and "ENV-01" not in page
    assert period.deadline.strftime("%Y") in page


def _add_programmes(plan, period, opd, staff, count, start):
    for number in range(start, start + count):
        programme = make_programme(plan, opd, code=f"GOV-{number:02d}")
        report = fill(report_start(period=period, programme=programme, by=staff), staff)
        report_submit(report=report, by=staff)


@pytest.mark.parametrize("name", ["evaluation", "period_detail"])
def test_evaluation_pages_issue_the_same_queries_whatever_the_number_of_programmes(
    client, plan, period, dinkes, staff_dinkes, kominfo_admin, name
):
    client.force_login(kominfo_admin)
    url = reverse(f"evaluation:{name}", args=[period.pk])
    _add_programmes(plan, period, dinkes, staff_dinkes, 2, start=10)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_programmes(plan, period, dinkes, staff_dinkes, 6, start=20)
    for report in ProgrammeReport.objects.filter(status="submitted")[:3]:
        report_approve(report=report, by=kominfo_admin)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few), [query["sql"] for query in many.captured_queries]


def test_the_report_page_issues_the_same_queries_whatever_its_comments_and_history(
    client, dinkes_report, staff_dinkes, kominfo_admin
):
    report = report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    client.force_login(kominfo_admin)
    url = reverse("evaluation:report_detail", args=[report.pk])
    report_comment_add(report=report, by=kominfo_admin, body="Catatan 1")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for number in range(5):
        report_comment_add(report=report, by=staff_dinkes if number % 2 else kominfo_admin, body=f"Catatan {number}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Sudah\x00dicek", "Karakter null tidak diizinkan."),
        ("", "Tulis komentarnya terlebih dahulu"),
        ("x" * 5001, "Tulis komentarnya terlebih dahulu"),
    ],
    ids=["nul-character", "empty", "too-long"],
)
def test_a_refused_comment_says_why_as_on_a_submission_and_adds_nothing(
    client, dinkes_report, staff_dinkes, body, message
):
    client.force_login(staff_dinkes)
    url = reverse("evaluation:report_comment", args=[dinkes_report.pk])
    response = client.post(url, {"body": body, "visibility": "opd"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#comments")
    shown = [str(item) for item in response.context["messages"]]
    assert len(shown) == 1 and message in shown[0]
    assert not dinkes_report.comments.exists()


def test_a_comment_is_added_through_the_page(client, dinkes_report, staff_dinkes):
    client.force_login(staff_dinkes)
    url = reverse("evaluation:report_comment", args=[dinkes_report.pk])
    response = client.post(url, {"body": "Bukti menyusul.", "visibility": "opd"}, follow=True)
    assert [str(item) for item in response.context["messages"]] == ["Komentar ditambahkan."]
    assert list(dinkes_report.comments.values_list("body", "visibility")) == [("Bukti menyusul.", "opd")]
