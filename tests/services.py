"""Skip a test whose outside service is missing, unless REQUIRE_SERVICES=1 makes that a failure."""

import os
import socket
from urllib.parse import urlparse

import pytest

CHROMIUM_PATH = "/usr/bin/chromium"


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES", "").strip().lower() in {"1", "true", "yes", "on"}


def need(available: bool, reason: str) -> None:
    """Skip with the reason when the service is missing; fail instead when services are required."""
    if available:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def redis_url() -> str | None:
    """Return a reachable Redis URL from CELERY_BROKER_URL or TEST_REDIS_URL, or None."""
    for name in ("CELERY_BROKER_URL", "TEST_REDIS_URL"):
        url = os.environ.get(name, "")
        if url.startswith("redis://"):
            parsed = urlparse(url)
            try:
                with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
                    return url
            except OSError:
                return None
    return None
