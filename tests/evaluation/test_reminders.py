"""Reminders of due reports: 14, 7 and 1 days before the deadline and once after it, never twice for a step."""

from datetime import timedelta

import pytest
from django.core import mail

from evaluation.models import ReportReminder
from evaluation.services.periods import period_close
from evaluation.services.reminders import reminders_send
from evaluation.services.reports import report_submit
from tests.evaluation.conftest import fill

pytestmark = pytest.mark.django_db


@pytest.fixture
def addresses(staff_dinkes, staff_dlh):
    staff_dinkes.email, staff_dlh.email = "dinkes@example.test", "dlh@example.test"
    staff_dinkes.save(update_fields=["email"])
    staff_dlh.save(update_fields=["email"])


def run(period, days_before_deadline, capture):
    with capture(execute=True):
        return reminders_send(today=period.deadline - timedelta(days=days_before_deadline))


def test_each_step_is_sent_once_to_each_opd_with_reports_due(
    period, addresses, settings, django_capture_on_commit_callbacks
):
    settings.EVALUATION_REMINDER_DAYS = [14, 7, 1]
    assert run(period, 20, django_capture_on_commit_callbacks) == 0  # too early
    assert run(period, 14, django_capture_on_commit_callbacks) == 2
    assert sorted(message.to[0] for message in mail.outbox) == ["dinkes@example.test", "dlh@example.test"]
    assert "GOV-01" in next(m.body for m in mail.outbox if m.to == ["dinkes@example.test"])
    assert run(period, 14, django_capture_on_commit_callbacks) == 0  # the same day again: nothing twice
    assert run(period, 10, django_capture_on_commit_callbacks) == 0
    assert run(period, 5, django_capture_on_commit_callbacks) == 2  # the missed 7-day step is caught up once
    assert run(period, 1, django_capture_on_commit_callbacks) == 2
    assert run(period, -1, django_capture_on_commit_callbacks) == 2  # after the deadline
    assert run(period, -5, django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 8
    assert sorted(set(ReportReminder.objects.values_list("days_before", flat=True))) == [0, 1, 7, 14]


def test_an_opd_whose_reports_are_sent_is_not_reminded(
    period, addresses, dinkes_report, staff_dinkes, django_capture_on_commit_callbacks
):
    report_submit(report=fill(dinkes_report, staff_dinkes), by=staff_dinkes)
    assert run(period, 7, django_capture_on_commit_callbacks) == 1
    assert [message.to for message in mail.outbox] == [["dlh@example.test"]]


def test_a_closed_period_reminds_no_one(period, addresses, kominfo_admin, django_capture_on_commit_callbacks):
    period_close(period=period, by=kominfo_admin)
    assert run(period, 1, django_capture_on_commit_callbacks) == 0
    assert not mail.outbox


def test_a_failed_mail_is_tried_again_next_run(period, addresses, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.evaluation.test_reminders.BrokenBackend"
    assert run(period, 7, django_capture_on_commit_callbacks) == 2
    assert not ReportReminder.objects.exists()  # nothing went out: the step stays due
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(period, 7, django_capture_on_commit_callbacks) == 2
    assert ReportReminder.objects.count() == 2


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError("mail server down")

    def close(self):
        pass

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, *args):
        self.close()

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_the_beat_runs_the_reminders_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["evaluation-report-reminders"]
    assert entry["task"] == "evaluation.send_reminders"
