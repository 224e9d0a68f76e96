"""Reminders before each Bimtek stage: to the invited OPDs' active staff with an e-mail, on the configured days,
asking those without fixed participants to name them; never twice, nothing for a stage that has begun, sent
after the commit, and a mail server that fails neither stops the run nor loses the reminder."""

import datetime
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from bimtek.models import Reminder
from bimtek.services import stages as stage_services
from bimtek.services.reminders import reminders_send
from bimtek.tasks import send_reminders
from core.roles import Role
from mojokerto_portal.celery import app
from tests.factories import OpdFactory, UserFactory

from .conftest import stage_data

pytestmark = pytest.mark.django_db
START = datetime.date(2030, 3, 11)  # Tahap 2, a Monday


@pytest.fixture
def reminded(settings, masterplan, kominfo_admin, dinkes, dlh, staff_dinkes, staff_dlh, dinkes_participants):
    """Tahap 2 on START at Bappeda, inviting Dinkes (participants named) and DLH (none named); who has an e-mail."""
    settings.BIMTEK_REMINDER_DAYS = [7, 1]
    settings.PORTAL_BASE_URL = "https://smartcity.mojokertokab.go.id"
    staff_dinkes.email, staff_dlh.email = "dinkes@mojokertokab.go.id", "dlh@mojokertokab.go.id"
    staff_dinkes.save(update_fields=["email"])
    staff_dlh.save(update_fields=["email"])
    UserFactory(username="dinkes2", role=Role.OPD_STAFF, opd=dinkes, email="sekretariat.dinkes@mojokertokab.go.id")
    UserFactory(username="dinkes.lama", role=Role.OPD_STAFF, opd=dinkes, email="lama@x.id", is_active=False)
    UserFactory(username="dinkes.tanpa", role=Role.OPD_STAFF, opd=dinkes, email="")
    kominfo_admin.email = "kominfo@mojokertokab.go.id"
    kominfo_admin.save(update_fields=["email"])
    OpdFactory(code="DISHUB", name="Dinas Perhubungan")  # not invited (created after the stage)
    return stage_services.stage_create(
        masterplan=masterplan, by=kominfo_admin, data=stage_data(2, START, START + timedelta(days=1), place="Bappeda")
    )


