"""E-mail notifications about submissions, sent after the transaction commits.

A mail failure is logged and never undoes the state change that caused it.
"""

import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from opd.models import Submission, User

logger = logging.getLogger(__name__)


def after_commit(function, *args) -> None:
    """Run a notification once the current transaction has committed, swallowing mail errors."""
    transaction.on_commit(partial(_safely, function, *args))


def _safely(function, *args) -> None:
    try:
        function(*args)
    except Exception:  # a broken mail server must not turn a saved decision into an error page
        logger.exception("Notification %s%r failed", function.__name__, args)


def _absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def _send(recipients: list[str], template: str, context: dict) -> int:
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, _, body = render_to_string(template, context).strip().partition("\n")
    messages = [
        (subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients
    ]
    return send_mass_mail(messages, fail_silently=False)


def notify_kominfo_submitted(submission_id: int, resubmitted: bool) -> int:
    """Tell every active Kominfo admin that a submission arrived (or came back revised)."""
    submission = Submission.objects.select_related("opd", "pillar", "element").get(pk=submission_id)
    admins = User.objects.filter(Q(role=Role.KOMINFO_ADMIN) | Q(is_superuser=True), is_active=True).exclude(email="")
    return _send(
        list(admins.values_list("email", flat=True)),
        "opd/email/submitted.txt",
        {
            "submission": submission,
            "resubmitted": resubmitted,
            "url": _absolute(reverse("submissions:detail", args=[submission.pk])),
            "REGION_NAME": settings.REGION_NAME,
        },
    )


def notify_opd_decision(submission_id: int) -> int:
    """Tell the OPD's active staff about a revision request, approval or rejection."""
    submission = Submission.objects.select_related("opd").get(pk=submission_id)
    staff = User.objects.filter(is_active=True, role=Role.OPD_STAFF, opd_id=submission.opd_id).exclude(email="")
    return _send(
        list(staff.values_list("email", flat=True)),
        "opd/email/decision.txt",
        {
            "submission": submission,
            "url": _absolute(reverse("submissions:detail", args=[submission.pk])),
            "REGION_NAME": settings.REGION_NAME,
        },
    )
