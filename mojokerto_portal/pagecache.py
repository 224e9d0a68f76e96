"""Whole rendered pages, cached per user under a token that changes with every committed write.

Why it is safe:
- **The key changes with the data.** Database triggers on every table that a page can show replace the
  one-row `DataToken` inside the writing transaction (on PostgreSQL deferred to its commit, once per
  transaction). A reader sees the new token exactly when it can see the new data, so a page cached under a
  token was rendered from data at least as new as that token: no write can leave a stale page behind,
  whichever process, worker, admin screen, bulk update or raw SQL made it. The triggers are (re)installed
  after every `migrate` from the model registry, so a new table is tracked without anyone remembering to.
- **The key is the user's own.** It holds the user, the full path with its query string, the language,
  the host, the htmx headers, the day and the release (a fingerprint of the code, templates and
  translations), so nothing crosses users, languages or deployments.
- **Only plain pages are kept:** GET, status 200, HTML, no header or cookie of the view's own, and no
  flash message shown or pending. The CSRF token in the page's forms is put in fresh on every answer.
- Access checks are not cached: the role decorators run before the cache on every request.

A hit costs one query (the token) on top of the session and the user: a page whatever its size.
"""

import functools
import hashlib
import re
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

TOKEN_TABLE = "mojokerto_portal_datatoken"
# Tables no page shows, written on logins and plain reads: tracking them would only empty the cache.
UNTRACKED = {
    "sessions.session",
    "admin.logentry",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "mojokerto_portal.securityevent",
    "mojokerto_portal.datatoken",
}
TRIGGER = "portal_data_changed"
# Writes a new token (the value is an SQL expression), creating the row if a flush removed it.
UPSERT_TOKEN = (
    f"INSERT INTO {TOKEN_TABLE} (id, token) VALUES (1, {{value}}) ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_PLACEHOLDER = b"\x00portal-csrf-token\x00"
# Static files too: their hashed names are written into the pages (ManifestStaticFilesStorage).
RELEASE_FOLDERS = ("mojokerto_portal", "opd", "masterplan", "pillars", "templates", "locale", "static")
RELEASE_SUFFIXES = {".py", ".html", ".txt", ".mo", ".json", ".svg", ".css", ".js"}


def tracked_tables() -> list[str]:
    """Return the tables whose writes change the data token: every model's table but UNTRACKED."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and model._meta.label_lower not in UNTRACKED
    }
    return sorted(tables)


POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    -- Once per transaction when deferred to the commit (one statement); once per statement otherwise.
    mark text := txid_current()::text || ' ' || statement_timestamp()::text;
BEGIN
    IF current_setting('portal.data_changed', true) IS DISTINCT FROM mark THEN
        PERFORM set_config('portal.data_changed', mark, true);
        {UPSERT_TOKEN.format(value="md5(random()::text || clock_timestamp()::text)")};
    END IF;
    RETURN NULL;
END
$$;
"""


def _postgres_statements(database, table: str) -> list[str]:
    quoted = database.ops.quote_name(table)
    return [
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}",
        # Deferred to the commit: the token row is locked for an instant at the end of each writing
        # transaction, after all its other locks are taken, so it can neither deadlock nor serialise writers.
        f"CREATE CONSTRAINT TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON {quoted} "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
        f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {quoted}",
        f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {quoted} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()",
    ]


def _sqlite_statements(database, table: str) -> list[str]:
    quoted = database.ops.quote_name(table)
    statements = []
    for operation in ("INSERT", "UPDATE", "DELETE"):
        name = f"{TRIGGER}_{operation.lower()}_{table}"
        statements += [
            f'DROP TRIGGER IF EXISTS "{name}"',
            f'CREATE TRIGGER "{name}" AFTER {operation} ON {quoted} BEGIN '
            f"{UPSERT_TOKEN.format(value='lower(hex(randomblob(16)))')}; END",
        ]
    return statements


def install_triggers(using: str = "default") -> int:
    """Put the data-token trigger on every tracked table of the database and start a new token.

    Return how many tables are tracked. Without the token table (migrated back) the triggers are removed
    instead, as they would make every write fail.
    """
    database = connections[using]
    existing = set(database.introspection.table_names())
    if TOKEN_TABLE not in existing:
        remove_triggers(using)
        return 0
    tables = [table for table in tracked_tables() if table in existing]
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            cursor.execute(POSTGRES_FUNCTION)
        statements = _postgres_statements if database.vendor == "postgresql" else _sqlite_statements
        for table in tables:
            for statement in statements(database, table):
                cursor.execute(statement)
        # A migration may have changed data while SQLite had dropped a rebuilt table's triggers.
        cursor.execute(UPSERT_TOKEN.format(value="%s"), [secrets.token_hex(16)])
    return len(tables)


def remove_triggers(using: str = "default") -> None:
    """Remove every data-token trigger (and the PostgreSQL function) from the database."""
    database = connections[using]
    with database.cursor() as cursor:
        if database.vendor == "postgresql":
            cursor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}() CASCADE")  # with every trigger calling it
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER + "%"])
            for (name,) in cursor.fetchall():
                cursor.execute(f'DROP TRIGGER IF EXISTS "{name}"')


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """Re-install the triggers after each migrate (SQLite drops them whenever it rebuilds a table)."""
    install_triggers(using)


def data_token() -> str | None:
    """Return the current data token (one query), or None when there is none (right after a flush)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TOKEN_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _plain(value) -> bool:
    """Tell whether a setting's value is made of plain data only (its repr is the same in every process)."""
    if value is None or isinstance(value, str | int | float | bool | Path):
        return True
    if isinstance(value, list | tuple):  # not sets: their order, so their repr, differs between processes
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(_plain(key) and _plain(item) for key, item in value.items())
    return False


@functools.cache
def release_fingerprint() -> str:
    """Return a digest of the code, templates, translations and settings: a new release or configuration
    (say another ATTACHMENT_MAX_MB) starts with an empty cache, even one shared in Redis."""
    digest = hashlib.sha256()
    for name in sorted(name for name in dir(settings) if name.isupper()):
        value = getattr(settings, name)
        if _plain(value):
            digest.update(f"{name}={value!r}".encode())
    base = Path(settings.BASE_DIR)
    for folder in RELEASE_FOLDERS:
        for path in sorted((base / folder).rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(request, token: str) -> str:
    """Return the cache key of this request's page under the data token."""
    parts = (
        release_fingerprint(),
        token,
        str(request.user.pk),
        get_language() or "",
        request.get_host(),
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        timezone.localdate().isoformat(),
    )
    return "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and set(response.headers) <= {"Content-Type"}
        and not response.cookies
        and len(get_messages(request)) == 0
    )


def cached_page(view):
    """Serve the view's page from the cache when nothing in the database changed since it was rendered."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            not settings.PAGE_CACHE
            or request.method not in ("GET", "HEAD")
            or not request.user.is_authenticated
            or len(get_messages(request))
        ):
            return view(request, *args, **kwargs)
        token = data_token()
        if token is None:
            return view(request, *args, **kwargs)
        key = page_key(request, token)
        stored = cache.get(key)
        if stored is not None:
            content_type, content = stored
            if CSRF_PLACEHOLDER in content:
                content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(content, content_type=content_type)
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _storable(request, response):
            content = CSRF_INPUT.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
            cache.set(key, (response["Content-Type"], content), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper
