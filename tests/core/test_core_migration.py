"""core's first migration on a database of the former layout: the security log keeps its rows, the page cache goes."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core.models import SecurityEvent

LATEST = [("core", "0001_initial")]


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def triggers() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'portal_data_changed%%'")
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'portal_data_changed%%'"
            )
        return [name for (name,) in cursor.fetchall()]


def install_former_page_cache() -> None:
    """Create the former data-token table and a trigger writing to it, as the page cache left them."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE mojokerto_portal_datatoken (id integer PRIMARY KEY, token varchar(40) NOT NULL)")
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION portal_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "UPDATE mojokerto_portal_datatoken SET token = md5(random()::text); RETURN NULL; END $$"
            )
            cursor.execute(
                "CREATE TRIGGER portal_data_changed AFTER INSERT ON opd_opd "
                "FOR EACH STATEMENT EXECUTE FUNCTION portal_data_changed()"
            )
        else:
            cursor.execute(
                'CREATE TRIGGER "portal_data_changed_insert_opd_opd" AFTER INSERT ON opd_opd BEGIN '
                "UPDATE mojokerto_portal_datatoken SET token = hex(randomblob(8)); END"
            )


@pytest.mark.django_db(transaction=True)
def test_the_former_security_log_keeps_every_row_and_the_page_cache_is_dropped(staff_dinkes):
    migrate([("core", None)])  # back to the former layout: the log's table under its former name
    assert "mojokerto_portal_securityevent" in tables() and "core_securityevent" not in tables()
    with connection.cursor() as cursor:
        for number in range(3):
            cursor.execute(
                "INSERT INTO mojokerto_portal_securityevent (created_at, kind, action, user_id, username, path, "
                "target_type, target_id, target_label, detail) VALUES (%s, 'login', '', %s, %s, '/', '', '', '', %s)",
                ["2026-11-01 08:00:00+07:00", staff_dinkes.pk, "staf.dinkes", f"row {number}"],
            )
    install_former_page_cache()
    assert triggers()

    migrate(LATEST)

    assert "core_securityevent" in tables()
    assert not {"mojokerto_portal_securityevent", "mojokerto_portal_datatoken"} & tables()
    assert triggers() == []
    rows = SecurityEvent.objects.order_by("detail")
    assert [(row.detail, row.user_id, row.username) for row in rows] == [
        (f"row {number}", staff_dinkes.pk, "staf.dinkes") for number in range(3)
    ]
    assert ContentType.objects.get_for_model(SecurityEvent).app_label == "core"
    # The table takes new rows as before (its id sequence carried over).
    assert SecurityEvent.objects.create(kind="logout", username="staf.dinkes").pk > max(row.pk for row in rows)


@pytest.mark.django_db(transaction=True)
def test_a_new_database_gets_the_security_log_table():
    migrate([("core", None)])
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE mojokerto_portal_securityevent")
    migrate(LATEST)
    assert "core_securityevent" in tables()
    assert SecurityEvent.objects.create(kind="login", username="x").pk
