"""Who may do what in monitoring and evaluation: the predicates views, services and templates ask, and the loaders.

Kominfo admins open, close and reopen reporting periods and verify reports; the lead OPD of a programme
writes its report and its supporting OPDs add their part; Kominfo and the Bupati's office read every report
and the evaluation. Another OPD's report answers 404. The predicates are pure: they answer for the rows as
given (the report with its programme's supporting OPD ids and its period's reopenings loaded).
"""

from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from core.access import has_a_role, is_executive, is_kominfo_admin, is_opd_staff, reads_every_opd
from core.workflow import AWAITING_REVIEW_STATUSES, EDITABLE_STATUSES

from .models import PeriodReopening, ProgrammeReport, ReportingPeriod


def can_read_evaluation(user) -> bool:
    """Return whether the user reads reports (every role; OPD staff only their programmes')."""
    return has_a_role(user)


def can_read_every_report(user) -> bool:
    """Return whether the user reads every OPD's reports and the evaluation figures (Kominfo, the Bupati's office)."""
    return reads_every_opd(user)


def can_manage_periods(user) -> bool:
    """Return whether the user opens, closes and reopens reporting periods (Kominfo admins)."""
    return is_kominfo_admin(user)


def can_verify_reports(user) -> bool:
    """Return whether the user verifies reports: comments, revision requests, approval (Kominfo admins)."""
    return is_kominfo_admin(user)


def can_export_evaluation(user) -> bool:
    """Return whether the user generates the evaluation PDF and spreadsheet (Kominfo and the Bupati's office)."""
    return is_kominfo_admin(user) or is_executive(user)


def can_take_part(user) -> bool:
    """Return whether the user's role writes in a report's thread (OPD staff and Kominfo; the Bupati only reads)."""
    return is_opd_staff(user) or is_kominfo_admin(user)


def can_write_reports(user) -> bool:
    """Return whether the user's role writes reports at all (OPD staff)."""
    return is_opd_staff(user)


# --- Periods ------------------------------------------------------------------------------------------------


def deadline_for(period: ReportingPeriod, opd_id: int) -> date:
    """Return the OPD's deadline in the period: the latest reopening's for it, else the period's."""
    reopened = [reopening.deadline for reopening in period.reopenings.all() if reopening.opd_id == opd_id]
    return max([period.deadline, *reopened])


def accepts_reports_from(period: ReportingPeriod, opd_id: int, *, today: date | None = None) -> bool:
    """Return whether the OPD may still write and send in the period: open, or reopened for it until a deadline."""
    if period.is_open:
        return True
    today = today or timezone.localdate()
    return any(r.opd_id == opd_id and r.deadline >= today for r in period.reopenings.all())


# --- One report ---------------------------------------------------------------------------------------------

# What `supports` reads: every loader of a report for the predicates below prefetches it.
PROGRAMME_SUPPORTERS = Prefetch("programme__supporting_opds", to_attr="supporting_opd_list")


def leads(user, report) -> bool:
    """Return whether the user is staff of the programme's lead OPD (who writes and sends the report)."""
    return is_opd_staff(user) and user.opd_id == report.programme.lead_opd_id


def supports(user, report) -> bool:
    """Return whether the user is staff of one of the programme's supporting OPDs (who add their part)."""
    return is_opd_staff(user) and user.opd_id in {opd.pk for opd in report.programme.supporting_opd_list}


def can_read_report(user, report) -> bool:
    """Return whether the user may read the report: the lead and supporting OPDs, Kominfo and the Bupati's office."""
    return reads_every_opd(user) or leads(user, report) or supports(user, report)


def can_edit_report(user, report) -> bool:
    """Return whether the user may change the report: its lead OPD, while draft or returned and the period takes it."""
    return (
        leads(user, report)
        and report.status in EDITABLE_STATUSES
        and accepts_reports_from(report.period, report.programme.lead_opd_id)
    )


def can_contribute(user, report) -> bool:
    """Return whether the user may write their supporting OPD's part: while the lead may still change the report."""
    return (
        supports(user, report)
        and report.status in EDITABLE_STATUSES
        and accepts_reports_from(report.period, report.programme.lead_opd_id)
    )


def can_decide_report(user, report) -> bool:
    """Return whether the user may request a revision or approve: Kominfo, while the report awaits verification."""
    return can_verify_reports(user) and report.status in AWAITING_REVIEW_STATUSES


def can_comment_report(user, report) -> bool:
    """Return whether the user may comment: the lead OPD always, Kominfo once the report was sent."""
    return leads(user, report) or (can_verify_reports(user) and report.submitted_at is not None)


def report_permissions(user, report) -> dict[str, bool]:
    """Return what the user may do with the report, as the `can` flags of its templates."""
    return {
        "edit": can_edit_report(user, report),
        "contribute": can_contribute(user, report),
        "decide": can_decide_report(user, report),
        "comment": can_comment_report(user, report),
        "internal_notes": can_verify_reports(user),
    }


# --- Which reports a person sees, and the loaders ----------------------------------------------------------


def reports_visible_to(user):
    """Return the reports the user may see: their OPD's programmes' (lead or supporting) for staff; all for the rest."""
    queryset = ProgrammeReport.objects.all()
    if reads_every_opd(user):
        return queryset
    if is_opd_staff(user):
        return queryset.filter_for_opd(user.opd_id)
    return queryset.none()


def access_report(user, pk, *, write: bool = False):
    """Return the report for the user with what its pages and predicates need, or 404 outside their reach."""
    if write and not (is_opd_staff(user) or is_kominfo_admin(user)):
        raise Http404
    report = (
        reports_visible_to(user)
        .select_related("period__masterplan", "programme__lead_opd", "programme__element__pillar", "decided_by")
        .prefetch_related(PROGRAMME_SUPPORTERS, "period__reopenings")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


def access_period(user, pk) -> ReportingPeriod:
    """Return the reporting period (every role reads the periods), or 404."""
    if not has_a_role(user):
        raise Http404
    reopenings = Prefetch("reopenings", queryset=PeriodReopening.objects.select_related("opd", "reopened_by"))
    period = ReportingPeriod.objects.select_related("masterplan").prefetch_related(reopenings).filter(pk=pk).first()
    if period is None:
        raise Http404
    return period
