"""`/healthz` for the proxy and the service manager: is this process able to serve?

Answers before any other middleware (no login, no HTTPS redirect, no session, any Host), `ok` with 200 when
the database, the broker and the media storage all answer within a short timeout, else `not ok` with 503.
The body says nothing more: which part failed goes to the log, not to whoever asks.
"""

import logging
import socket
import time
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.db import connections
from django.http import HttpResponse

from .storage import storage_reachable

PATH = "/healthz"
# Each check gets this long (seconds): the proxy must get its answer in well under 100 ms when all is well.
TIMEOUT = 0.5

logger = logging.getLogger(__name__)


def database_reachable() -> bool:
    """Return whether the default database answers a trivial query."""
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # Django closes an unusable connection when the request ends
        return False


def broker_reachable() -> bool:
    """Return whether the Celery broker answers: Redis replies to PING, the embedded broker's folder exists."""
    url = settings.CELERY_BROKER_URL
    scheme = url.split(":", 1)[0]
    if scheme == "memory":
        return True
    if scheme == "filesystem":
        folder = (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).get("data_folder_in")
        return bool(folder) and Path(folder).is_dir()
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=TIMEOUT) as sock:
            if scheme == "rediss":
                return True  # a TLS handshake would cost more than the check is worth: the port answers
            sock.settimeout(TIMEOUT)
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError:
        return False
    # +PONG, or -NOAUTH when a password is set: either way Redis itself answered.
    return reply.startswith((b"+PONG", b"-NOAUTH"))


CHECKS = {"database": database_reachable, "broker": broker_reachable, "storage": storage_reachable}


def health() -> dict[str, bool]:
    """Return each dependency's state."""
    return {name: check() for name, check in CHECKS.items()}


class HealthCheckMiddleware:
    """Answer GET/HEAD /healthz itself, before the security, session and login middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != PATH:
            return self.get_response(request)
        started = time.monotonic()
        states = health()
        healthy = all(states.values())
        if not healthy:
            failed = ", ".join(name for name, state in states.items() if not state)
            logger.warning("health check failed: %s (%.0f ms)", failed, (time.monotonic() - started) * 1000)
        response = HttpResponse(
            "ok\n" if healthy else "not ok\n", status=200 if healthy else 503, content_type="text/plain"
        )
        response["Cache-Control"] = "no-store"
        return response