def run(on: datetime.date, capture) -> int:
    """Run the daily reminders as of one day, letting their after-commit mail go out."""
    with capture(execute=True):
        return reminders_send(today=on)


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def test_seven_days_before_the_invited_opds_staff_are_reminded_once_each(
    reminded, django_capture_on_commit_callbacks, dinkes_participants
):
    assert run(START - timedelta(days=8), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []

    assert run(START - timedelta(days=7), django_capture_on_commit_callbacks) == 2

    # One message per person (no one sees the others' address): Dinkes' two active operators with an e-mail, DLH's.
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert recipients() == [
        "dinkes@mojokertokab.go.id",
        "dlh@mojokertokab.go.id",
        "sekretariat.dinkes@mojokertokab.go.id",
    ]
    dinkes = next(message for message in mail.outbox if message.to == ["dinkes@mojokertokab.go.id"])
    assert dinkes.subject == "[Smart City] Bimtek Tahap 2 dimulai 7 hari lagi"
    for words in [
        "Kepada staf Dinas Kesehatan,",
        "Tanggal: 11 Maret – 12 Maret 2030",
        "Tempat: Bappeda",
        "- Ratna Dewi, Analis Kesehatan",
        "- Agus Santoso, Analis Kesehatan",
        "tidak diwakilkan, tidak berganti-ganti",
        f"https://smartcity.mojokertokab.go.id/bimtek/tahap/{reminded.pk}/",
    ]:
        assert words in dinkes.body, words
    # DLH has named nobody: it is asked to.
    dlh = next(message for message in mail.outbox if message.to == ["dlh@mojokertokab.go.id"])
    assert dlh.subject == "[Smart City] Tunjuk peserta tetap untuk Bimtek Tahap 2"
    assert "belum menunjuk peserta tetap" in dlh.body
    assert "https://smartcity.mojokertokab.go.id/bimtek/peserta/" in dlh.body
    assert sorted(Reminder.objects.values_list("opd__code", "days_before", "kind", "recipients")) == [
        ("DINKES", 7, "stage", 2),
        ("DLH", 7, "participants", 1),
    ]


def test_running_twice_or_on_the_days_between_sends_nothing_more(reminded, django_capture_on_commit_callbacks):
    run(START - timedelta(days=7), django_capture_on_commit_callbacks)
    mail.outbox.clear()

    assert run(START - timedelta(days=7), django_capture_on_commit_callbacks) == 0
    for days in (6, 5, 2):
        assert run(START - timedelta(days=days), django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []


def test_the_day_before_the_second_step_goes_out_and_nothing_once_the_stage_has_begun(
    reminded, django_capture_on_commit_callbacks
):
    run(START - timedelta(days=7), django_capture_on_commit_callbacks)
    mail.outbox.clear()

    assert run(START - timedelta(days=1), django_capture_on_commit_callbacks) == 2
    assert "[Smart City] Bimtek Tahap 2 dimulai 1 hari lagi" in {message.subject for message in mail.outbox}
    mail.outbox.clear()
    assert run(START - timedelta(days=1), django_capture_on_commit_callbacks) == 0
    for day in (START, START + timedelta(days=1), START + timedelta(days=30)):
        assert run(day, django_capture_on_commit_callbacks) == 0
    assert mail.outbox == []
    assert Reminder.objects.count() == 4


def test_a_stage_set_up_three_days_ahead_gets_the_missed_step_once_then_the_last(
    reminded, django_capture_on_commit_callbacks
):
    assert run(START - timedelta(days=3), django_capture_on_commit_callbacks) == 2
    assert {message.subject for message in mail.outbox} >= {"[Smart City] Bimtek Tahap 2 dimulai 3 hari lagi"}
    assert run(START - timedelta(days=2), django_capture_on_commit_callbacks) == 0
    assert run(START - timedelta(days=1), django_capture_on_commit_callbacks) == 2
    assert sorted(Reminder.objects.values_list("days_before", flat=True)) == [1, 1, 7, 7]


def test_an_opd_without_anyone_to_write_to_is_tried_again_the_next_day(
    reminded, staff_dlh, django_capture_on_commit_callbacks
):
    staff_dlh.email = ""
    staff_dlh.save(update_fields=["email"])
    assert run(START - timedelta(days=7), django_capture_on_commit_callbacks) == 1
    assert not Reminder.objects.filter(opd__code="DLH").exists()

    staff_dlh.email = "dlh@mojokertokab.go.id"
    staff_dlh.save(update_fields=["email"])
    mail.outbox.clear()
    assert run(START - timedelta(days=6), django_capture_on_commit_callbacks) == 1
    assert recipients() == ["dlh@mojokertokab.go.id"]


def test_the_mail_waits_for_the_commit(reminded, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reminders_send(today=START - timedelta(days=7))

    assert mail.outbox == [] and len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 3


def test_a_mail_server_that_fails_stops_nothing_and_the_step_is_tried_again(
    reminded, settings, django_capture_on_commit_callbacks, caplog
):
    # A real SMTP connection to a port where nothing listens: every OPD's delivery fails.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    assert run(START - timedelta(days=7), django_capture_on_commit_callbacks) == 2

    assert "Bimtek reminder" in caplog.text and caplog.text.count("0 of") == 2  # both OPDs were tried
    assert not Reminder.objects.exists()  # nothing went out: the next run tries again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run(START - timedelta(days=6), django_capture_on_commit_callbacks) == 2
    assert len(mail.outbox) == 3


def test_a_step_is_recorded_once_per_stage_and_opd(reminded, dinkes):
    Reminder.objects.create(stage=reminded, opd=dinkes, days_before=7, kind="stage")
    with pytest.raises(IntegrityError):
        Reminder.objects.create(stage=reminded, opd=dinkes, days_before=7, kind="participants")


def test_celery_beat_sends_the_reminders_daily_through_the_task(
    settings, masterplan, kominfo_admin, dinkes, staff_dinkes, django_capture_on_commit_callbacks
):
    staff_dinkes.email = "dinkes@mojokertokab.go.id"
    staff_dinkes.save(update_fields=["email"])
    start = timezone.localdate() + timedelta(days=settings.BIMTEK_REMINDER_DAYS[0])
    stage_services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(1, start))

    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.apply().get() == 1

    assert recipients() == ["dinkes@mojokertokab.go.id"]
    schedule = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "bimtek.send_reminders" in schedule and "bimtek.send_reminders" in app.tasks
    assert schedule["bimtek.send_reminders"].hour == {7} and schedule["bimtek.send_reminders"].minute == {0}


def test_the_default_reminder_days_are_a_week_and_a_day_before(settings):
    assert settings.BIMTEK_REMINDER_DAYS == [7, 1]
