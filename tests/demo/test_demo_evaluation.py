"""The demo's reporting year: every evaluation view has data (verified, delayed, revised, sent, missing)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from evaluation.models import ProgrammeReport, ReportingPeriod
from evaluation.selectors import figures

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"


@pytest.mark.django_db
def test_seed_demo_adds_a_2026_period_whose_evaluation_is_not_empty(pillars, settings, mailoutbox):
    call_command("import_opd", str(BUNDLED_CSV))
    settings.DEBUG = True
    call_command("seed_demo")
    period = ReportingPeriod.objects.get()
    assert (period.year, period.is_open, period.masterplan.is_final) == (2026, True, True)
    statuses = set(ProgrammeReport.objects.values_list("status", flat=True))
    assert {"approved", "revision_requested", "submitted"} <= statuses
    data = figures.evaluation_figures(period)
    assert data["summary"]["verified"] >= 3 and data["summary"]["achievement"] is not None
    assert any(line["spent"] for line in data["by_source"])
    assert data["at_risk"] and len(data["by_pillar"]) >= 3
    assert mailoutbox == []
    call_command("seed_demo")
    assert ReportingPeriod.objects.count() == 1
