"""The submission export becomes a core.models.BackgroundJob: every row is kept.

It gains the checksum every job records (empty for the files written before), and its progress
constraint takes the name the abstract job gives it.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opd", "0009_approved_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissionexport",
            name="sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RemoveConstraint(model_name="submissionexport", name="submission_export_progress_percent"),
        migrations.AddConstraint(
            model_name="submissionexport",
            constraint=models.CheckConstraint(
                condition=models.Q(("progress__lte", 100)), name="opd_submissionexport_progress_percent"
            ),
        ),
        migrations.AlterField(
            model_name="submissionexport",
            name="file",
            field=models.FileField(blank=True, max_length=200, upload_to=""),
        ),
    ]
