"""Reads of monitoring and evaluation: each with a fixed number of queries, whatever the data size."""

from django.db.models import Prefetch, Q
from django.utils import timezone

from core.workflow import EDITABLE_STATUSES
from masterplan.models import IndicatorTarget, Masterplan, Programme, ProgrammeBudget
from opd.models import Opd

from .. import access
from ..models import EvaluationExport, PeriodReopening, ProgrammeReport, ReportComment, ReportingPeriod


def due_programmes(period: ReportingPeriod):
    """Return the programmes due in the period: those of its masterplan active in its year."""
    return Programme.objects.filter(
        masterplan_id=period.masterplan_id, start_year__lte=period.year, end_year__gte=period.year
    )


def year_targets(report):
    """Return the indicator targets of the report's programme in its year, with their indicators."""
    return (
        IndicatorTarget.objects.filter(indicator__programme_id=report.programme_id, year=report.period.year)
        .select_related("indicator")
        .order_by("indicator__order", "indicator__pk")
    )


def year_budgets(report):
    """Return the planned budget lines of the report's programme in its year."""
    return ProgrammeBudget.objects.filter(programme_id=report.programme_id, year=report.period.year).order_by("source")


def periods_list():
    """Return every reporting period with its masterplan and reopenings (three queries)."""
    reopenings = PeriodReopening.objects.select_related("opd", "reopened_by").order_by("-reopened_at")
    return ReportingPeriod.objects.select_related("masterplan", "opened_by", "closed_by").prefetch_related(
        Prefetch("reopenings", queryset=reopenings)
    )


def final_masterplans():
    """Return the final masterplans (a period is opened on one of them)."""
    return Masterplan.objects.filter(status=Masterplan.Status.FINAL).order_by("-start_year")


def reporting_opds(period: ReportingPeriod):
    """Return the OPDs leading a programme due in the period (whom a reopening can be for)."""
    return Opd.objects.filter(pk__in=due_programmes(period).values("lead_opd_id")).order_by("name")


def opd_due_reports(opd_id: int, *, today=None) -> list[dict]:
    """Return, for the OPD's dashboard, each programme it leads that is due in a period still taking its
    reports, with the deadline and the report's status (four queries)."""
    today = today or timezone.localdate()
    periods = [
        period
        for period in periods_list().filter(masterplan__status=Masterplan.Status.FINAL)
        if access.accepts_reports_from(period, opd_id, today=today)
    ]
    if not periods:
        return []
    reports = {
        (report.period_id, report.programme_id): report
        for report in ProgrammeReport.objects.filter(period__in=periods, programme__lead_opd_id=opd_id).only(
            "pk", "period_id", "programme_id", "status"
        )
    }
    rows = []
    programmes = Programme.objects.filter(
        masterplan_id__in={period.masterplan_id for period in periods}, lead_opd_id=opd_id
    ).select_related("element__pillar")
    by_masterplan: dict[int, list] = {}
    for programme in programmes:
        by_masterplan.setdefault(programme.masterplan_id, []).append(programme)
    for period in periods:
        deadline = access.deadline_for(period, opd_id)
        for programme in by_masterplan.get(period.masterplan_id, []):
            if programme.start_year <= period.year <= programme.end_year:
                report = reports.get((period.pk, programme.pk))
                rows.append(
                    {
                        "period": period,
                        "programme": programme,
                        "deadline": deadline,
                        "overdue": deadline < today and (report is None or report.status in EDITABLE_STATUSES),
                        "report": report,
                    }
                )
    return rows


def period_programmes(period: ReportingPeriod, user) -> list[dict]:
    """Return the programmes due in the period that the user may see, each with its report (three queries)."""
    programmes = due_programmes(period).select_related("element__pillar", "lead_opd")
    if not access.can_read_every_report(user):
        programmes = programmes.filter(Q(lead_opd_id=user.opd_id) | Q(supporting_opds__id=user.opd_id)).distinct()
    reports = {report.programme_id: report for report in ProgrammeReport.objects.filter(period=period)}
    today = timezone.localdate()
    rows = []
    for programme in programmes.order_by("element__pillar__order", "code", "order", "pk"):
        report = reports.get(programme.pk)
        deadline = access.deadline_for(period, programme.lead_opd_id)
        rows.append(
            {
                "programme": programme,
                "report": report,
                "deadline": deadline,
                "overdue": deadline < today and (report is None or report.status in EDITABLE_STATUSES),
                "leads": user.opd_id == programme.lead_opd_id and access.can_write_reports(user),
            }
        )
    return rows


def report_content(report, user) -> dict:
    """Return what a report's page shows beside the report: its lines, parts, evidence, comments, history."""
    realised = {r.target_id: r.value for r in report.realisations.all()}
    spent = {b.budget_id: b for b in report.budget_realisations.all()}
    comments = report.comments.select_related("author__opd")
    if not access.can_verify_reports(user):
        comments = comments.filter(visibility=ReportComment.Visibility.OPD)
    return {
        "lines": [(target, realised.get(target.pk)) for target in year_targets(report)],
        "budget_lines": [(budget, spent.get(budget.pk)) for budget in year_budgets(report)],
        "contributions": report.contributions.select_related("opd", "updated_by"),
        "evidence": report.evidence.all(),
        "comments": comments,
        "events": report.events.select_related("actor"),
    }


def verification_queue():
    """Return the reports awaiting Kominfo's verification, oldest sent first (one query)."""
    return (
        ProgrammeReport.objects.awaiting_review()
        .select_related("period__masterplan", "programme__lead_opd", "programme__element__pillar")
        .order_by("last_submitted_at", "pk")
    )


def recent_evaluation_exports(period: ReportingPeriod):
    """Return the period's latest evaluation report renderings, newest first (one query)."""
    return EvaluationExport.objects.filter(period=period).select_related("requested_by")[:5]
