"""Reads of the masterplan for its pages, its PDF and its spreadsheet, each in a fixed number of queries."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    When,
    Window,
)
from django.db.models.functions import RowNumber

from opd.models import Opd, Submission, SubmissionKind, SubmissionStatus
from pillars.models import Pillar

from ..models import (
    Indicator,
    Masterplan,
    MasterplanExport,
    PillarAnalysis,
    Programme,
    ProgrammeBudget,
    RpjmdMission,
    Term,
)
from .budgets import BudgetTotals, PillarBudget, budget_totals
from .parts import Part, masterplan_parts, missing_required_parts
from .summary import executive_summary_draft

__all__ = [  # and every function below
    "BudgetTotals",
    "Part",
    "PillarBudget",
    "budget_totals",
    "executive_summary_draft",
    "masterplan_parts",
    "missing_required_parts",
]

# Rows of one pillar's programme table on the roadmap page; its figures always count every programme.
PROGRAMMES_PER_PAGE = 10
# Rows of the assembly page: the approved submissions not yet in a programme, after its filters.
ASSEMBLY_ROWS = 500
ASSEMBLY_ROW_FIELDS = (
    "reference", "title", "kind", "start_year", "end_year", "budget", "opd__short_name",
    "pillar__name_id", "pillar__name_en", "element__name_id", "element__name_en",
)  # fmt: skip
RECENT_EXPORTS_PER_BOOK = 5
# A pillar's programmes in the roadmap's order: the place Kominfo gave each, then the start year.
ORDER_IN_PILLAR = ("order", "start_year", "pk")


@dataclass
class PillarRoadmap:
    """A pillar of the roadmap: figures over all its programmes, and the programmes shown (one page, or all)."""

    pillar: Pillar
    analysis: PillarAnalysis | None
    count: int = 0
    budget: int = 0
    short_term_budget: int = 0
    programmes: list[Programme] = field(default_factory=list)
    page: Page | None = None  # the page of programmes shown, when the roadmap is paginated

    @property
    def long_term_budget(self) -> int:
        return self.budget - self.short_term_budget

    @property
    def short_term(self) -> list[Programme]:
        return [programme for programme in self.programmes if programme.is_short_term()]

    @property
    def long_term(self) -> list[Programme]:
        return [programme for programme in self.programmes if not programme.is_short_term()]


@dataclass
class Roadmap:
    """A masterplan's programmes per pillar, with its figures over every programme."""

    masterplan: Masterplan
    pillars: list[PillarRoadmap]
    short_term_count: int
    quick_win_count: int
    quick_win_budget: int
    budget_by_year: dict[int, int]
    budget_by_source: list[tuple[str, int]]
    lead_opds: list[Opd]  # each with its `programme_count`, most programmes first
    budget_totals: BudgetTotals | None = None
    medium_term_count: int = 0

    @property
    def count(self) -> int:
        return sum(pillar.count for pillar in self.pillars)

    @property
    def long_term_count(self) -> int:
        return self.count - self.short_term_count - self.medium_term_count

    @property
    def budget(self) -> int:
        return sum(pillar.budget for pillar in self.pillars)

    @property
    def short_term_budget(self) -> int:
        return sum(pillar.short_term_budget for pillar in self.pillars)

    @property
    def long_term_budget(self) -> int:
        return self.budget - self.short_term_budget

    @property
    def programmes(self) -> list[Programme]:
        """Return the programmes shown, pillar after pillar."""
        return [programme for pillar in self.pillars for programme in pillar.programmes]

    @property
    def short_term(self) -> list[Programme]:
        return [programme for pillar in self.pillars for programme in pillar.short_term]

    @property
    def long_term(self) -> list[Programme]:
        return [programme for pillar in self.pillars for programme in pillar.long_term]

    @property
    def quick_wins(self) -> list[Programme]:
        return [programme for programme in self.programmes if programme.is_quick_win]

    @property
    def everything_shown(self) -> bool:
        return len(self.programmes) == self.count


