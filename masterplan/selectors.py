"""Reads of the masterplan for its web pages, its PDF and its exports (a fixed number of queries)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Prefetch

from opd.models import FundingSource, Opd, Submission, SubmissionStatus
from pillars.models import Element, Pillar

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
class ProgrammeRow:
    """A programme as a row of the roadmap page and its Gantt chart show it (no model instance per row)."""

    pk: int
    title: str
    element: Element
    lead_opd_short_name: str
    start_year: int
    end_year: int
    budget: int
    funding_source_label: str
    is_quick_win: bool
    is_short_term: bool
    supporters: list[str] = field(default_factory=list)
    sources: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class PillarOverview:
    """A pillar on the roadmap page: figures over all its programmes, the rows of one page of them."""

    pillar: Pillar
    analysis: PillarAnalysis | None
    count: int = 0
    budget: int = 0
    page: object = None
    programmes: list[ProgrammeRow] = field(default_factory=list)


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

    The database sums the figures (a few hundred grouped rows at most, whatever the number of programmes)
    and numbers each pillar's programmes; only the shown rows are read, as plain values. So the page costs
    the same with 50 programmes or 5,000. `pages` maps a pillar code to its page.
    """
    pages = pages or {}
    analyses = {analysis.pillar_id: analysis for analysis in PillarAnalysis.objects.filter(masterplan=masterplan)}
    pillars = {pillar.pk: PillarOverview(pillar, analyses.get(pillar.pk)) for pillar in Pillar.objects.all()}
    by_year: dict[int, int] = dict.fromkeys(masterplan.years, 0)
    count = short = quick = 0
    for pillar_id, start, end, number, quick_wins, budget, shares in yearly_budget_groups(masterplan):
        count += number
        short += number if start <= masterplan.short_term_end_year else 0
        quick += quick_wins
        pillars[pillar_id].count += number
        pillars[pillar_id].budget += budget
        first, last = max(start, masterplan.start_year), min(end, masterplan.end_year)
        if first <= last:
            for year in range(first, last + 1):
                by_year[year] += shares
            by_year[first] += budget - shares * (last - first + 1)  # the Rupiah that don't divide
    by_source, leads = budget_by_source_and_lead_opds(masterplan)
    pillars_by_first_row: dict[int, list[int]] = defaultdict(list)
    for pillar_id, overview in pillars.items():
        overview.page = Paginator(range(overview.count), PROGRAMMES_PER_PAGE).get_page(pages.get(overview.pillar.code))
        if overview.count:
            pillars_by_first_row[overview.page.start_index()].append(pillar_id)
    for pillar_id, row in _shown_rows(masterplan, pillars, pillars_by_first_row):
        pillars[pillar_id].programmes.append(row)
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


def yearly_budget_groups(masterplan: Masterplan) -> list[tuple[int, int, int, int, int, int, int]]:
    """Return (pillar id, start year, end year, programmes, quick wins, budget, share) per pillar and years.

    `share` sums each programme's `budget / years` (whole Rupiah) over its years inside the period, the
    part of its budget every one of those years gets; `budget - share * years` is what `_spread_budget`
    adds to the first of them. A programme outside the period has no share (NULL, summed as 0).
    Written in SQL that PostgreSQL and SQLite read alike (integer division on both): through the ORM,
    compiling this one query took ten times as long as running it.
    """
    tables = _tables()
    first = "CASE WHEN p.start_year > %(start)s THEN p.start_year ELSE %(start)s END"
    last = "CASE WHEN p.end_year < %(end)s THEN p.end_year ELSE %(end)s END"
    sql = f"""
        SELECT e.pillar_id, p.start_year, p.end_year, COUNT(*),
               SUM(CASE WHEN p.is_quick_win THEN 1 ELSE 0 END), SUM(p.budget),
               SUM(CASE WHEN p.start_year <= %(end)s AND p.end_year >= %(start)s
                        THEN p.budget / ({last} - {first} + 1) END)
        FROM {tables.programme} p JOIN {tables.element} e ON e.id = p.element_id
        WHERE p.masterplan_id = %(masterplan)s
        GROUP BY e.pillar_id, p.start_year, p.end_year
    """  # noqa: S608 (only table names from the models are formatted in; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"start": masterplan.start_year, "end": masterplan.end_year, "masterplan": masterplan.pk})
        return [
            (pillar_id, start, end, number, int(quick), int(budget), int(share or 0))
            for pillar_id, start, end, number, quick, budget, share in cursor.fetchall()
        ]


