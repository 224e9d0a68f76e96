"""What the document prints of each programme: its code, horizon, indicators with yearly targets, yearly budgets.

Computed once per programme from its prefetched rows (no query here), for Buku II's programme pages, Buku III's
action plan and Buku IV's matrix alike.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from core.templatetags.portal import format_thousands


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


def horizons_of(masterplan) -> list[Horizon]:
    """Return the masterplan's horizons in order: short, medium when it has one, long."""
    short_end = masterplan.short_term_end_year
    medium_end = getattr(masterplan, "medium_term_end_year", None)
    horizons = [Horizon("pendek", "Jangka pendek", masterplan.start_year, short_end)]
    if medium_end and short_end < medium_end < masterplan.end_year:
        horizons.append(Horizon("menengah", "Jangka menengah", short_end + 1, medium_end))
        short_end = medium_end
    horizons.append(Horizon("panjang", "Jangka panjang", short_end + 1, masterplan.end_year))
    return horizons


def horizon_for(start_year: int, horizons: list[Horizon]) -> Horizon:
    """Return the horizon a programme belongs to: the one its first year falls in."""
    for horizon in horizons:
        if start_year <= horizon.last:
            return horizon
    return horizons[-1]


def number(value) -> str:
    """Return a number in Indonesian format: 1.250,5 (thousands with dots, decimals with a comma)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    whole = int(value)
    if value == whole:
        return format_thousands(whole)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def with_unit(value, unit: str) -> str:
    """Return a value with its unit: "75 %", "12 aplikasi"."""
    shown = number(value)
    if not unit or shown == "–":
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


def indicators_of(programme) -> list[IndicatorFacts]:
    """Return the programme's indicators with their yearly targets (numbers with units)."""
    indicators = getattr(programme, "indicators", None)
    if indicators is not None:
        facts = []
        for indicator in indicators.all():
            baseline = with_unit(indicator.baseline_value, indicator.unit)
            if indicator.baseline_year and baseline != "–":
                baseline = f"{baseline} ({indicator.baseline_year})"
            facts.append(
                IndicatorFacts(
                    name=indicator.name,
                    kind=indicator.get_kind_display(),
                    unit=indicator.unit,
                    baseline=baseline,
                    targets={t.year: with_unit(t.value, indicator.unit) for t in indicator.targets.all()},
                )
            )
        return facts
    # Before measurable indicators: the output and outcome texts with their yearly target notes.
    targets = list(programme.targets.all())
    facts = []
    for kind, name, attribute in (
        ("Output", programme.output_indicator, "output_target"),
        ("Outcome", programme.outcome_indicator, "outcome_target"),
    ):
        yearly = {target.year: getattr(target, attribute) for target in targets if getattr(target, attribute)}
        if name or yearly:
            facts.append(IndicatorFacts(name=name or "–", kind=kind, unit="", baseline="–", targets=yearly))
    return facts


def budgets_of(programme, masterplan) -> dict[int, dict[str, int]]:
    """Return the programme's budget per year and per funding source label, in Rupiah."""
    budgets = getattr(programme, "budgets", None)
    by_year: dict[int, dict[str, int]] = defaultdict(dict)
    if budgets is not None:
        for budget in budgets.all():
            label = budget.get_source_display()
            by_year[budget.year][label] = by_year[budget.year].get(label, 0) + budget.amount
        return dict(by_year)
    # Before yearly budgets: one total split evenly over the years, what does not divide to the first year.
    first, last = programme.start_year, programme.end_year
    years = last - first + 1
    share, rest = divmod(programme.budget, years)
    label = programme.get_funding_source_display()
    for year in range(first, last + 1):
        amount = share + (rest if year == first else 0)
        if amount:
            by_year[year][label] = amount
    return dict(by_year)


def code_of(programme, pillar_code: str, position: int) -> str:
    """Return the programme's code (GOV-03): its own, or its pillar's code and its place in the pillar."""
    return getattr(programme, "code", "") or f"{pillar_code}-{position:02d}"


def describe(programme, *, pillar_code: str, position: int, masterplan, horizons: list[Horizon]) -> None:
    """Attach to a programme everything the document prints of it (code, horizon, indicators, yearly cells)."""
    programme.number = code_of(programme, pillar_code, position)
    programme.years_label = years_label(programme.start_year, programme.end_year)
    programme.term = horizon_for(programme.start_year, horizons)
    programme.indicator_facts = indicators_of(programme)
    missions = getattr(programme, "rpjmd_missions", None)
    programme.mission_labels = ", ".join(f"Misi {m.number}" for m in missions.all()) if missions is not None else ""
    programme.yearly_budgets = budgets_of(programme, masterplan)
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