def roadmap(masterplan: Masterplan, *, pages: Mapping[str, str] | None = None) -> Roadmap:
    """Return the masterplan's figures over every programme, and its programmes per pillar: all, or one page each."""
    # Without `pages` (the PDF, the spreadsheet) every programme; with `pages` (pillar code -> page number: the
    # roadmap page's query string) only each pillar's page of programmes. Either way each programme comes with
    # its indicators, their yearly targets and its yearly budgets as the lists of `programmes_of`. A programme's
    # horizon is decided by its start year (`Masterplan.horizon_of`).
    analyses = {analysis.pillar_id: analysis for analysis in PillarAnalysis.objects.filter(masterplan=masterplan)}
    pillars = {pillar.pk: PillarRoadmap(pillar, analyses.get(pillar.pk)) for pillar in Pillar.objects.all()}
    short_term_count = medium_term_count = quick_win_count = 0
    for group in _programme_groups(masterplan):
        pillar = pillars[group["element__pillar"]]
        pillar.count += group["programme_count"]
        horizon = masterplan.horizon_of(group["start_year"])
        if horizon == Term.SHORT:
            short_term_count += group["programme_count"]
        elif horizon == Term.MEDIUM:
            medium_term_count += group["programme_count"]
        quick_win_count += group["quick_win_count"]
    totals = budget_totals(masterplan, pillars=[pillar.pillar for pillar in pillars.values()])
    quick_win_budget = 0
    for row in totals.rows:
        pillar = pillars[row["pillar"]]
        pillar.budget += row["total"]
        pillar.short_term_budget += row["short_term"]
        quick_win_budget += row["quick_win"]
    if pages is None:
        shown = programmes_of(masterplan)
    else:
        for pillar in pillars.values():
            pillar.page = Paginator(range(pillar.count), PROGRAMMES_PER_PAGE).get_page(pages.get(pillar.pillar.code))
        shown = _pages_of_programmes(masterplan, pillars.values())
    for programme in shown:
        programme.masterplan = masterplan  # the same object for every row, not one joined in per row
        pillars[programme.element.pillar_id].programmes.append(programme)
    return Roadmap(
        masterplan=masterplan,
        pillars=list(pillars.values()),
        short_term_count=short_term_count,
        medium_term_count=medium_term_count,
        quick_win_count=quick_win_count,
        quick_win_budget=quick_win_budget,
        budget_by_year=dict(zip(totals.years, totals.by_year, strict=True)),
        budget_by_source=[(label, amount) for _value, label, amount in totals.by_source if amount],
        lead_opds=_lead_opds(masterplan),
        budget_totals=totals,
    )


def _programme_groups(masterplan: Masterplan):
    """Return the programmes' counts per pillar, start year and end year (a few hundred rows at most)."""
    return (
        Programme.objects.filter(masterplan=masterplan)
        .order_by()
        .values("element__pillar", "start_year", "end_year")
        .annotate(programme_count=Count("pk"), quick_win_count=Count("pk", filter=Q(is_quick_win=True)))
    )


def _lead_opds(masterplan: Masterplan) -> list[Opd]:
    """Return the OPDs leading a programme of the masterplan, with their `programme_count`, most first."""
    led = Programme.objects.filter(masterplan=masterplan)
    counts = led.filter(lead_opd=OuterRef("pk")).order_by().values("lead_opd").annotate(count=Count("pk"))
    return list(
        Opd.objects.filter(pk__in=led.values("lead_opd"))
        .annotate(programme_count=Subquery(counts.values("count")))
        .order_by("-programme_count", "name")
    )


def programmes_of(masterplan: Masterplan, *, with_targets: bool = True, with_missions: bool = True):
    """Return the masterplan's programmes in the roadmap's order with everything a roadmap shows, prefetched.

    Each programme holds its rows as plain lists: `budget_list`, `supporting_opd_list`, `submission_list`,
    `indicator_list` (each indicator with its `target_list`) and `mission_list`; the last two only when asked for.
    """
    # Lists (`to_attr`), not the related managers' caches: Django builds no filtered QuerySet per programme and
    # relation when it stores them, and reading them makes no related manager.
    prefetches = [
        Prefetch("budgets", queryset=ProgrammeBudget.objects.order_by("year", "source"), to_attr="budget_list"),
        Prefetch("supporting_opds", queryset=Opd.objects.order_by("name", "pk"), to_attr="supporting_opd_list"),
        Prefetch(
            "submissions",
            queryset=Submission.objects.select_related("opd")
            .only("reference", "opd__name", "opd__short_name")
            .order_by("reference", "pk"),
            to_attr="submission_list",
        ),
    ]
    if with_targets:
        targets = Prefetch("targets", to_attr="target_list")
        prefetches.append(
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related(targets), to_attr="indicator_list")
        )
    if with_missions:
        prefetches.append(
            Prefetch("rpjmd_missions", queryset=RpjmdMission.objects.order_by("number", "pk"), to_attr="mission_list")
        )
    return (
        Programme.objects.filter(masterplan=masterplan)
        .select_related("element__pillar", "lead_opd")
        .prefetch_related(*prefetches)
        .order_by("element__pillar__order", *ORDER_IN_PILLAR)
    )


