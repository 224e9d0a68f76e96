"""PostgreSQL's pg_trgm extension for the overlap warning's similarity; other databases need nothing."""

from django.db import migrations

CREATE = "CREATE EXTENSION IF NOT EXISTS pg_trgm"


def create_extension(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


class Migration(migrations.Migration):
    dependencies = [("spbe", "0001_initial")]

    # Kept on the way back: other parts of the database may use the extension too.
    operations = [migrations.RunPython(create_extension, migrations.RunPython.noop, elidable=False)]
