"""Fixtures shared by the masterplan tests."""

import pytest

from masterplan import services


@pytest.fixture
def masterplan(kominfo_admin, pillars):
    """A draft masterplan 2023–2032 (short term until 2027), made through the service as Kominfo."""
    return services.masterplan_create(
        by=kominfo_admin,
        data={"title": "Masterplan Uji", "start_year": 2023, "end_year": 2032, "short_term_end_year": 2027},
    )


@pytest.fixture(autouse=True)
def masterplan_chapters_alone(monkeypatch):
    """Render the masterplan's own chapters only: the chapters apps above add (Bimtek, SPBE) are tested with them,
    so a chapter number here does not move when such an app has something to say."""
    monkeypatch.setattr("masterplan.sections._providers", [])
