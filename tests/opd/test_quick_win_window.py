"""A submission proposed as a quick win must end within the quick-win window: the draft masterplan's, or its own
first year when there is no draft."""

import pytest
from django.utils import translation

from masterplan import services as masterplan_services
from opd.quick_wins import quick_win_error, quick_win_window
from opd.services import submissions as submission_services
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


def test_without_a_draft_masterplan_a_quick_win_ends_in_its_start_year(settings):
    assert quick_win_window(2026) == (2026, 2026)
    assert quick_win_error("quick_win", 2026, 2026) is None
    with translation.override("en"):
        assert "2026" in quick_win_error("quick_win", 2026, 2027)
    assert quick_win_error("short_term", 2026, 2030) is None
    settings.QUICK_WIN_DEFAULT_YEARS = 2
    assert quick_win_error("quick_win", 2026, 2027) is None


def test_the_newest_draft_masterplan_gives_the_window(kominfo_admin, pillars):
    plan = masterplan_services.masterplan_create(
        by=kominfo_admin,
        data={"title": "Uji", "start_year": 2025, "end_year": 2034, "short_term_end_year": 2026, "quick_win_years": 2},
    )
    assert quick_win_window(2030) == (2025, 2026)
    assert quick_win_error("quick_win", 2025, 2026) is None
    assert quick_win_error("quick_win", 2026, 2027) is not None
    plan.status = plan.Status.FINAL
    plan.save(update_fields=["status"])
    assert quick_win_window(2030) == (2030, 2030)  # a final masterplan no longer sets the window


def test_sending_a_quick_win_outside_the_window_is_refused_with_a_message(client, staff_dinkes, pillars):
    submission = SubmissionFactory(
        opd=staff_dinkes.opd, created_by=staff_dinkes, horizon="quick_win", start_year=2026, end_year=2028
    )
    with pytest.raises(Exception) as refused:
        submission_services.submission_submit(submission=submission, by=staff_dinkes)
    assert "horizon" in refused.value.message_dict
    submission.refresh_from_db()
    assert submission.status == "draft"
