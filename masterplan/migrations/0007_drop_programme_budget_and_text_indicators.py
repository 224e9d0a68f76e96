"""The one budget, funding source and indicator texts of a programme, and the free-text yearly targets, are gone:
0006 moved every value into ProgrammeBudget, Indicator and IndicatorTarget."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("masterplan", "0006_move_budgets_and_indicators"),
    ]

    operations = [
        migrations.DeleteModel(name="ProgrammeTarget"),
        migrations.RemoveConstraint(model_name="programme", name="programme_budget_in_range"),
        migrations.RemoveField(model_name="programme", name="budget"),
        migrations.RemoveField(model_name="programme", name="funding_source"),
        migrations.RemoveField(model_name="programme", name="outcome_indicator"),
        migrations.RemoveField(model_name="programme", name="output_indicator"),
    ]
