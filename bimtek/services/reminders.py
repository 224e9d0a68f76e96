"""Reminders e-mailed before each Bimtek stage to the staff of the OPDs invited to it (Celery beat, daily).

A stage's steps are the days of BIMTEK_REMINDER_DAYS (e.g. 7 and 1 day before). Each run sends, per upcoming
stage and invited OPD, the nearest step that is due and not yet sent, so a day the beat missed is caught up
once and a stage created three days ahead still gets its reminder. An OPD that has not named its fixed
participants gets the mail asking it to, in place of the plain reminder. Every step sent is recorded
(Reminder, unique per stage, OPD and step): never twice, however often the run repeats.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import Role
from opd.models import Opd, User

from ..models import Participant, Reminder, Stage

logger = logging.getLogger(__name__)
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
    addresses: dict[int, list[str]] = {}
    for opd_id, email in (
        User.objects.filter(role=Role.OPD_STAFF, is_active=True, opd__isnull=False)
        .exclude(email="")
        .order_by("opd_id", "email")
        .values_list("opd_id", "email")
    ):
        addresses.setdefault(opd_id, []).append(email)
    participants: dict[int, list[Participant]] = {}
    for participant in Participant.objects.filter(is_active=True).order_by("opd_id", "name", "pk"):
        participants.setdefault(participant.opd_id, []).append(participant)
    sent = set(Reminder.objects.filter(stage__in=stages).values_list("stage_id", "opd_id", "days_before"))
    queued = 0
    for stage in stages:
        days_left = (stage.start_date - today).days
        step = min(days for days in steps if days >= days_left)
        for opd in stage.invited_opds.all():
            recipients = addresses.get(opd.pk)
            # Without anyone to write to nothing is recorded: the next run tries again (an e-mail may be added).
            if (stage.pk, opd.pk, step) in sent or not recipients:
                continue
            named = participants.get(opd.pk, [])
            kind = Reminder.Kind.STAGE if named else Reminder.Kind.PARTICIPANTS_MISSING
            context = {"stage": stage, "opd": opd, "days": days_left, "participants": named}
            if _record(stage, opd, step, kind, _messages(kind, context, recipients)):
                queued += 1
    return queued


def _record(stage: Stage, opd: Opd, step: int, kind: str, messages: list[EmailMessage]) -> bool:
    """Record the step and queue its mail for after the commit; False if another run recorded it first."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                stage=stage, opd=opd, days_before=step, kind=kind, recipients=len(messages)
            )
            transaction.on_commit(partial(_deliver, reminder.pk, messages))
    except IntegrityError:
        return False
    return True


def _messages(kind: str, context: dict, recipients: list[str]) -> list[EmailMessage]:
    """Return one message per recipient (no one sees the others' addresses), in the portal's language."""
    base = settings.PORTAL_BASE_URL.rstrip("/")
    context = context | {
        "stage_url": base + reverse("bimtek:stage_detail", args=[context["stage"].pk]),
        "participants_url": base + reverse("bimtek:participants"),
        "REGION_NAME": settings.REGION_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject, _newline, body = render_to_string(TEMPLATES[kind], context).strip().partition("\n")
    return [
        EmailMessage(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [address])
        for address in recipients
    ]


def _deliver(reminder_id: int, messages: list[EmailMessage]) -> None:
    """Send a reminder's mails; a failure is logged and never stops the other OPDs' reminders.

    If not one mail went out the record is removed, so the next run tries the step again; if some did, the
    step stays sent (to send it again would mail those people twice) with the number actually reached.
    """
    delivered = 0
    try:
        with get_connection() as connection:
            for message in messages:
                message.connection = connection
                message.send()
                delivered += 1
    except Exception:  # a broken mail server must not stop the run or the reminders of other OPDs
        logger.exception("Bimtek reminder %s: %d of %d mails sent", reminder_id, delivered, len(messages))
    if delivered == 0:
        Reminder.objects.filter(pk=reminder_id).delete()
    elif delivered < len(messages):
        Reminder.objects.filter(pk=reminder_id).update(recipients=delivered)
