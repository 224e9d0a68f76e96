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