def budget_by_source_and_lead_opds(masterplan: Masterplan) -> tuple[dict[str, int], list[tuple[Opd, int]]]:
    """Return the budget per funding source, and the lead OPDs with their number of programmes (most first).

    One plain SQL statement (two groupings, UNION ALL) in place of two ORM queries that cost more to
    compile than to run; the OPDs come back as unsaved instances holding their name and short name.
    """
    tables = _tables()
    sql = f"""
        SELECT 0, p.funding_source, NULL, NULL, SUM(p.budget)
        FROM {tables.programme} p WHERE p.masterplan_id = %s GROUP BY p.funding_source
        UNION ALL
        SELECT 1, o.name, o.id, o.short_name, COUNT(*)
        FROM {tables.programme} p JOIN {tables.opd} o ON o.id = p.lead_opd_id
        WHERE p.masterplan_id = %s GROUP BY o.id, o.name, o.short_name
    """  # noqa: S608 (only table names from the models are formatted in)
    by_source: dict[str, int] = {}
    leads: list[tuple[Opd, int]] = []
    with connection.cursor() as cursor:
        cursor.execute(sql, [masterplan.pk, masterplan.pk])
        for kind, text, opd_pk, short_name, amount in cursor.fetchall():
            if kind == 0:
                by_source[text] = int(amount)
            else:
                leads.append((Opd(pk=opd_pk, name=text, short_name=short_name), int(amount)))
    leads.sort(key=lambda item: (-item[1], item[0].name))
    return by_source, leads


def unused_approved_submission_count(masterplan: Masterplan) -> int:
    """Return how many approved submissions no programme of this masterplan uses (`unused_approved_submissions`).

    The same rule in plain SQL: the ORM's compilation of this anti-join cost more Python than the whole rest
    of the roadmap's figures. (Its run time at L is PostgreSQL's: a scan of the approved submissions.)
    """
    tables = _tables()
    sql = f"""
        SELECT COUNT(*) FROM {tables.submission} s
        WHERE s.status = %s AND NOT EXISTS (
            SELECT 1 FROM {tables.submissions} link JOIN {tables.programme} p ON p.id = link.programme_id
            WHERE p.masterplan_id = %s AND link.submission_id = s.id
        )
    """  # noqa: S608 (only table names from the models are formatted in)
    with connection.cursor() as cursor:
        cursor.execute(sql, [SubmissionStatus.APPROVED.value, masterplan.pk])
        return cursor.fetchone()[0]


