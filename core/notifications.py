"""E-mail notifications about a reviewed row (a submission, a programme report), sent after the transaction commits.

A service queues its notification with `after_commit(notify_..., row.pk, ...)`; the notification loads the row,
picks its recipients (`kominfo_addresses`, `opd_staff_addresses`) and sends one mail per address with
`notification_send`. A mail failure is logged under the notification's own module and never undoes the state
change that caused it.
"""

import logging
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from .roles import Role


def after_commit(function, *args) -> None:
    """Run a notification once the current transaction has committed, swallowing mail errors."""
    transaction.on_commit(partial(_safely, function, *args))


def _safely(function, *args) -> None:
    try:
        function(*args)
    except Exception:  # a broken mail server must not turn a saved decision into an error page
        logging.getLogger(function.__module__).exception("Notification %s%r failed", function.__name__, args)


def portal_url(path: str) -> str:
    """Return the absolute address of a portal path, for a link in a mail."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def kominfo_addresses() -> list[str]:
    """Return the e-mail addresses of every active Kominfo admin (superusers count as admins)."""
    admins = get_user_model().objects.filter(Q(role=Role.KOMINFO_ADMIN) | Q(is_superuser=True), is_active=True)
    return list(admins.exclude(email="").order_by("email").values_list("email", flat=True).distinct())


def opd_staff_addresses(opd_id: int) -> list[str]:
    """Return the e-mail addresses of one OPD's active staff."""
    staff = get_user_model().objects.filter(role=Role.OPD_STAFF, is_active=True, opd_id=opd_id)
    return list(staff.exclude(email="").order_by("email").values_list("email", flat=True).distinct())


def notification_send(recipients: list[str], template: str, context: dict) -> int:
    """Send one mail per recipient (no one sees the others' addresses) in the portal's language; return how many.

    The template's first line is the subject, the rest the body.
    """
    if not recipients:
        return 0
    context = {"REGION_NAME": settings.REGION_NAME, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject, _newline, body = render_to_string(template, context).strip().partition("\n")
    messages = [
        (subject.strip(), body.strip() + "\n", settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients
    ]
    return send_mass_mail(messages, fail_silently=False)
