"""The security log, in the core app.

The log's table was `mojokerto_portal_securityevent` when the project package was also an app: a
database that has it keeps every row, renamed to `core_securityevent` (with its content type, so the
admin's permissions stay). A new database gets the table created. The page cache of that time (a
data-token table and a trigger on every table) is dropped wherever it is found.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_APP = "mojokerto_portal"
OLD_TABLE = "mojokerto_portal_securityevent"
NEW_TABLE = "core_securityevent"
PAGE_CACHE_TABLE = "mojokerto_portal_datatoken"
PAGE_CACHE_TRIGGER = "portal_data_changed"


def drop_page_cache(apps, schema_editor):
    """Remove the former page cache's triggers, function and token table, if this database has them."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CASCADE takes every trigger that calls the function along with it.
            cursor.execute(f"DROP FUNCTION IF EXISTS {PAGE_CACHE_TRIGGER}() CASCADE")
        elif connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [PAGE_CACHE_TRIGGER + "%"]
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')
        cursor.execute(f"DROP TABLE IF EXISTS {PAGE_CACHE_TABLE}")


def adopt_or_create_security_log(apps, schema_editor):
    """Rename the former app's security log table (keeping its rows), or create the table."""
    model = apps.get_model("core", "SecurityEvent")
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if OLD_TABLE in tables:
        schema_editor.alter_db_table(model, OLD_TABLE, NEW_TABLE)
        ContentType = apps.get_model("contenttypes", "ContentType")
        ContentType.objects.using(connection.alias).filter(app_label=OLD_APP, model="securityevent").update(
            app_label="core"
        )
        ContentType.objects.using(connection.alias).filter(app_label=OLD_APP).delete()
    else:
        schema_editor.create_model(model)


def give_back_security_log(apps, schema_editor):
    """Migrating back: the table returns to its former name, rows included."""
    model = apps.get_model("core", "SecurityEvent")
    schema_editor.alter_db_table(model, NEW_TABLE, OLD_TABLE)
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(app_label="core", model="securityevent").update(
        app_label=OLD_APP
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_page_cache, migrations.RunPython.noop),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SecurityEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="time")),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("login", "Login"),
                                    ("login_failed", "Failed login"),
                                    ("locked_out", "Locked out"),
                                    ("unlocked", "Unlocked"),
                                    ("logout", "Logout"),
                                    ("session_expired", "Session expired"),
                                    ("permission_denied", "Permission denied"),
                                    ("not_visible", "Object outside the user's reach"),
                                    ("submission_changed", "Submission changed"),
                                    ("masterplan_changed", "Masterplan changed"),
                                ],
                                db_index=True,
                                max_length=30,
                                verbose_name="kind",
                            ),
                        ),
                        ("action", models.CharField(blank=True, max_length=60, verbose_name="action")),
                        (
                            "username",
                            models.CharField(blank=True, db_index=True, max_length=150, verbose_name="username"),
                        ),
                        ("ip_address", models.GenericIPAddressField(blank=True, null=True, verbose_name="IP address")),
                        ("path", models.CharField(blank=True, max_length=500, verbose_name="path")),
                        ("target_type", models.CharField(blank=True, max_length=60, verbose_name="object type")),
                        ("target_id", models.CharField(blank=True, max_length=40, verbose_name="object id")),
                        ("target_label", models.CharField(blank=True, max_length=300, verbose_name="object")),
                        ("detail", models.TextField(blank=True, verbose_name="detail")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "security event",
                        "verbose_name_plural": "security log",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
        # The table itself, once the model is in the migration state.
        migrations.RunPython(adopt_or_create_security_log, give_back_security_log),
    ]
