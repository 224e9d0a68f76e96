"""Reminder e-mails sent by a daily Celery beat run, each step recorded so that none is ever sent twice.

An app's reminder model has a unique constraint over what a step is about (the stage or period, the OPD,
the step); its run asks `reminder_step` which step is due, builds the mails with `reminder_messages` and
hands both to `reminder_record`, which records the step and sends its mails once the record commits.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def reminder_step(days_left: int, steps: list[int]) -> int | None:
    """Return the nearest step (days before, ascending `steps`) due with `days_left` days to go, or None.

    A run the beat missed is caught up once: three days before a 7-and-1-day schedule, the 7-day step is due.
    """
    due = [days for days in steps if days >= days_left]
    return min(due) if due else None


def reminder_messages(template: str, context: dict, recipients: list[str]) -> list[EmailMessage]:
    """Return one message per recipient (no one sees the others' addresses), in the portal's language.

    The template's first line is the subject, the rest the body.
    """
    context = {"REGION_NAME": settings.REGION_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject, _newline, body = render_to_string(template, context).strip().partition("\n")
    return [
        EmailMessage(subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [address])
        for address in recipients
    ]


def reminder_record(model, messages: list[EmailMessage], **fields) -> bool:
    """Record the step and queue its mail for after the commit; False if another run recorded it first."""
    try:
        with transaction.atomic():
            reminder = model.objects.create(recipients=len(messages), **fields)
            transaction.on_commit(partial(reminder_deliver, model, reminder.pk, messages))
    except IntegrityError:
        return False
    return True


def reminder_deliver(model, reminder_id: int, messages: list[EmailMessage]) -> None:
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
        with translation.override(None):
            label = str(model._meta.verbose_name)
        logger.exception("%s %s: %d of %d mails sent", label, reminder_id, delivered, len(messages))
    if delivered == 0:
        model.objects.filter(pk=reminder_id).delete()
    elif delivered < len(messages):
        model.objects.filter(pk=reminder_id).update(recipients=delivered)
