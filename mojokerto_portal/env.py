"""Typed, strict reading of the environment: a bad value stops start-up with a clear message."""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None) -> str | None:
    """Return a string variable, or the default when it is unset."""
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    """Return a boolean variable; anything but a yes/no word is an error."""
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in TRUE_WORDS:
        return True
    if lowered in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return an integer variable, checked against a lower bound."""
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated list variable without empty items."""
    value = _raw(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(name: str, default: list[int], *, minimum: int | None = None) -> list[int]:
    """Return a comma-separated list of whole numbers, each checked against a lower bound, without repeats."""
    value = _raw(name)
    if value is None:
        return list(default)
    numbers = []
    for item in (item.strip() for item in value.split(",")):
        if not item:
            continue
        try:
            number = int(item)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r}: {item!r} is not a whole number.") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={value!r}: {number} must be at least {minimum}.")
        if number not in numbers:
            numbers.append(number)
    return numbers


def env_path(name: str, default: Path) -> Path:
    """Return a filesystem path variable, made absolute."""
    value = _raw(name)
    return Path(value).expanduser().resolve() if value else default


def env_database(name: str, default: str) -> dict:
    """Return Django's DATABASES entry for a database URL (sqlite:/// or postgres://)."""
    url = env_str(name, default) or default
    scheme = url.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"{name} must start with sqlite:/// or postgres://, not {scheme!r}.")
    try:
        config = environ.Env.db_url_config(url)
    except Exception as error:  # django-environ raises several kinds on a malformed URL
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if config["ENGINE"] != "django.db.backends.sqlite3" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database: add /dbname to the URL.")
    return config
