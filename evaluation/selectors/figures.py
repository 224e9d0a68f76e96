"""The evaluation's figures of one reporting period: one selector per figure, each feeding the pages, the PDF
and the spreadsheet. `period_rows` loads the period in a fixed number of queries (seven, whatever the number
of programmes and reports); every figure is computed from its rows.

Only verified reports count in the figures: what an OPD has sent but Kominfo has not verified is shown as
such, never summed.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import ReviewStatus
from core.workflow import EDITABLE_STATUSES
from masterplan.models import Indicator, IndicatorTarget, Programme, ProgrammeBudget
from opd.models import FundingSource

from .. import access
from ..models import ProgrammeReport, ReportEvidence
from ..models.reports import ProgressStatus
from . import due_programmes

# Under this share of its target by the period's end an indicator puts its programme at risk.
AT_RISK_ACHIEVEMENT = Decimal(50)


@dataclass
class IndicatorRow:
    indicator: object
    target: Decimal
    realised: Decimal | None

    @property
    def achievement(self) -> Decimal | None:
        """Return realised / target in percent (None without a verified value or with a zero target)."""
        if self.realised is None or not self.target:
            return None
        return (self.realised / self.target * 100).quantize(Decimal("0.1"))


@dataclass
class ProgrammeRow:
    programme: Programme
    report: ProgrammeReport | None
    deadline: object
    indicators: list[IndicatorRow] = field(default_factory=list)
    planned: dict[str, int] = field(default_factory=dict)
    spent: dict[str, int] = field(default_factory=dict)
    risks: list[str] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.report is not None and self.report.status == ReviewStatus.APPROVED

    @property
    def sent(self) -> bool:
        return self.report is not None and self.report.status not in EDITABLE_STATUSES

    @property
    def pillar(self):
        return self.programme.element.pillar

    @property
    def achievement(self) -> Decimal | None:
        """Return the mean achievement of the programme's indicators with a verified value."""
        values = [row.achievement for row in self.indicators if row.achievement is not None]
        return (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None


def period_rows(period, *, today=None) -> list[ProgrammeRow]:
    """Return one row per programme due in the period, with its targets, plan, verified figures and risks."""
    today = today or timezone.localdate()
    targets = IndicatorTarget.objects.filter(year=period.year).select_related("indicator")
    indicators = Indicator.objects.prefetch_related(Prefetch("targets", queryset=targets, to_attr="year_targets"))
    budgets = ProgrammeBudget.objects.filter(year=period.year)
    programmes = list(
        due_programmes(period)
        .select_related("element__pillar", "lead_opd")
        .prefetch_related(
            Prefetch("indicators", queryset=indicators, to_attr="indicator_list"),
            Prefetch("budgets", queryset=budgets, to_attr="year_budgets"),
        )
        .order_by("element__pillar__order", "code", "order", "pk")
    )
    reports = {
        report.programme_id: report
        for report in ProgrammeReport.objects.filter(period=period).prefetch_related(
            "realisations", "budget_realisations"
        )
    }
    rows = []
    for programme in programmes:
        report = reports.get(programme.pk)
        verified = report is not None and report.status == ReviewStatus.APPROVED
        realised = {r.target_id: r.value for r in report.realisations.all()} if verified else {}
        spent_by_budget = {b.budget_id: b.amount for b in report.budget_realisations.all()} if verified else {}
        row = ProgrammeRow(programme, report, access.deadline_for(period, programme.lead_opd_id))
        for indicator in programme.indicator_list:
            for target in indicator.year_targets:
                row.indicators.append(IndicatorRow(indicator, target.value, realised.get(target.pk)))
        for budget in programme.year_budgets:
            row.planned[budget.source] = row.planned.get(budget.source, 0) + budget.amount
            if budget.pk in spent_by_budget:
                row.spent[budget.source] = row.spent.get(budget.source, 0) + spent_by_budget[budget.pk]
        row.risks = _risks(row, report, today)
        rows.append(row)
    return rows


def _risks(row: ProgrammeRow, report, today) -> list[str]:
    risks = []
    if report is not None and report.progress_status == ProgressStatus.DELAYED and report.status != "draft":
        risks.append(_("delayed"))
    if any(
        indicator.achievement is not None and indicator.achievement < AT_RISK_ACHIEVEMENT
        for indicator in row.indicators
    ):
        risks.append(_("under 50% of target"))
    if row.deadline < today and not row.sent:
        risks.append(_("no report by the deadline"))
    return risks


def programmes_at_risk(rows: list[ProgrammeRow]) -> list[ProgrammeRow]:
    """Return the programmes at risk: delayed, under 50% of a target, or not reported by the deadline."""
    return [row for row in rows if row.risks]


def indicator_achievement(rows: list[ProgrammeRow]) -> list[dict]:
    """Return per pillar its programmes' indicators with target, verified realised value and achievement."""
    pillars: dict[int, dict] = {}
    for row in rows:
        entry = pillars.setdefault(row.pillar.pk, {"pillar": row.pillar, "lines": []})
        for indicator in row.indicators:
            entry["lines"].append({"programme": row.programme, "row": row, "indicator": indicator})
    return list(pillars.values())


def _absorption(planned: int, spent: int) -> Decimal | None:
    return (Decimal(spent) / planned * 100).quantize(Decimal("0.1")) if planned else None


def budget_by_source(rows: list[ProgrammeRow]) -> list[dict]:
    """Return per funding source the planned budget of the year, the verified spending and the absorption."""
    table = []
    for source, label in FundingSource.choices:
        planned = sum(row.planned.get(source, 0) for row in rows)
        spent = sum(row.spent.get(source, 0) for row in rows)
        if planned or spent:
            table.append(
                {
                    "source": source,
                    "label": label,
                    "planned": planned,
                    "spent": spent,
                    "absorption": _absorption(planned, spent),
                }
            )
    return table


def budget_by_pillar(rows: list[ProgrammeRow]) -> list[dict]:
    """Return per pillar the planned budget of the year, the verified spending and the absorption."""
    pillars: dict[int, dict] = {}
    for row in rows:
        entry = pillars.setdefault(row.pillar.pk, {"pillar": row.pillar, "planned": 0, "spent": 0})
        entry["planned"] += sum(row.planned.values())
        entry["spent"] += sum(row.spent.values())
    for entry in pillars.values():
        entry["absorption"] = _absorption(entry["planned"], entry["spent"])
    return list(pillars.values())


def _summary(group_rows: list[ProgrammeRow]) -> dict:
    achievements = [row.achievement for row in group_rows if row.achievement is not None]
    planned = sum(sum(row.planned.values()) for row in group_rows)
    spent = sum(sum(row.spent.values()) for row in group_rows)
    return {
        "programmes": len(group_rows),
        "sent": sum(row.sent for row in group_rows),
        "verified": sum(row.verified for row in group_rows),
        "at_risk": sum(bool(row.risks) for row in group_rows),
        "achievement": (sum(achievements) / len(achievements)).quantize(Decimal("0.1")) if achievements else None,
        "planned": planned,
        "spent": spent,
        "absorption": _absorption(planned, spent),
    }


def summary_by_pillar(rows: list[ProgrammeRow]) -> list[dict]:
    """Return per pillar: programmes due, reports sent and verified, at risk, mean achievement, absorption."""
    groups: dict[int, tuple] = {}
    for row in rows:
        groups.setdefault(row.pillar.pk, (row.pillar, []))[1].append(row)
    return [{"pillar": pillar, **_summary(group)} for pillar, group in groups.values()]


def summary_by_opd(rows: list[ProgrammeRow]) -> list[dict]:
    """Return per lead OPD: programmes due, reports sent and verified, at risk, mean achievement, absorption."""
    groups: dict[int, tuple] = {}
    for row in sorted(rows, key=lambda row: row.programme.lead_opd.name):
        groups.setdefault(row.programme.lead_opd_id, (row.programme.lead_opd, []))[1].append(row)
    return [{"opd": opd, **_summary(group)} for opd, group in groups.values()]


def period_summary(rows: list[ProgrammeRow]) -> dict:
    """Return the period's totals: the summary's first paragraph."""
    return _summary(rows)


def verified_evidence(period):
    """Return the evidence files of the period's verified reports, by programme (one query)."""
    return (
        ReportEvidence.objects.filter(report__period=period, report__status=ReviewStatus.APPROVED)
        .select_related("report__programme")
        .order_by("report__programme__code", "report__programme_id", "uploaded_at", "pk")
    )


def year_over_year_programmes():
    """Return the programmes as their year-over-year page shows them: with pillar, lead OPD and `budget_list`."""
    return Programme.objects.select_related("element__pillar", "lead_opd", "masterplan").prefetch_related(
        Prefetch("budgets", to_attr="budget_list")
    )


def programme_years(programme) -> list[dict]:
    """Return a programme of `year_over_year_programmes` with its verified achievement and spending year by year
    (year-over-year; four queries)."""
    reports = (
        ProgrammeReport.objects.filter(programme=programme, status=ReviewStatus.APPROVED)
        .select_related("period")
        .prefetch_related("realisations__target__indicator", "budget_realisations")
        .order_by("period__year")
    )
    planned: dict[int, int] = {}
    for budget in programme.budget_list:
        planned[budget.year] = planned.get(budget.year, 0) + budget.amount
    years = []
    for report in reports:
        lines = [
            IndicatorRow(realisation.target.indicator, realisation.target.value, realisation.value)
            for realisation in report.realisations.all()
        ]
        spent = sum(b.amount for b in report.budget_realisations.all())
        year_planned = planned.get(report.period.year, 0)
        achievements = [line.achievement for line in lines if line.achievement is not None]
        years.append(
            {
                "year": report.period.year,
                "report": report,
                "lines": lines,
                "achievement": (sum(achievements) / len(achievements)).quantize(Decimal("0.1"))
                if achievements
                else None,
                "planned": year_planned,
                "spent": spent,
                "absorption": _absorption(year_planned, spent),
            }
        )
    return years


def evaluation_figures(period, *, today=None) -> dict:
    """Return every figure of the period, as the page, the PDF and the spreadsheet show them (eight queries)."""
    rows = period_rows(period, today=today)
    return {
        "rows": rows,
        "summary": period_summary(rows),
        "achievement": indicator_achievement(rows),
        "by_source": budget_by_source(rows),
        "budget_by_pillar": budget_by_pillar(rows),
        "at_risk": programmes_at_risk(rows),
        "by_pillar": summary_by_pillar(rows),
        "by_opd": summary_by_opd(rows),
    }
