"""The PDF export becomes a core.models.BackgroundJob: every row is kept.

`queued_at` is renamed `created_at`, the status "rendering" becomes "running" (the name every job
uses), and "one running export per masterplan" is rebuilt on the new status values.
"""

from django.db import migrations, models


def rendering_to_running(apps, schema_editor):
    MasterplanExport = apps.get_model("masterplan", "MasterplanExport")
    MasterplanExport.objects.filter(status="rendering").update(status="running")


def running_to_rendering(apps, schema_editor):
    MasterplanExport = apps.get_model("masterplan", "MasterplanExport")
    MasterplanExport.objects.filter(status="running").update(status="rendering")


class Migration(migrations.Migration):
    dependencies = [
        ("masterplan", "0003_programme_version"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="masterplanexport", name="export_one_running"),
        migrations.RunPython(rendering_to_running, running_to_rendering, elidable=False),
        migrations.AlterField(
            model_name="masterplanexport",
            name="status",
            field=models.CharField(
                choices=[("queued", "Queued"), ("running", "Running"), ("done", "Done"), ("failed", "Failed")],
                default="queued",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AddConstraint(
            model_name="masterplanexport",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running"])),
                fields=("masterplan",),
                name="export_one_running",
            ),
        ),
        migrations.RenameField(model_name="masterplanexport", old_name="queued_at", new_name="created_at"),
        migrations.AlterField(
            model_name="masterplanexport",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="requested"),
        ),
        migrations.RemoveConstraint(model_name="masterplanexport", name="export_progress_percent"),
        migrations.AddConstraint(
            model_name="masterplanexport",
            constraint=models.CheckConstraint(
                condition=models.Q(("progress__lte", 100)), name="masterplan_masterplanexport_progress_percent"
            ),
        ),
        migrations.AlterField(
            model_name="masterplanexport",
            name="file",
            field=models.FileField(blank=True, max_length=200, upload_to=""),
        ),
    ]