def _shown_rows(masterplan: Masterplan, pillars: dict, pillars_by_first_row: dict[int, list[int]]):
    """Yield (pillar id, row) for each pillar's current page, given the pillars whose page starts at a row number.

    The database numbers each pillar's programmes in the roadmap's order (ROW_NUMBER() over narrow rows,
    PostgreSQL and SQLite alike) and returns the shown ones; a second query their supporting OPDs and
    source submissions. Plain SQL: through the ORM these two reads cost ~4 ms of Python at every size.
    """
    if not pillars_by_first_row:
        return
    tables = _tables()
    shown, params = [], [masterplan.pk]
    for first, pillar_ids in pillars_by_first_row.items():
        shown.append(
            f"(numbered.pillar_id IN ({', '.join(['%s'] * len(pillar_ids))}) AND numbered.place BETWEEN %s AND %s)"
        )
        params += [*pillar_ids, first, first + PROGRAMMES_PER_PAGE - 1]
    sql = f"""
        SELECT p.id, p.title, p.element_id, e.pillar_id, e.name_id, e.name_en, o.short_name,
               p.start_year, p.end_year, p.budget, p.funding_source, p.is_quick_win
        FROM (
            SELECT p.id, e.pillar_id,
                   ROW_NUMBER() OVER (PARTITION BY e.pillar_id ORDER BY p."order", p.start_year, p.id) AS place
            FROM {tables.programme} p JOIN {tables.element} e ON e.id = p.element_id
            WHERE p.masterplan_id = %s
        ) numbered
        JOIN {tables.programme} p ON p.id = numbered.id
        JOIN {tables.element} e ON e.id = p.element_id
        JOIN {tables.opd} o ON o.id = p.lead_opd_id
        WHERE {" OR ".join(shown)}
        ORDER BY numbered.pillar_id, numbered.place
    """  # noqa: S608 (only table names from the models and placeholders are formatted in)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        values = cursor.fetchall()
        supporters, sources = _supporters_and_sources(cursor, [row[0] for row in values])
    # Each label translated once: get_funding_source_display() hashed every (lazy) choice for every row.
    source_labels = {value: str(label) for value, label in FundingSource.choices}
    elements: dict[int, Element] = {}
    for pk, title, element_id, pillar_id, name_id, name_en, lead, start, end, budget, source, quick in values:
        if element_id not in elements:
            pillar = pillars[pillar_id].pillar
            elements[element_id] = Element(pk=element_id, name_id=name_id, name_en=name_en, pillar=pillar)
        yield (
            pillar_id,
            ProgrammeRow(
                pk=pk,
                title=title,
                element=elements[element_id],
                lead_opd_short_name=lead,
                start_year=start,
                end_year=end,
                budget=budget,
                funding_source_label=source_labels.get(source, source),
                is_quick_win=bool(quick),
                is_short_term=start <= masterplan.short_term_end_year,
                supporters=supporters[pk],
                sources=sources[pk],
            ),
        )


def _supporters_and_sources(cursor, programme_pks: list[int]) -> tuple[dict, dict]:
    """Return the supporting OPDs' short names (by name) and the source submissions (by reference) per programme."""
    supporters: dict[int, list[str]] = defaultdict(list)
    sources: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if not programme_pks:  # the programmes went between the two queries
        return supporters, sources
    tables = _tables()
    placeholders = ", ".join(["%s"] * len(programme_pks))
    cursor.execute(
        f"""
        SELECT link.programme_id, 0, o.id, o.short_name, o.name
        FROM {tables.supporting_opds} link JOIN {tables.opd} o ON o.id = link.opd_id
        WHERE link.programme_id IN ({placeholders})
        UNION ALL
        SELECT link.programme_id, 1, s.id, s.reference, s.reference
        FROM {tables.submissions} link JOIN {tables.submission} s ON s.id = link.submission_id
        WHERE link.programme_id IN ({placeholders})
        ORDER BY 2, 5, 3
        """,  # noqa: S608 (only table names from the models and placeholders are formatted in)
        [*programme_pks, *programme_pks],
    )
    for programme_pk, kind, pk, label, _sort in cursor.fetchall():
        if kind == 0:
            supporters[programme_pk].append(label)
        else:
            sources[programme_pk].append((pk, label))
    return supporters, sources


@dataclass(frozen=True)
class _Tables:
    programme: str
    element: str
    opd: str
    submission: str
    supporting_opds: str
    submissions: str


def _tables() -> _Tables:
    """Return the quoted table names the roadmap's SQL reads."""
    quote = connection.ops.quote_name
    return _Tables(
        programme=quote(Programme._meta.db_table),
        element=quote(Element._meta.db_table),
        opd=quote(Opd._meta.db_table),
        submission=quote(Submission._meta.db_table),
        supporting_opds=quote(Programme.supporting_opds.through._meta.db_table),
        submissions=quote(Programme.submissions.through._meta.db_table),
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
