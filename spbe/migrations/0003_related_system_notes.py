"""Move each submission's free-text "related system" into its SPBE notes, before opd drops that field.

Nothing is lost: every non-empty text becomes the notes of its submission; going back copies the notes
into the field again.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    Submission = apps.get_model("opd", "Submission")
    SubmissionNotes = apps.get_model("spbe", "SubmissionNotes")
    rows = Submission.objects.exclude(related_system="").values_list("pk", "related_system").iterator(chunk_size=2000)
    batch = []
    for pk, text in rows:
        batch.append(SubmissionNotes(submission_id=pk, notes=text))
        if len(batch) >= 2000:
            SubmissionNotes.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    SubmissionNotes.objects.bulk_create(batch, ignore_conflicts=True)


def backwards(apps, schema_editor):
    Submission = apps.get_model("opd", "Submission")
    SubmissionNotes = apps.get_model("spbe", "SubmissionNotes")
    for pk, notes in SubmissionNotes.objects.exclude(notes="").values_list("submission_id", "notes").iterator():
        Submission.objects.filter(pk=pk).update(related_system=notes)


class Migration(migrations.Migration):
    dependencies = [("spbe", "0002_trigram_extension"), ("opd", "0010_export_background_job")]

    operations = [migrations.RunPython(forwards, backwards)]
