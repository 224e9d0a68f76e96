"""Reads of the masterplan for its web pages, its PDF and its exports (a fixed number of queries)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from opd.models import FundingSource, Submission, SubmissionStatus
from pillars.models import Pillar

from .models import Masterplan, PillarAnalysis, Programme


@dataclass
class PillarRoadmap:
    pillar: Pillar
    analysis: PillarAnalysis | None
    short_term: list = field(default_factory=list)
    long_term: list = field(default_factory=list)

    @property
    def programmes(self) -> list:
        return [*self.short_term, *self.long_term]

    @property
    def budget(self) -> int:
        return sum(programme.budget for programme in self.programmes)


@dataclass
class Roadmap:
    masterplan: Masterplan
    pillars: list[PillarRoadmap]
    budget_by_year: dict[int, int]
    budget_by_source: list[tuple[str, int]]
    lead_opds: list[tuple[object, list]]

    @property
    def programmes(self) -> list:
        return [programme for pillar in self.pillars for programme in pillar.programmes]

    @property
    def short_term(self) -> list:
        return [programme for pillar in self.pillars for programme in pillar.short_term]

    @property
    def long_term(self) -> list:
        return [programme for pillar in self.pillars for programme in pillar.long_term]

    @property
    def quick_wins(self) -> list:
        return [programme for programme in self.programmes if programme.is_quick_win]

    @property
    def budget(self) -> int:
        return sum(pillar.budget for pillar in self.pillars)


def programmes_of(masterplan: Masterplan):
    """Return the masterplan's programmes with everything a roadmap shows, prefetched."""
    return (
        Programme.objects.filter(masterplan=masterplan)
        .select_related("element__pillar", "lead_opd", "masterplan")
        .prefetch_related(
            "supporting_opds",
            "targets",
            Prefetch("submissions", queryset=Submission.objects.select_related("opd").order_by("reference")),
        )
    )


def roadmap(masterplan: Masterplan) -> Roadmap:
    """Return the masterplan's programmes per pillar, split short/long term, with budget totals.

    A programme is short term when it starts by the end of the short term; long term otherwise.
    A programme's budget is spread evenly over its years for the yearly totals.
    """
    analyses = {analysis.pillar_id: analysis for analysis in PillarAnalysis.objects.filter(masterplan=masterplan)}
    pillars = {pillar.pk: PillarRoadmap(pillar, analyses.get(pillar.pk)) for pillar in Pillar.objects.all()}
    by_year: dict[int, int] = dict.fromkeys(masterplan.years, 0)
    by_source: dict[str, int] = defaultdict(int)
    by_lead: dict[int, tuple] = {}
    for programme in programmes_of(masterplan):
        target = pillars[programme.element.pillar_id]
        (target.short_term if programme.is_short_term() else target.long_term).append(programme)
        years = [year for year in range(programme.start_year, programme.end_year + 1) if year in by_year]
        for year in years:
            by_year[year] += programme.budget // len(years)
        if years:  # the Rupiah that do not divide evenly go to the first year
            by_year[years[0]] += programme.budget - (programme.budget // len(years)) * len(years)
        by_source[programme.funding_source] += programme.budget
        by_lead.setdefault(programme.lead_opd_id, (programme.lead_opd, []))[1].append(programme)
    sources = [(label, by_source[value]) for value, label in FundingSource.choices if by_source.get(value)]
    leads = sorted(by_lead.values(), key=lambda item: (-len(item[1]), item[0].name))
    return Roadmap(masterplan, list(pillars.values()), by_year, sources, leads)


def unused_approved_submissions(masterplan: Masterplan):
    """Return the approved submissions no programme of this masterplan uses yet, oldest decision first."""
    return (
        Submission.objects.filter(status=SubmissionStatus.APPROVED)
        .exclude(programmes__masterplan=masterplan)
        .select_related("opd", "pillar", "element")
        .order_by("pillar__order", "decided_at", "pk")
    )


def source_submissions_by_opd(masterplan: Masterplan) -> list[tuple[object, list]]:
    """Return, per OPD, the submissions that fed the masterplan's programmes (for the annex)."""
    submissions = (
        Submission.objects.filter(programmes__masterplan=masterplan)
        .select_related("opd", "pillar", "element")
        .distinct()
        .order_by("opd__name", "reference")
    )
    grouped: dict[int, tuple] = {}
    for submission in submissions:
        grouped.setdefault(submission.opd_id, (submission.opd, []))[1].append(submission)
    return list(grouped.values())
