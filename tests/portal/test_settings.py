import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mojokerto_portal.env import env_bool, env_database, env_int, env_int_list, env_list

ROOT = Path(__file__).resolve().parents[2]


def start_settings(**env) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with the given environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", "import mojokerto_portal.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "SECRET_KEY is required when DEBUG is off"),
        ({"DEBUG": "0", "SECRET_KEY": "short"}, "SECRET_KEY must be at least 32 characters"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://u:p@h/db"}, "DATABASE_URL must start with sqlite:/// or postgres://"),
        ({"DEBUG": "1", "EMAIL_PORT": "dua lima"}, "EMAIL_PORT='dua lima' is not a whole number"),
        ({"DEBUG": "1", "CELERY_BROKER_URL": "amqp://x"}, "CELERY_BROKER_URL must start with"),
    ],
)
def test_bad_configuration_stops_start_up_with_a_clear_message(env, message):
    result = start_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_good_configuration_starts():
    result = start_settings(DEBUG="0", SECRET_KEY="x" * 50, DATABASE_URL="postgres://u:p@127.0.0.1:5432/portal")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql"


PRINT_DEFAULTS = (
    "import mojokerto_portal.settings as s; "
    "print(s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL, s.TIME_ZONE, s.LANGUAGE_CODE)"
)


def test_defaults_are_sqlite_under_var_and_the_embedded_broker():
    result = subprocess.run(
        [sys.executable, "-c", PRINT_DEFAULTS],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "VAR_DIR"}}
        | {"DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [str(ROOT / "var" / "portal.sqlite3"), "filesystem://", "Asia/Jakarta", "id"]


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", True) is True
    monkeypatch.setenv("NUMBER", "-1")
    with pytest.raises(ImproperlyConfigured, match="must be at least 0"):
        env_int("NUMBER", 5, minimum=0)
    monkeypatch.setenv("HOSTS", "portal.mojokertokab.go.id, ,127.0.0.1")
    assert env_list("HOSTS", []) == ["portal.mojokertokab.go.id", "127.0.0.1"]
    monkeypatch.setenv("DAYS", "7, 1,,7")
    assert env_int_list("DAYS", [3], minimum=1) == [7, 1]
    monkeypatch.setenv("DAYS", "7,0")
    with pytest.raises(ImproperlyConfigured, match="0 must be at least 1"):
        env_int_list("DAYS", [3], minimum=1)
    monkeypatch.setenv("DAYS", "7,besok")
    with pytest.raises(ImproperlyConfigured, match="'besok' is not a whole number"):
        env_int_list("DAYS", [3], minimum=1)
    monkeypatch.delenv("DAYS")
    assert env_int_list("DAYS", [3], minimum=1) == [3]
    monkeypatch.setenv("DB", "postgres://u@127.0.0.1:5432")
    with pytest.raises(ImproperlyConfigured, match="names no database"):
        env_database("DB", "sqlite:///x")


def test_manage_py_works_in_a_bare_checkout_but_the_web_process_needs_a_secret_key():
    bare = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    command = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=bare, capture_output=True, text=True, timeout=60
    )
    assert command.returncode == 0, command.stderr
    web = subprocess.run(
        [sys.executable, "-c", "import mojokerto_portal.wsgi"],
        cwd=ROOT,
        env=bare,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert web.returncode != 0 and "SECRET_KEY is required" in web.stderr
