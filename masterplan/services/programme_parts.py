"""A programme's parts written with it: its code, its yearly budgets per source, its indicators and their targets."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext as _

from opd.models import FundingSource
from opd.models.submissions import MAX_BUDGET

from ..models import Indicator, IndicatorTarget, Masterplan, Programme, ProgrammeBudget
from ..models.programmes import MAX_BUDGET_ROWS, MAX_INDICATOR_VALUE, MAX_INDICATORS

CODE_PATTERN = re.compile(r"^(?P<prefix>[A-Z]+)-(?P<number>\d{2,})$")


@dataclass
class IndicatorData:
    """An indicator as a form hands it to the service: its fields and {year: target value}."""

    name: str
    kind: str = Indicator.Kind.OUTPUT
    unit: str = ""
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    data_source: str = ""
    note: str = ""
    targets: dict[int, Decimal] = field(default_factory=dict)


def programme_code_next(masterplan: Masterplan, pillar) -> str:
    """Return the next free code of a pillar in a masterplan: its code and a two-digit number (GOV-03)."""
    numbers = [
        int(match["number"])
        for code in Programme.objects.filter(masterplan=masterplan, code__startswith=f"{pillar.code}-").values_list(
            "code", flat=True
        )
        if (match := CODE_PATTERN.match(code))
    ]
    return f"{pillar.code}-{max(numbers, default=0) + 1:02d}"


def check_budgets(programme: Programme, budgets: dict) -> dict[tuple[int, str], int]:
    """Return {(year, source): Rupiah} without empty amounts, or refuse a year outside the programme or a bad amount."""
    cleaned = {}
    errors = []
    for (year, source), amount in sorted(budgets.items()):
        if not amount:
            continue
        if source not in FundingSource.values:
            errors.append(_("“%(source)s” is not a funding source.") % {"source": source})
        elif not programme.start_year <= year <= programme.end_year:
            errors.append(
                _("The budget for %(year)d lies outside the programme's years %(start)d–%(end)d.")
                % {"year": year, "start": programme.start_year, "end": programme.end_year}
            )
        elif not 0 < amount <= MAX_BUDGET:
            errors.append(_("The budget for %(year)d is not an amount the portal can hold.") % {"year": year})
        else:
            cleaned[(year, source)] = cleaned.get((year, source), 0) + amount
    if any(amount > MAX_BUDGET for amount in cleaned.values()):
        errors.append(_("A yearly budget of one source is larger than the portal can hold."))
    if len(cleaned) > MAX_BUDGET_ROWS:
        errors.append(_("A programme holds at most %(count)d budget rows.") % {"count": MAX_BUDGET_ROWS})
    if errors:
        raise ValidationError({"budgets": errors})
    return cleaned


def save_budgets(programme: Programme, budgets: dict) -> None:
    """Replace the programme's budgets by {(year, source): Rupiah}."""
    cleaned = check_budgets(programme, budgets)
    programme.budgets.all().delete()
    ProgrammeBudget.objects.bulk_create(
        [
            ProgrammeBudget(programme=programme, year=year, source=source, amount=amount)
            for (year, source), amount in cleaned.items()
        ]
    )


def check_indicators(programme: Programme, indicators: list[IndicatorData]) -> None:
    """Refuse an indicator without a name, a bad kind, or a target outside the programme's years or range."""
    errors = []
    if len(indicators) > MAX_INDICATORS:
        errors.append(_("A programme holds at most %(count)d indicators.") % {"count": MAX_INDICATORS})
    for number, indicator in enumerate(indicators, start=1):
        if not indicator.name.strip():
            errors.append(_("Indicator %(number)d needs a name.") % {"number": number})
        if indicator.kind not in Indicator.Kind.values:
            errors.append(_("Indicator %(number)d must be an output or an outcome.") % {"number": number})
        for year, value in indicator.targets.items():
            if not programme.start_year <= year <= programme.end_year:
                errors.append(
                    _(
                        "Indicator %(number)d has a target for %(year)d, outside the programme's years "
                        "%(start)d–%(end)d."
                    )
                    % {"number": number, "year": year, "start": programme.start_year, "end": programme.end_year}
                )
            elif value is None or not abs(value) < MAX_INDICATOR_VALUE:
                errors.append(
                    _("Indicator %(number)d: the target for %(year)d is not a number the portal can hold.")
                    % {"number": number, "year": year}
                )
    if errors:
        raise ValidationError({"indicators": errors})


def save_indicators(programme: Programme, indicators: list[IndicatorData]) -> None:
    """Replace the programme's indicators and their yearly targets."""
    check_indicators(programme, indicators)
    programme.indicators.all().delete()
    created = Indicator.objects.bulk_create(
        [
            Indicator(
                programme=programme,
                name=indicator.name.strip(),
                kind=indicator.kind,
                unit=indicator.unit.strip(),
                baseline_value=indicator.baseline_value,
                baseline_year=indicator.baseline_year,
                data_source=indicator.data_source.strip(),
                note=indicator.note.strip(),
                order=order,
            )
            for order, indicator in enumerate(indicators, start=1)
        ]
    )
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(indicator=row, year=year, value=value)
            for row, indicator in zip(created, indicators, strict=True)
            for year, value in sorted(indicator.targets.items())
        ]
    )


def indicator_data_of(programme: Programme) -> list[IndicatorData]:
    """Return the programme's saved indicators in the shape the service takes (to copy, or to show a form)."""
    return [
        IndicatorData(
            name=indicator.name,
            kind=indicator.kind,
            unit=indicator.unit,
            baseline_value=indicator.baseline_value,
            baseline_year=indicator.baseline_year,
            data_source=indicator.data_source,
            note=indicator.note,
            targets={target.year: target.value for target in indicator.targets.all()},
        )
        for indicator in programme.indicators.all()
    ]


def budgets_of(programme: Programme) -> dict[tuple[int, str], int]:
    """Return the programme's saved budgets as {(year, source): Rupiah}."""
    return {(budget.year, budget.source): budget.amount for budget in programme.budgets.all()}


def last_order(masterplan: Masterplan, pillar) -> int:
    return (
        Programme.objects.filter(masterplan=masterplan, element__pillar=pillar).aggregate(Max("order"))["order__max"]
        or 0
    )
