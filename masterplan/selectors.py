"""Reads of the masterplan for its web pages, its PDF and its exports (a fixed number of queries)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Prefetch

from opd.models import FundingSource, Opd, Submission, SubmissionStatus
from pillars.models import Pillar

from .models import Masterplan, PillarAnalysis, Programme

# Rows of one pillar's programme table on the roadmap page; its figures always count every programme.
PROGRAMMES_PER_PAGE = 10


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
        _spread_budget(by_year, programme.start_year, programme.end_year, programme.budget)
        by_source[programme.funding_source] += programme.budget
        by_lead.setdefault(programme.lead_opd_id, (programme.lead_opd, []))[1].append(programme)
    sources = [(label, by_source[value]) for value, label in FundingSource.choices if by_source.get(value)]
    leads = sorted(by_lead.values(), key=lambda item: (-len(item[1]), item[0].name))
    return Roadmap(masterplan, list(pillars.values()), by_year, sources, leads)


def _spread_budget(by_year: dict[int, int], start: int, end: int, budget: int) -> None:
    """Add a programme's budget evenly over its years inside the period (the remainder to the first)."""
    years = [year for year in range(start, end + 1) if year in by_year]
    for year in years:
        by_year[year] += budget // len(years)
    if years:
        by_year[years[0]] += budget - (budget // len(years)) * len(years)


@dataclass
class PillarOverview:
    """A pillar on the roadmap page: figures over all its programmes, the rows of one page of them."""

    pillar: Pillar
    analysis: PillarAnalysis | None
    count: int = 0
    budget: int = 0
    page: object = None
    programmes: list = field(default_factory=list)


@dataclass
class RoadmapOverview:
    masterplan: Masterplan
    pillars: list[PillarOverview]
    count: int
    short_term_count: int
    long_term_count: int
    quick_win_count: int
    budget: int
    budget_by_year: dict[int, int]
    budget_by_source: list[tuple[str, int]]
    lead_opds: list[tuple[object, int]]


def roadmap_overview(masterplan: Masterplan, pages: dict[str, str] | None = None) -> RoadmapOverview:
    """Return the roadmap page's figures over every programme, with one page of rows per pillar.

    The figures come from one narrow query; only the shown rows are loaded whole, so the page costs
    the same whether the masterplan has 50 programmes or 5,000. `pages` maps a pillar code to its page.
    """
    pages = pages or {}
    analyses = {analysis.pillar_id: analysis for analysis in PillarAnalysis.objects.filter(masterplan=masterplan)}
    pillars = {pillar.pk: PillarOverview(pillar, analyses.get(pillar.pk)) for pillar in Pillar.objects.all()}
    rows = (
        Programme.objects.filter(masterplan=masterplan)
        .order_by(*Programme._meta.ordering)
        .values_list("pk", "element__pillar_id", "start_year", "end_year", "budget", "funding_source", "lead_opd_id",
                     "is_quick_win")
    )  # fmt: skip
    by_year: dict[int, int] = dict.fromkeys(masterplan.years, 0)
    by_source: dict[str, int] = defaultdict(int)
    by_lead: dict[int, int] = defaultdict(int)
    pks_by_pillar: dict[int, list[int]] = defaultdict(list)
    count = short = quick = 0
    for pk, pillar_id, start, end, budget, source, lead_id, is_quick_win in rows:
        count += 1
        short += start <= masterplan.short_term_end_year
        quick += is_quick_win
        pillars[pillar_id].count += 1
        pillars[pillar_id].budget += budget
        pks_by_pillar[pillar_id].append(pk)
        _spread_budget(by_year, start, end, budget)
        by_source[source] += budget
        by_lead[lead_id] += 1
    shown: dict[int, list[int]] = {}
    for pillar_id, overview in pillars.items():
        overview.page = Paginator(pks_by_pillar[pillar_id], PROGRAMMES_PER_PAGE).get_page(
            pages.get(overview.pillar.code)
        )
        shown[pillar_id] = list(overview.page.object_list)
    # Only what the page's rows show: no yearly targets, no long texts, the source submissions' references only
    # (loading whole submissions was two thirds of this function's time), the masterplan already in hand.
    loaded = (
        Programme.objects.select_related("element__pillar", "lead_opd")
        .defer("masterplan", "description", "output_indicator", "outcome_indicator")
        .prefetch_related(
            Prefetch("supporting_opds", queryset=Opd.objects.only("short_name")),
            Prefetch("submissions", queryset=Submission.objects.only("reference").order_by("reference")),
        )
        .in_bulk([pk for pks in shown.values() for pk in pks])
    )
    for programme in loaded.values():
        programme.masterplan = masterplan
    for pillar_id, pks in shown.items():
        pillars[pillar_id].programmes = [loaded[pk] for pk in pks if pk in loaded]
    opds = Opd.objects.in_bulk(list(by_lead))
    leads = sorted(((opds[pk], total) for pk, total in by_lead.items()), key=lambda item: (-item[1], item[0].name))
    return RoadmapOverview(
        masterplan=masterplan,
        pillars=list(pillars.values()),
        count=count,
        short_term_count=short,
        long_term_count=count - short,
        quick_win_count=quick,
        budget=sum(by_source.values()),
        budget_by_year=by_year,
        budget_by_source=[(label, by_source[value]) for value, label in FundingSource.choices if by_source.get(value)],
        lead_opds=leads,
    )


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
