"""Reporting periods: opened by Kominfo on a final masterplan, closed, reopened for one OPD with the reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import SecurityEvent
from evaluation import access
from evaluation.models import PeriodReopening, ReportingPeriod
from evaluation.selectors import due_programmes
from evaluation.services.periods import period_close, period_open, period_reopen
from evaluation.services.reports import report_update
from masterplan.models import Masterplan
from tests.evaluation.conftest import make_programme
from tests.factories import OpdFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def soon(days=30):
    return timezone.localdate() + timedelta(days=days)


def test_kominfo_opens_a_period_whose_due_programmes_are_those_active_that_year(plan, kominfo_admin, dinkes, dlh):
    active = make_programme(plan, dinkes, years=(2024, 2026), code="GOV-01")
    make_programme(plan, dlh, years=(2027, 2029), code="GOV-02")  # not yet active in 2025
    period = period_open(masterplan=plan, year=2025, deadline=soon(), by=kominfo_admin)
    assert period.is_open and period.opened_by == kominfo_admin
    assert list(due_programmes(period)) == [active]
    assert SecurityEvent.objects.filter(action="reporting_period_opened").exists()


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_opens_a_period(request, plan, who):
    with pytest.raises(PermissionDenied):
        period_open(masterplan=plan, year=2025, deadline=soon(), by=request.getfixturevalue(who))
    assert not ReportingPeriod.objects.exists()


def test_a_draft_masterplan_has_no_reporting_period(plan, kominfo_admin):
    Masterplan.objects.filter(pk=plan.pk).update(status=Masterplan.Status.DRAFT)
    with pytest.raises(ValidationError, match="final"):
        period_open(masterplan=plan, year=2025, deadline=soon(), by=kominfo_admin)


@pytest.mark.parametrize(
    ("year", "days", "field"),
    [(2020, 30, "year"), (2040, 30, "year"), (2025, -1, "deadline")],
)
def test_a_year_outside_the_masterplan_or_a_past_deadline_is_refused(plan, kominfo_admin, year, days, field):
    with pytest.raises(ValidationError) as refused:
        period_open(masterplan=plan, year=year, deadline=soon(days), by=kominfo_admin)
    assert field in refused.value.message_dict
    assert not ReportingPeriod.objects.exists()


def test_the_same_year_is_opened_once(plan, kominfo_admin):
    period_open(masterplan=plan, year=2025, deadline=soon(), by=kominfo_admin)
    with pytest.raises(ValidationError, match="already"):
        period_open(masterplan=plan, year=2025, deadline=soon(40), by=kominfo_admin)
    assert ReportingPeriod.objects.count() == 1


def test_a_closed_period_refuses_reports_until_reopened_for_that_opd(
    period, dinkes_report, kominfo_admin, staff_dinkes, dinkes, dlh
):
    period_close(period=period, by=kominfo_admin)
    with pytest.raises(ValidationError, match="closed"):
        report_update(report=dinkes_report, by=staff_dinkes, data={"obstacles": "x"}, realised={}, spent={})
    reason = "Data BPS terlambat"
    reopening = period_reopen(period=period, opd=dinkes, deadline=soon(7), reason=reason, by=kominfo_admin)
    assert (reopening.reopened_by, reopening.reason, reopening.opd) == (kominfo_admin, "Data BPS terlambat", dinkes)
    assert reopening.reopened_at is not None
    updated = report_update(report=dinkes_report, by=staff_dinkes, data={"obstacles": "x"}, realised={}, spent={})
    assert updated.obstacles == "x"
    period.refresh_from_db()
    assert access.accepts_reports_from(period, dinkes.pk)
    assert not access.accepts_reports_from(period, dlh.pk)


def test_a_reopening_needs_a_reason_a_future_deadline_and_an_opd_with_due_programmes(period, kominfo_admin, dinkes):
    with pytest.raises(ValidationError, match="why"):
        period_reopen(period=period, opd=dinkes, deadline=soon(7), reason="  ", by=kominfo_admin)
    with pytest.raises(ValidationError):
        period_reopen(period=period, opd=dinkes, deadline=soon(-2), reason="Alasan", by=kominfo_admin)
    with pytest.raises(ValidationError, match="leads no programme"):
        period_reopen(period=period, opd=OpdFactory(), deadline=soon(7), reason="Alasan", by=kominfo_admin)
    assert not PeriodReopening.objects.exists()


def test_closing_twice_is_refused(period, kominfo_admin, staff_dinkes):
    with pytest.raises(PermissionDenied):
        period_close(period=period, by=staff_dinkes)
    period_close(period=period, by=kominfo_admin)
    with pytest.raises(ValidationError, match="already closed"):
        period_close(period=period, by=kominfo_admin)
