"""Each programme's one budget and its indicator texts move into the new rows; nothing is lost.

- Budget: the total of a programme is split into yearly rows of its funding source exactly as the roadmap
  showed it: evenly over its years inside the masterplan's period, the Rupiah that do not divide going to
  the first of those years (a programme wholly outside the period keeps its whole budget on its start
  year). The sum per programme is unchanged.
- Indicators: the output and the outcome indicator texts become one `Indicator` each (kind output /
  outcome); the yearly free-text targets become numeric `IndicatorTarget` rows when they are a plain
  number, and otherwise stay in the indicator's note as "year: text".
- Codes: every programme gets its code (pillar code and a two-digit number in the pillar's order).
- Quick wins that end after the first year of their masterplan (the default quick-win window) and
  submitted quick wins that run longer than one year are only REPORTED here, not changed: Kominfo
  decides what to do with them.
"""

import re
from decimal import Decimal

from django.db import migrations

NAME_LENGTH = 300
# A target that is only a number, Indonesian style: thousands with dots, decimals with a comma ("1.250,5").
PLAIN_NUMBER = re.compile(r"^\d{1,3}(\.\d{3})*(,\d+)?$|^\d+(,\d+)?$")


def yearly_split(budget: int, start: int, end: int, period_start: int, period_end: int) -> dict[int, int]:
    """Return {year: Rupiah} as the roadmap spread a programme's budget before per-year budgets existed."""
    first, last = max(start, period_start), min(end, period_end)
    if first > last:
        return {start: budget} if budget else {}
    years = last - first + 1
    share = budget // years
    split = dict.fromkeys(range(first, last + 1), share)
    split[first] += budget - share * years
    return {year: amount for year, amount in split.items() if amount}


def plain_number(text: str) -> Decimal | None:
    text = text.strip()
    if not PLAIN_NUMBER.match(text):
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def _indicator(programme, kind: str, text: str, yearly: list[tuple[int, str]], order: int):
    """Return (indicator fields, numeric targets) for one of the old indicator texts and its yearly targets."""
    text = text.strip()
    default_name = "Indikator output" if kind == "output" else "Indikator outcome"
    first_line = text.splitlines()[0].strip() if text else ""
    name = (first_line or default_name)[:NAME_LENGTH]
    notes = [text] if text and text != name else []
    numbers = {}
    words = []
    for year, target in yearly:
        value = plain_number(target)
        if value is not None and value < Decimal(10**16):
            numbers[year] = value
        elif target.strip():
            words.append(f"{year}: {target.strip()}")
    if words:
        notes.append("Target: " + "; ".join(words))
    fields = {"programme": programme, "kind": kind, "name": name, "note": "\n".join(notes), "order": order}
    return fields, numbers


def forwards(apps, schema_editor):
    Programme = apps.get_model("masterplan", "Programme")
    ProgrammeBudget = apps.get_model("masterplan", "ProgrammeBudget")
    ProgrammeTarget = apps.get_model("masterplan", "ProgrammeTarget")
    Indicator = apps.get_model("masterplan", "Indicator")
    IndicatorTarget = apps.get_model("masterplan", "IndicatorTarget")
    Submission = apps.get_model("opd", "Submission")

    targets: dict[int, list] = {}
    for target in ProgrammeTarget.objects.order_by("year").iterator():
        targets.setdefault(target.programme_id, []).append(target)

    numbers_in_pillar: dict[tuple[int, int], int] = {}
    late_quick_wins = []
    programmes = Programme.objects.select_related("masterplan", "element__pillar").order_by(
        "masterplan_id", "element__pillar__order", "order", "start_year", "pk"
    )
    for programme in programmes.iterator():
        plan = programme.masterplan
        budgets = [
            ProgrammeBudget(programme=programme, year=year, source=programme.funding_source or "lainnya", amount=amount)
            for year, amount in yearly_split(
                programme.budget, programme.start_year, programme.end_year, plan.start_year, plan.end_year
            ).items()
        ]
        ProgrammeBudget.objects.bulk_create(budgets)

        old_targets = targets.get(programme.pk, [])
        for order, kind in enumerate(("output", "outcome"), start=1):
            text = getattr(programme, f"{kind}_indicator")
            yearly = [(t.year, getattr(t, f"{kind}_target")) for t in old_targets if getattr(t, f"{kind}_target")]
            if not text.strip() and not yearly:
                continue
            fields, numbers = _indicator(programme, kind, text, yearly, order)
            indicator = Indicator.objects.create(**fields)
            IndicatorTarget.objects.bulk_create(
                [IndicatorTarget(indicator=indicator, year=year, value=value) for year, value in numbers.items()]
            )

        pillar = programme.element.pillar
        key = (plan.pk, pillar.pk)
        numbers_in_pillar[key] = numbers_in_pillar.get(key, 0) + 1
        programme.code = f"{pillar.code}-{numbers_in_pillar[key]:02d}"
        programme.save(update_fields=["code"])

        if programme.is_quick_win and programme.end_year > plan.start_year + plan.quick_win_years - 1:
            late_quick_wins.append(programme)

    for programme in late_quick_wins:
        print(
            f"\n  Quick Win outside its window (not changed): masterplan {programme.masterplan_id}, programme "
            f"{programme.code} {programme.title!r} ends {programme.end_year}, window ends "
            f"{programme.masterplan.start_year + programme.masterplan.quick_win_years - 1}"
        )
    long_submissions = Submission.objects.filter(horizon="quick_win", end_year__isnull=False, start_year__isnull=False)
    for submission in long_submissions.order_by("pk").iterator():
        if submission.end_year > submission.start_year:
            print(
                f"\n  Submission proposed as a quick win runs past one year (not changed): "
                f"{submission.reference or submission.pk} {submission.title!r} {submission.start_year}–"
                f"{submission.end_year}"
            )


def backwards(apps, schema_editor):
    """Put each programme's total back on the programme, with the source that carries most of it."""
    Programme = apps.get_model("masterplan", "Programme")
    ProgrammeTarget = apps.get_model("masterplan", "ProgrammeTarget")
    for programme in Programme.objects.prefetch_related("budgets", "indicators__targets").iterator(chunk_size=500):
        by_source: dict[str, int] = {}
        for budget in programme.budgets.all():
            by_source[budget.source] = by_source.get(budget.source, 0) + budget.amount
        programme.budget = sum(by_source.values())
        programme.funding_source = max(by_source, key=by_source.get) if by_source else "lainnya"
        yearly: dict[int, dict[str, str]] = {}
        for indicator in programme.indicators.all():
            text = "\n".join(part for part in (indicator.name, indicator.note) if part)
            if indicator.kind in ("output", "outcome") and not getattr(programme, f"{indicator.kind}_indicator"):
                setattr(programme, f"{indicator.kind}_indicator", text)
            for target in indicator.targets.all():
                value = f"{target.value.normalize():f} {indicator.unit}".strip()[:200]
                yearly.setdefault(target.year, {}).setdefault(f"{indicator.kind}_target", value)
        programme.code = ""
        programme.save(update_fields=["budget", "funding_source", "output_indicator", "outcome_indicator", "code"])
        ProgrammeTarget.objects.bulk_create(
            [ProgrammeTarget(programme=programme, year=year, **values) for year, values in sorted(yearly.items())]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("masterplan", "0005_programme_indicators_budgets_profile_rpjmd_governance"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
