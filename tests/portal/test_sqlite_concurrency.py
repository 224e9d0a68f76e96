"""The embedded SQLite database takes writes from the web process and the worker at once, never "database is locked"."""

import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import OperationalError
from django.db.utils import ConnectionHandler

WRITERS = 4
WRITES_EACH = 40


def run_writers(path, options: dict) -> list[Exception]:
    """Run writers side by side, each reading then writing in one transaction (as a service does); return errors."""
    handler = ConnectionHandler({"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), **options}})
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS job (id INTEGER PRIMARY KEY, n INTEGER)")
    handler["default"].close()
    errors: list[Exception] = []
    start = threading.Barrier(WRITERS)

    def write() -> None:
        connection = handler["default"]
        start.wait()
        try:
            for _ in range(WRITES_EACH):
                # What transaction.atomic() does on this connection: BEGIN (with the configured mode), then COMMIT.
                connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT count(*) FROM job")
                        count = cursor.fetchone()[0]
                        cursor.execute("INSERT INTO job (n) VALUES (%s)", [count])
                    connection.commit()
                finally:
                    connection.rollback()
                    connection.set_autocommit(True)
        except OperationalError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_the_portals_sqlite_options_let_concurrent_writers_wait_their_turn(tmp_path, django_db_blocker):
    path = tmp_path / "portal.sqlite3"
    with django_db_blocker.unblock():
        errors = run_writers(path, {"OPTIONS": settings.SQLITE_CONCURRENCY_OPTIONS})
    assert errors == []
    with sqlite3.connect(path) as database:
        assert (
            database.execute("SELECT count(*), count(DISTINCT n) FROM job").fetchone() == (WRITERS * WRITES_EACH,) * 2
        )


def test_without_them_concurrent_writers_meet_database_is_locked(tmp_path, django_db_blocker):
    """The check above can fail: Django's default (deferred transactions, rollback journal) does."""
    with django_db_blocker.unblock():
        errors = run_writers(tmp_path / "default.sqlite3", {"OPTIONS": {"timeout": 1}})
    assert errors and "database is locked" in str(errors[0])


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite only")
def test_the_default_database_uses_them_on_sqlite():
    assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]
