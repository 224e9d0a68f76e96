"""The budget totals per pillar x year x funding source: one figure feeding the web roadmap, the XLSX and the PDF."""

from dataclasses import dataclass, field

from django.db.models import Q, Sum

from opd.models import FundingSource
from pillars.models import Pillar

from ..models import Masterplan, ProgrammeBudget


@dataclass
class PillarBudget:
    """One pillar's budgets: per source a row of yearly amounts, and per year over every source."""

    pillar: Pillar
    by_source: list[tuple[str, str, list[int], int]]  # (source value, label, amount per year, total)
    by_year: list[int]
    total: int


@dataclass
class BudgetTotals:
    """The budget per pillar x year x funding source, with the totals of every row and column, in whole Rupiah."""

    years: list[int]
    sources: list[tuple[str, str]]  # the sources used, in the choices' order
    pillars: list[PillarBudget]
    by_source: list[tuple[str, str, int]]  # (value, label, total over every pillar and year)
    by_source_and_year: list[tuple[str, str, list[int], int]]
    by_year: list[int]
    total: int
    rows: list[dict] = field(default_factory=list, repr=False)  # the grouped rows the figures were summed from

    def amount(self, pillar_id: int, year: int, source: str) -> int:
        """Return the budget of one pillar in one year from one source."""
        return sum(
            row["total"]
            for row in self.rows
            if row["pillar"] == pillar_id and row["year"] == year and row["source"] == source
        )


def budget_totals(masterplan: Masterplan, *, pillars: list[Pillar] | None = None) -> BudgetTotals:
    """Return the masterplan's budget per pillar x year x source with row and column totals, from one grouped query.

    Each grouped row also carries the part planned by short-term programmes (those starting by the end of the short
    term, `Masterplan.horizon_of`) and by Quick Wins, for the roadmap's horizon and Quick Win figures.
    """
    grouped = (
        ProgrammeBudget.objects.filter(programme__masterplan=masterplan)
        .order_by()
        .values("programme__element__pillar", "year", "source")
        .annotate(
            total=Sum("amount"),
            short_term=Sum("amount", filter=Q(programme__start_year__lte=masterplan.short_term_end_year)),
            quick_win=Sum("amount", filter=Q(programme__is_quick_win=True)),
        )
    )
    rows = [
        {
            "pillar": row["programme__element__pillar"],
            "year": row["year"],
            "source": row["source"],
            "total": int(row["total"]),
            "short_term": int(row["short_term"] or 0),
            "quick_win": int(row["quick_win"] or 0),
        }
        for row in grouped
    ]
    years = masterplan.years
    column = {year: index for index, year in enumerate(years)}
    used = {row["source"] for row in rows}
    sources = [(value, str(label)) for value, label in FundingSource.choices if value in used]
    cells: dict[tuple[int, str], list[int]] = {}
    for row in rows:
        if row["year"] in column:  # a budget row always lies in its programme's years, inside the period
            cells.setdefault((row["pillar"], row["source"]), [0] * len(years))[column[row["year"]]] += row["total"]
    pillar_rows = []
    for pillar in pillars if pillars is not None else Pillar.objects.all():
        by_source = [
            (value, label, cells[(pillar.pk, value)], sum(cells[(pillar.pk, value)]))
            for value, label in sources
            if (pillar.pk, value) in cells
        ]
        by_year = [sum(amounts[index] for _v, _l, amounts, _t in by_source) for index in range(len(years))]
        pillar_rows.append(PillarBudget(pillar, by_source, by_year, sum(by_year)))
    by_source_and_year = []
    for value, label in sources:
        amounts = [
            sum(amounts[index] for (_pillar, source), amounts in cells.items() if source == value)
            for index in range(len(years))
        ]
        by_source_and_year.append((value, label, amounts, sum(amounts)))
    by_year = [sum(row.by_year[index] for row in pillar_rows) for index in range(len(years))]
    return BudgetTotals(
        years=years,
        sources=sources,
        pillars=pillar_rows,
        by_source=[(value, label, total) for value, label, _amounts, total in by_source_and_year],
        by_source_and_year=by_source_and_year,
        by_year=by_year,
        total=sum(by_year),
        rows=rows,
    )
