"""Reminders e-mailed before each Bimtek stage to the staff of the OPDs invited to it (Celery beat, daily).

A stage's steps are the days of BIMTEK_REMINDER_DAYS (e.g. 7 and 1 day before). Each run sends, per upcoming
stage and invited OPD, the nearest step that is due and not yet sent, so a day the beat missed is caught up
once and a stage created three days ahead still gets its reminder. An OPD that has not named its fixed
participants gets the mail asking it to, in place of the plain reminder. Every step sent is recorded
(Reminder, unique per stage, OPD and step): never twice, however often the run repeats.
"""

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from core.reminders import reminder_messages, reminder_record, reminder_step
from opd.models import Opd
from opd.selectors import staff_addresses_by_opd

from ..models import Participant, Reminder, Stage

TEMPLATES = {
    Reminder.Kind.STAGE: "bimtek/email/stage_reminder.txt",
    Reminder.Kind.PARTICIPANTS_MISSING: "bimtek/email/participants_missing.txt",
}


def reminders_send(*, today=None) -> int:
    """Record and queue today's reminders (each mail sent once its record commits); return how many OPDs get one."""
    today = today or timezone.localdate()
    steps = sorted(settings.BIMTEK_REMINDER_DAYS)
    if not steps:
        return 0
    stages = list(
        Stage.objects.filter(start_date__gt=today, start_date__lte=today + timedelta(days=steps[-1]))
        .select_related("masterplan")
        .prefetch_related(Prefetch("invited_opds", queryset=Opd.objects.filter(is_active=True).order_by("name")))
    )
    if not stages:
        return 0
    addresses = staff_addresses_by_opd()
    participants: dict[int, list[Participant]] = {}
    for participant in Participant.objects.filter(is_active=True).order_by("opd_id", "name", "pk"):
        participants.setdefault(participant.opd_id, []).append(participant)
    sent = set(Reminder.objects.filter(stage__in=stages).values_list("stage_id", "opd_id", "days_before"))
    queued = 0
    for stage in stages:
        days_left = (stage.start_date - today).days
        step = reminder_step(days_left, steps)
        for opd in stage.invited_opds.all():
            recipients = addresses.get(opd.pk)
            # Without anyone to write to nothing is recorded: the next run tries again (an e-mail may be added).
            if (stage.pk, opd.pk, step) in sent or not recipients:
                continue
            named = participants.get(opd.pk, [])
            kind = Reminder.Kind.STAGE if named else Reminder.Kind.PARTICIPANTS_MISSING
            context = {"stage": stage, "opd": opd, "days": days_left, "participants": named}
            messages = _messages(kind, context, recipients)
            if reminder_record(Reminder, messages, stage=stage, opd=opd, days_before=step, kind=kind):
                queued += 1
    return queued


def _messages(kind: str, context: dict, recipients: list[str]) -> list[EmailMessage]:
    """Return the reminder's mails, one per recipient, with the links to the stage and the participants page."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    context = context | {
        "stage_url": base + reverse("bimtek:stage_detail", args=[context["stage"].pk]),
        "participants_url": base + reverse("bimtek:participants"),
    }
    return reminder_messages(TEMPLATES[kind], context, recipients)
