"""The move of each programme's one budget and indicator texts into yearly budgets and indicators loses nothing.

Run forwards on a database holding programmes as they were before (0004), then on today's schema.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from pillars.reference import load_pillars

BEFORE = [("masterplan", "0004_export_background_job"), ("opd", "0010_export_background_job")]
AFTER = [("masterplan", "0007_drop_programme_budget_and_text_indicators")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_budgets_indicators_and_targets_move_without_losing_a_rupiah_or_a_word(capsys):
    old = migrate(BEFORE)
    try:
        user = old.get_model("opd", "User").objects.create(username="admin.lama", role="kominfo_admin")
        opd = old.get_model("opd", "Opd").objects.create(code="DISKOMINFO", name="Dinas Kominfo", short_name="K")
        Element = old.get_model("pillars", "Element")
        # The reference pillars, which an earlier transactional test's flush may have removed.
        load_pillars(old.get_model("pillars", "Pillar"), Element)
        gov = Element.objects.filter(pillar__code="GOV").order_by("order").first()
        env = Element.objects.filter(pillar__code="ENV").order_by("order").first()
        plan = old.get_model("masterplan", "Masterplan").objects.create(
            title="Masterplan lama", start_year=2023, end_year=2032, short_term_end_year=2026, created_by=user
        )
        Programme = old.get_model("masterplan", "Programme")
        specs = [
            # (element, start, end, budget, source, quick win, output text, outcome text)
            (gov, 2024, 2026, 1_000_000_001, "apbd_kabupaten", False, "Aplikasi berjalan", "Kepuasan naik"),
            (gov, 2023, 2023, 7, "csr", True, "", ""),  # a quick win inside the first year
            (env, 2025, 2027, 2, "apbn", True, "Sensor terpasang\nDi 10 titik", ""),  # a quick win too long
            (env, 2030, 2032, 0, "hibah", False, "", "Udara bersih"),  # no budget at all
            (gov, 2031, 2034, 1_001, "", False, "", ""),  # partly after the period, no source chosen
        ]
        programmes = [
            Programme.objects.create(
                masterplan=plan,
                element=element,
                title=f"Program {number}",
                lead_opd=opd,
                start_year=start,
                end_year=end,
                budget=budget,
                funding_source=source,
                is_quick_win=quick,
                output_indicator=output,
                outcome_indicator=outcome,
                order=number,
            )
            for number, (element, start, end, budget, source, quick, output, outcome) in enumerate(specs)
        ]
        Target = old.get_model("masterplan", "ProgrammeTarget")
        Target.objects.create(programme=programmes[0], year=2024, output_target="1", outcome_target="60,5")
        Target.objects.create(programme=programmes[0], year=2025, output_target="1.250", outcome_target="Naik")
        Target.objects.create(programme=programmes[0], year=2026, output_target="", outcome_target="75%")
        Target.objects.create(programme=programmes[3], year=2031, output_target="Rancangan", outcome_target="")
        totals_before = {programme.pk: programme.budget for programme in programmes}

        new = migrate(AFTER)

        Budget = new.get_model("masterplan", "ProgrammeBudget")
        totals_after = {programme.pk: 0 for programme in programmes}
        for row in Budget.objects.all():
            totals_after[row.programme_id] += row.amount
        assert totals_after == totals_before  # not a Rupiah lost
        rows = lambda number: sorted(  # noqa: E731
            Budget.objects.filter(programme_id=programmes[number].pk).values_list("year", "source", "amount")
        )
        assert rows(0) == [
            (2024, "apbd_kabupaten", 333_333_335),  # the 2 Rupiah that do not divide on the first year
            (2025, "apbd_kabupaten", 333_333_333),
            (2026, "apbd_kabupaten", 333_333_333),
        ]
        assert rows(2) == [(2025, "apbn", 2)]  # less than a Rupiah a year: all on the first, as displayed
        assert rows(3) == []
        assert rows(4) == [(2031, "lainnya", 501), (2032, "lainnya", 500)]  # only the years inside the period

        Indicator = new.get_model("masterplan", "Indicator")
        indicators = {
            (row.programme_id, row.kind): row for row in Indicator.objects.prefetch_related("targets").order_by("pk")
        }
        output = indicators[(programmes[0].pk, "output")]
        assert output.name == "Aplikasi berjalan" and output.note == ""
        assert sorted((t.year, t.value) for t in output.targets.all()) == [(2024, 1), (2025, 1250)]
        outcome = indicators[(programmes[0].pk, "outcome")]
        assert sorted((t.year, t.value) for t in outcome.targets.all()) == [(2024, Decimal("60.5"))]
        assert outcome.note == "Target: 2025: Naik; 2026: 75%"  # words stay, as a note
        sensors = indicators[(programmes[2].pk, "output")]
        assert sensors.name == "Sensor terpasang" and sensors.note == "Sensor terpasang\nDi 10 titik"
        draft = indicators[(programmes[3].pk, "output")]
        assert draft.name == "Indikator output" and draft.note == "Target: 2031: Rancangan"
        assert (programmes[1].pk, "output") not in indicators  # nothing was written: nothing made up

        codes = dict(new.get_model("masterplan", "Programme").objects.values_list("pk", "code"))
        assert [codes[programme.pk] for programme in programmes] == ["GOV-01", "GOV-02", "ENV-01", "ENV-02", "GOV-03"]
        reported = capsys.readouterr().out
        assert "Program 2" in reported and "not changed" in reported and "Program 1" not in reported
        quick = new.get_model("masterplan", "Programme").objects.get(pk=programmes[2].pk)
        assert quick.is_quick_win  # reported, not changed
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to today's schema