def _pages_of_programmes(masterplan: Masterplan, pillars) -> list[Programme]:
    """Return the programmes on each pillar's current page, numbering each pillar's programmes in the database."""
    first_rows = [
        When(element__pillar=pillar.pillar.pk, then=pillar.page.start_index()) for pillar in pillars if pillar.count
    ]
    if not first_rows:
        return []
    # The rows are numbered over the narrow (id, pillar, order) rows; only the page's programmes are read whole.
    on_pages = (
        Programme.objects.filter(masterplan=masterplan)
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=F("element__pillar"),
                order_by=[F(name).asc() for name in ORDER_IN_PILLAR],
            ),
            first_shown=Case(*first_rows, default=None, output_field=IntegerField()),
        )
        .filter(place__gte=F("first_shown"), place__lt=F("first_shown") + PROGRAMMES_PER_PAGE)
        .values("pk")
    )
    return list(programmes_of(masterplan, with_missions=False).filter(pk__in=on_pages))


def unused_approved_submissions(masterplan: Masterplan):
    """Return the approved submissions no programme of this masterplan uses yet, oldest decision first."""
    return (
        Submission.objects.filter(status=SubmissionStatus.APPROVED)
        .exclude(programmes__masterplan=masterplan)
        .select_related("opd", "pillar", "element")
        .order_by("pillar__order", "decided_at", "pk")
    )


def unused_approved_submission_count(masterplan: Masterplan) -> int:
    """Return how many approved submissions no programme of this masterplan uses yet."""
    return (
        Submission.objects.filter(status=SubmissionStatus.APPROVED).exclude(programmes__masterplan=masterplan).count()
    )


def assembly_submissions(
    masterplan: Masterplan, *, pillar_id: int | None = None, opd_id: int | None = None, kind: str = ""
) -> list[Submission]:
    """Return the first rows of the unused approved submissions of one pillar, OPD or kind (any, when not given)."""
    submissions = unused_approved_submissions(masterplan)
    if pillar_id is not None:
        submissions = submissions.filter(pillar_id=pillar_id)
    if opd_id is not None:
        submissions = submissions.filter(opd_id=opd_id)
    if kind in SubmissionKind.values:
        submissions = submissions.filter(kind=kind)
    return list(submissions.only(*ASSEMBLY_ROW_FIELDS)[:ASSEMBLY_ROWS])  # the shown columns, not the long texts


def opds_with_approved_submissions():
    """Return the OPDs that have an approved submission, by name (the assembly page's OPD filter)."""
    return Opd.objects.filter(submissions__status=SubmissionStatus.APPROVED).distinct().order_by("name")


def submission_choices(masterplan: Masterplan, programme: Programme | None = None):
    """Return the approved submissions a programme may use: the unused ones, and those it already has."""
    used_here = Q(programmes=programme) if programme else Q(pk__in=[])
    return (
        Submission.objects.filter(status=SubmissionStatus.APPROVED)
        .filter(Q(pk__in=unused_approved_submissions(masterplan).values("pk")) | used_here)
        .select_related("opd")
        .distinct()
        .order_by("reference")
    )


def programme_version(programme: Programme) -> int | None:
    """Return the programme's version as saved now, or None once it is gone."""
    return Programme.objects.filter(pk=programme.pk).values_list("version", flat=True).first()


def current_quick_win_window() -> tuple[int, int] | None:
    """Return (first, last) year of the newest draft masterplan's quick-win window, or None without a draft."""
    draft = (
        Masterplan.objects.filter(status=Masterplan.Status.DRAFT)
        .order_by("-created_at", "-pk")
        .values_list("start_year", "quick_win_years")
        .first()
    )
    return (draft[0], draft[0] + draft[1] - 1) if draft else None


def masterplan_list():
    """Return every masterplan, newest first, with who created it."""
    return Masterplan.objects.select_related("created_by").order_by("-created_at")


def recent_exports(masterplan: Masterplan) -> list[MasterplanExport]:
    """Return the latest PDF exports of each book of the masterplan, newest version first, with who asked for each."""
    return list(
        masterplan.exports.select_related("requested_by")
        .annotate(place=Window(RowNumber(), partition_by=F("book"), order_by=F("version").desc()))
        .filter(place__lte=RECENT_EXPORTS_PER_BOOK)
        .order_by("book", "-version")
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


def current_masterplan() -> Masterplan | None:
    """Return the newest masterplan with its latest finished PDF (`latest_pdf`) and its programme count.

    For the dashboards of Kominfo and the Bupati's office: three queries whatever the data size.
    """
    masterplan = (
        Masterplan.objects.annotate(programme_count=Count("programmes", distinct=True)).order_by("-created_at").first()
    )
    if masterplan is not None:
        masterplan.latest_pdf = (
            masterplan.exports.filter(status=MasterplanExport.Status.DONE).order_by("-version").first()
        )
    return masterplan
