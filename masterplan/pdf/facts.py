"""What the document prints of each programme: its code, horizon, indicators with yearly targets, yearly budgets.

Computed once per programme from its prefetched rows (no query here), for Buku II's programme pages, Buku III's
action plan and Buku IV's matrix alike.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from core.templatetags.portal import number


@dataclass(frozen=True)
class Horizon:
    """A part of the masterplan's period: jangka pendek, menengah or panjang."""

    key: str
    label: str
    first: int
    last: int

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.last + 1))

    @property
    def span(self) -> int:
        return self.last - self.first + 1

    @property
    def short_label(self) -> str:
        """Return "Pendek", "Menengah" or "Panjang": the horizon in a narrow column."""
        return self.key.capitalize()

    @property
    def years_label(self) -> str:
        return years_label(self.first, self.last)


@dataclass
class IndicatorFacts:
    """An indicator as printed: name, kind, unit, baseline, and its target per year."""

    name: str
    kind: str
    unit: str
    baseline: str
    targets: dict[int, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class YearCell:
    """One year of a programme in the roadmap matrix: inside its years or not, its targets and its budget."""

    year: int
    active: bool
    targets: list[str]
    budget: int


def years_label(start: int, end: int) -> str:
    """Return "2024" for a one-year programme, "2024–2026" otherwise."""
    return str(start) if start == end else f"{start}–{end}"


# The horizons as the document names them, by the model's `Term` values (the key also names their CSS class).
HORIZON_NAMES = {"short": ("pendek", "Jangka pendek"), "medium": ("menengah", "Jangka menengah"),
                 "long": ("panjang", "Jangka panjang")}  # fmt: skip


def horizons_of(masterplan) -> list[Horizon]:
    """Return the masterplan's horizons in order: short, medium when it has one, long."""
    return [Horizon(*HORIZON_NAMES[term], first, last) for term, _label, first, last in masterplan.horizon_years()]


def horizon_for(start_year: int, horizons: list[Horizon]) -> Horizon:
    """Return the horizon a programme belongs to: the one its first year falls in."""
    for horizon in horizons:
        if start_year <= horizon.last:
            return horizon
    return horizons[-1]


def with_unit(value, unit: str) -> str:
    """Return a value with its unit: "75 %", "12 aplikasi"."""
    shown = number(value)
    if not unit or shown == "–":
        return shown
    return f"{shown}{unit}" if unit.startswith("%") else f"{shown} {unit}"


def indicators_of(programme) -> list[IndicatorFacts]:
    """Return the programme's indicators with their yearly targets (numbers with units)."""
    facts = []
    for indicator in programme.indicator_list:
        baseline = with_unit(indicator.baseline_value, indicator.unit)
        if indicator.baseline_year and baseline != "–":
            baseline = f"{baseline} ({indicator.baseline_year})"
        targets = {target.year: with_unit(target.value, indicator.unit) for target in indicator.target_list}
        facts.append(IndicatorFacts(indicator.name, indicator.get_kind_display(), indicator.unit, baseline, targets,
                                    indicator.note))  # fmt: skip
    return facts


def budgets_of(programme) -> dict[int, dict[str, int]]:
    """Return the programme's budget per year and per funding source label, in Rupiah."""
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    for budget in programme.budget_list:
        label = str(budget.get_source_display())
        by_year[budget.year][label] = by_year[budget.year].get(label, 0) + budget.amount
    return dict(by_year)


def code_of(programme, pillar_code: str, position: int) -> str:
    """Return the programme's code (GOV-03): its own, or its pillar's code and its place in the pillar."""
    return programme.code or f"{pillar_code}-{position:02d}"


def describe(programme, *, pillar_code: str, position: int, masterplan, horizons: list[Horizon]) -> None:
    """Attach to a programme everything the document prints of it (code, horizon, indicators, yearly cells)."""
    programme.number = code_of(programme, pillar_code, position)
    programme.years_label = years_label(programme.start_year, programme.end_year)
    programme.term = horizon_for(programme.start_year, horizons)
    programme.indicator_facts = indicators_of(programme)
    programme.mission_labels = ", ".join(f"Misi {mission.number}" for mission in programme.mission_list)
    programme.yearly_budgets = budgets_of(programme)
    programme.budget_rows = [
        (year, source, amount)
        for year, sources in sorted(programme.yearly_budgets.items())
        for source, amount in sources.items()
    ]
    programme.budget_sum = sum(amount for _year, _source, amount in programme.budget_rows)
    programme.year_cells = [
        YearCell(
            year=year,
            active=programme.start_year <= year <= programme.end_year,
            targets=[indicator.targets[year] for indicator in programme.indicator_facts if indicator.targets.get(year)],
            budget=sum(programme.yearly_budgets.get(year, {}).values()),
        )
        for year in masterplan.years
    ]
