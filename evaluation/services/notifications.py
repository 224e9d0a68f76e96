"""E-mail notifications about programme reports, sent after the transaction commits (through core.notifications).

A sent (or resent) report tells Kominfo's admins; Kominfo's revision request or verification tells the lead OPD's
staff, with the reason and the link. A mail failure is logged and never undoes the step that caused it.
"""

from django.urls import reverse

from core.notifications import kominfo_addresses, notification_send, opd_staff_addresses, portal_url

from ..models import ProgrammeReport


def _report(report_id: int) -> ProgrammeReport:
    return ProgrammeReport.objects.select_related("period__masterplan", "programme__lead_opd").get(pk=report_id)


def _url(report: ProgrammeReport) -> str:
    return portal_url(reverse("evaluation:report_detail", args=[report.pk]))


def notify_kominfo_report_sent(report_id: int, resubmitted: bool) -> int:
    """Tell every active Kominfo admin that a report arrived for verification (or came back revised)."""
    report = _report(report_id)
    return notification_send(
        kominfo_addresses(),
        "evaluation/email/report_sent.txt",
        {"report": report, "resubmitted": resubmitted, "url": _url(report)},
    )


def notify_opd_report_decision(report_id: int) -> int:
    """Tell the lead OPD's active staff that Kominfo asked for a revision of its report or verified it."""
    report = _report(report_id)
    return notification_send(
        opd_staff_addresses(report.programme.lead_opd_id),
        "evaluation/email/report_decision.txt",
        {"report": report, "url": _url(report)},
    )
