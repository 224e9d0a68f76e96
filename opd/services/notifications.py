"""E-mail notifications about submissions, sent after the transaction commits (through core.notifications).

A mail failure is logged and never undoes the state change that caused it.
"""

from django.urls import reverse

from core.notifications import after_commit, kominfo_addresses, notification_send, opd_staff_addresses, portal_url
from opd.models import Submission

__all__ = ["after_commit", "notify_kominfo_submitted", "notify_opd_decision"]


def notify_kominfo_submitted(submission_id: int, resubmitted: bool) -> int:
    """Tell every active Kominfo admin that a submission arrived (or came back revised)."""
    submission = Submission.objects.select_related("opd", "pillar", "element").get(pk=submission_id)
    return notification_send(
        kominfo_addresses(),
        "opd/email/submitted.txt",
        {
            "submission": submission,
            "resubmitted": resubmitted,
            "url": portal_url(reverse("submissions:detail", args=[submission.pk])),
        },
    )


def notify_opd_decision(submission_id: int) -> int:
    """Tell the OPD's active staff about a revision request, approval or rejection."""
    submission = Submission.objects.select_related("opd").get(pk=submission_id)
    return notification_send(
        opd_staff_addresses(submission.opd_id),
        "opd/email/decision.txt",
        {"submission": submission, "url": portal_url(reverse("submissions:detail", args=[submission.pk]))},
    )
