"""Programme reports: drafting, checking, sending, supporting parts, verification through the shared workflow."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from evaluation.models import BudgetRealisation, IndicatorRealisation, ProgrammeReport, ReportComment, ReportEvent
from evaluation.selectors import year_budgets, year_targets
from evaluation.services.reports import (
    contribution_save,
    report_approve,
    report_comment_add,
    report_missing,
    report_request_revision,
    report_start,
    report_submit,
    report_update,
)
from tests.evaluation.conftest import fill

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_lead_opd_starts_the_report_once(period, dinkes_programme, staff_dinkes):
    first = report_start(period=period, programme=dinkes_programme, by=staff_dinkes)
    again = report_start(period=period, programme=dinkes_programme, by=staff_dinkes)
    assert first == again and first.status == "draft"
    assert list(first.events.values_list("action", flat=True)) == [ReportEvent.Action.CREATED]


@pytest.mark.parametrize("who", ["staff_dlh", "kominfo_admin", "executive"])
def test_only_the_lead_opd_starts_a_report(request, period, dinkes_programme, who):
    with pytest.raises(PermissionDenied):
        report_start(period=period, programme=dinkes_programme, by=request.getfixturevalue(who))
    assert not ProgrammeReport.objects.exists()


def test_an_empty_report_cannot_be_sent_and_says_what_is_missing(dinkes_report, staff_dinkes):
    missing = report_missing(dinkes_report)
    assert "the progress status" in missing and any("realised value" in item for item in missing)
    assert any("budget realised" in item for item in missing)
    with pytest.raises(ValidationError, match="cannot be sent yet"):
        report_submit(report=dinkes_report, by=staff_dinkes)
    dinkes_report.refresh_from_db()
    assert dinkes_report.status == "draft" and dinkes_report.submitted_at is None


def test_a_complete_report_is_sent_revised_resent_and_verified(dinkes_report, staff_dinkes, kominfo_admin):
    report = fill(dinkes_report, staff_dinkes, realised=Decimal("12.5"), spent=95_000_000)
    assert report_missing(report) == []
    report = report_submit(report=report, by=staff_dinkes, expected_version=report.version)
    assert report.status == "submitted" and report.submitted_at is not None
    with pytest.raises(ValidationError, match="reason"):
        report_request_revision(report=report, by=kominfo_admin, reason=" ")
    report = report_request_revision(report=report, by=kominfo_admin, reason="Lampirkan bukti.")
    assert report.status == "revision_requested" and report.decision_reason == "Lampirkan bukti."
    report = report_submit(report=fill(report, staff_dinkes, realised=Decimal(13)), by=staff_dinkes)
    report = report_approve(report=report, by=kominfo_admin)
    assert report.status == "approved" and report.decided_by == kominfo_admin
    actions = list(report.events.values_list("action", flat=True))
    assert actions == ["created", "edited", "submitted", "revision_requested", "edited", "resubmitted", "approved"]
    assert IndicatorRealisation.objects.get(report=report).value == Decimal(13)


def test_verified_figures_are_frozen(dinkes_report, staff_dinkes, kominfo_admin):
    sent = report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    report = report_approve(report=sent, by=kominfo_admin)
    with pytest.raises(ValidationError, match="the report is now"):
        fill(report, staff_dinkes, realised=Decimal(99))
    with pytest.raises(ValidationError, match="already decided"):
        report_request_revision(report=report, by=kominfo_admin, reason="Ubah")
    assert IndicatorRealisation.objects.get(report=report).value == Decimal(10)


def test_spending_above_the_plan_needs_a_note(dinkes_report, staff_dinkes):
    budget = year_budgets(dinkes_report).get()
    with pytest.raises(ValidationError) as refused:
        spent = {budget.pk: (budget.amount + 1, "")}
        report_update(report=dinkes_report, by=staff_dinkes, data={}, realised={}, spent=spent)
    assert f"spent_note_{budget.pk}" in refused.value.message_dict
    assert not BudgetRealisation.objects.exists()
    spent = {budget.pk: (budget.amount + 1, "Tambahan CSR")}
    report_update(report=dinkes_report, by=staff_dinkes, data={}, realised={}, spent=spent)
    assert BudgetRealisation.objects.get().note == "Tambahan CSR"


@pytest.mark.parametrize("value", [Decimal(-1), Decimal("1000000000001")])
def test_a_realised_value_out_of_bounds_changes_nothing(dinkes_report, staff_dinkes, value):
    target = year_targets(dinkes_report).get()
    with pytest.raises(ValidationError) as refused:
        report_update(
            report=dinkes_report, by=staff_dinkes, data={"obstacles": "x"}, realised={target.pk: value}, spent={}
        )
    assert f"realised_{target.pk}" in refused.value.message_dict
    dinkes_report.refresh_from_db()
    assert dinkes_report.obstacles == "" and not IndicatorRealisation.objects.exists()


def test_a_target_of_another_programme_is_refused(dinkes_report, dlh_report, staff_dinkes):
    other = year_targets(dlh_report).get()
    with pytest.raises(ValidationError, match="does not belong"):
        report_update(report=dinkes_report, by=staff_dinkes, data={}, realised={other.pk: Decimal(1)}, spent={})


def test_a_stale_form_is_refused(dinkes_report, staff_dinkes):
    fill(dinkes_report, staff_dinkes)
    with pytest.raises(ValidationError, match="changed by someone else"):
        report_update(report=dinkes_report, by=staff_dinkes, data={}, realised={}, spent={}, expected_version=1)


def test_a_delayed_programme_must_name_its_obstacles(dinkes_report, staff_dinkes):
    report = fill(dinkes_report, staff_dinkes, status="delayed")
    assert report_missing(report) == ["the obstacles (the programme is delayed)"]


def test_a_supporting_opd_adds_its_part_and_no_one_else_does(dinkes_report, staff_dlh, staff_dinkes, executive):
    contribution = contribution_save(report=dinkes_report, by=staff_dlh, text="Menyediakan data lingkungan.")
    assert contribution.opd == staff_dlh.opd
    for outsider in (staff_dinkes, executive):
        with pytest.raises(PermissionDenied):
            contribution_save(report=dinkes_report, by=outsider, text="x")
    with pytest.raises(PermissionDenied):
        fill(dinkes_report, staff_dlh)


def test_comments_follow_the_shared_rules(dinkes_report, staff_dinkes, staff_dlh, kominfo_admin):
    with pytest.raises(ValidationError, match="only once it is sent"):
        report_comment_add(report=dinkes_report, by=kominfo_admin, body="Catatan")
    report_comment_add(report=dinkes_report, by=staff_dinkes, body="Pertanyaan", visibility="internal")
    assert ReportComment.objects.get().visibility == "opd"  # only Kominfo writes internal notes
    with pytest.raises(PermissionDenied):
        report_comment_add(report=dinkes_report, by=staff_dlh, body="Saya bukan pemimpin")
    with pytest.raises(ValidationError):
        report_comment_add(report=dinkes_report, by=staff_dinkes, body="   ")
