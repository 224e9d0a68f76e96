"""Reminders e-mailed to the OPDs with reports still due: 14, 7 and 1 days before the deadline and once after
it (EVALUATION_REMINDER_DAYS; Celery beat, daily), through the one reminder path of core.reminders.

A report is still due while it is not sent (no report yet, a draft, or returned for revision). Each run sends,
per period that still takes reports and lead OPD, the nearest step due and not yet sent: a day the beat missed
is caught up once. Every step sent is recorded (ReportReminder, unique per period, OPD and step).
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.reminders import reminder_messages, reminder_record, reminder_step
from core.workflow import EDITABLE_STATUSES
from opd.selectors import staff_addresses_by_opd

from .. import access
from ..models import ProgrammeReport, ReportReminder
from ..selectors import due_programmes, periods_list

TEMPLATE = "evaluation/email/report_reminder.txt"


def _pending_by_opd(period) -> dict[int, list]:
    """Return the programmes of the period whose report is still due, by lead OPD."""
    sent = set(
        ProgrammeReport.objects.filter(period=period)
        .exclude(status__in=EDITABLE_STATUSES)
        .values_list("programme_id", flat=True)
    )
    pending: dict[int, list] = {}
    for programme in due_programmes(period).select_related("lead_opd").order_by("lead_opd_id", "code", "pk"):
        if programme.pk not in sent:
            pending.setdefault(programme.lead_opd_id, []).append(programme)
    return pending


def reminders_send(*, today=None) -> int:
    """Record and queue today's reminders (each mail sent once its record commits); return how many OPDs get one."""
    today = today or timezone.localdate()
    steps = sorted(settings.EVALUATION_REMINDER_DAYS)
    if not steps:
        return 0
    addresses = None
    queued = 0
    base = settings.PORTAL_BASE_URL.rstrip("/")
    for period in periods_list():
        pending = _pending_by_opd(period)
        if not pending:
            continue
        if addresses is None:
            addresses = staff_addresses_by_opd()
        sent = set(ReportReminder.objects.filter(period=period).values_list("opd_id", "days_before"))
        for opd_id, programmes in pending.items():
            if not access.accepts_reports_from(period, opd_id, today=today):
                continue
            deadline = access.deadline_for(period, opd_id)
            days_left = (deadline - today).days
            step = ReportReminder.AFTER_DEADLINE if days_left < 0 else reminder_step(days_left, steps)
            recipients = addresses.get(opd_id)
            # Without anyone to write to nothing is recorded: the next run tries again (an e-mail may be added).
            if step is None or (opd_id, step) in sent or not recipients:
                continue
            context = {
                "period": period,
                "opd": programmes[0].lead_opd,
                "programmes": programmes,
                "deadline": deadline,
                "days": days_left,
                "overdue": days_left < 0,
                "url": base + reverse("evaluation:my_reports"),
            }
            messages = reminder_messages(TEMPLATE, context, recipients)
            if reminder_record(ReportReminder, messages, period=period, opd_id=opd_id, days_before=step):
                queued += 1
    return queued
