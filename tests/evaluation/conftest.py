"""A final masterplan with programmes, indicators and budgets, reporting periods and reports for the tests."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from evaluation.selectors import year_budgets, year_targets
from evaluation.services.periods import period_open
from evaluation.services.reports import report_start, report_update
from masterplan.models import Indicator, IndicatorTarget, Masterplan, Programme, ProgrammeBudget
from opd.models import FundingSource
from pillars.models import Element
from tests.masterplan.factories import MasterplanFactory


def make_programme(
    masterplan, lead, *, supporting=(), years=(2025, 2027), code="GOV-01", element=None, targets=None, budgets=None
) -> Programme:
    """Create a programme with one output indicator (a target per year) and an APBD budget per year."""
    programme = Programme.objects.create(
        masterplan=masterplan,
        element=element or Element.objects.order_by("pillar__order", "order").first(),
        code=code,
        title=f"Program {code}",
        lead_opd=lead,
        start_year=years[0],
        end_year=years[1],
    )
    programme.supporting_opds.set(supporting)
    indicator = Indicator.objects.create(programme=programme, name=f"Layanan daring {code}", unit="layanan")
    for year in range(years[0], years[1] + 1):
        value = (targets or {}).get(year, Decimal(10 * (year - years[0] + 1)))
        IndicatorTarget.objects.create(indicator=indicator, year=year, value=value)
        amount = (budgets or {}).get(year, 100_000_000)
        source = FundingSource.APBD_KABUPATEN
        ProgrammeBudget.objects.create(programme=programme, year=year, source=source, amount=amount)
    return programme


@pytest.fixture
def plan(pillars, kominfo_admin):
    masterplan = MasterplanFactory(start_year=2024, end_year=2033, short_term_end_year=2026, created_by=kominfo_admin)
    Masterplan.objects.filter(pk=masterplan.pk).update(status=Masterplan.Status.FINAL, finalized_at=timezone.now())
    masterplan.refresh_from_db()
    return masterplan


@pytest.fixture
def dinkes_programme(plan, dinkes, dlh):
    return make_programme(plan, dinkes, supporting=[dlh], code="GOV-01")


@pytest.fixture
def dlh_programme(plan, dlh):
    element = Element.objects.order_by("-pillar__order", "order").first()
    return make_programme(plan, dlh, code="ENV-01", element=element)


@pytest.fixture
def period(plan, kominfo_admin, dinkes_programme, dlh_programme):
    return period_open(masterplan=plan, year=2025, deadline=timezone.localdate() + timedelta(days=30), by=kominfo_admin)


def fill(report, by, *, realised=Decimal(10), spent=90_000_000, status="on_track", percent=60, obstacles=""):
    """Fill every figure of a report (its year's one target and one budget line)."""
    return report_update(
        report=report,
        by=by,
        data={"progress_status": status, "progress_percent": percent, "obstacles": obstacles, "follow_up": "Lanjut."},
        realised={target.pk: realised for target in year_targets(report)},
        spent={budget.pk: (spent, "") for budget in year_budgets(report)},
    )


@pytest.fixture
def dinkes_report(period, dinkes_programme, staff_dinkes):
    return report_start(period=period, programme=dinkes_programme, by=staff_dinkes)


@pytest.fixture
def dlh_report(period, dlh_programme, staff_dlh):
    return report_start(period=period, programme=dlh_programme, by=staff_dlh)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def english():
    """Read the services' messages in their English source (the pages' tests read the Indonesian ones)."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Store evidence and rendered files in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
