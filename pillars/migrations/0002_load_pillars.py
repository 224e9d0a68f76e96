"""Load the six pillars and eighteen elements bundled in pillars/data/pillars.csv."""

from django.db import migrations

from pillars.reference import load_pillars


def forwards(apps, schema_editor):
    load_pillars(apps.get_model("pillars", "Pillar"), apps.get_model("pillars", "Element"))


def backwards(apps, schema_editor):
    apps.get_model("pillars", "Element").objects.all().delete()
    apps.get_model("pillars", "Pillar").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("pillars", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
