"""The page cache: pages served from memory until the data changes, never across users, never stale."""

import os
import re
import subprocess
import sys
import uuid

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mojokerto_portal import pagecache
from mojokerto_portal.models import SecurityEvent
from opd.models import Comment, Opd, Submission
from opd.services.submissions import submission_approve
from pillars.models import Pillar
from tests.factories import OpdFactory
from tests.masterplan.factories import MasterplanFactory
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401
from tests.services import need, redis_url

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def logged_in(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def cache_state(response) -> str | None:
    return response.headers.get("X-Page-Cache")


@pytest.fixture
def submitted(staff_dinkes, pillars):
    return sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Aplikasi antrean puskesmas"))


# --- The data token and its triggers -------------------------------------------------------------------


@pytest.mark.django_db
def test_every_tracked_table_has_the_trigger_and_nothing_else_does():
    with_trigger = tables_with_the_trigger()
    tracked = set(pagecache.tracked_tables())
    assert with_trigger == tracked
    # What pages show is tracked, the many-to-many tables included; what logins and reads write is not.
    assert {"opd_submission", "opd_comment", "opd_user", "masterplan_programme", "pillars_pillar"} <= tracked
    assert any(table.startswith("masterplan_programme_") for table in tracked)
    assert {"django_session", "mojokerto_portal_securityevent", "axes_accessattempt"}.isdisjoint(tracked)


def tables_with_the_trigger() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE %s",
                [pagecache.TRIGGER + "%"],
            )
        else:
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [pagecache.TRIGGER + "%"],
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db(transaction=True)
def test_migrating_back_removes_the_triggers_and_migrating_forward_restores_them(pillars):
    call_command("migrate", "mojokerto_portal", "0001", verbosity=0)
    try:
        assert tables_with_the_trigger() == set()
        Pillar.objects.first().save()  # a trigger left behind would fail here, writing to a dropped table
    finally:
        call_command("migrate", verbosity=0)
    assert tables_with_the_trigger() == set(pagecache.tracked_tables())
    assert pagecache.data_token()


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_committed_write_changes_the_token(staff_dinkes, pillars):
    opd = staff_dinkes.opd
    writes = [
        lambda: OpdFactory(code="BARU", short_name="Baru"),  # insert
        lambda: Opd.objects.filter(pk=opd.pk).update(short_name="Dinkes!"),  # bulk update
        lambda: Pillar.objects.first().save(),  # a save that changes nothing
        lambda: Opd.objects.bulk_create([Opd(code="B2", name="B2", short_name="B2", kind=Opd.Kind.DINAS)]),
        lambda: Opd.objects.filter(code="B2").delete(),
        lambda: connection.cursor().execute("UPDATE opd_opd SET name = name"),  # raw SQL
        lambda: staff_dinkes.groups.add(*[]) or staff_dinkes.save(update_fields=["last_name"]),
    ]
    for write in writes:
        before = pagecache.data_token()
        write()
        after = pagecache.data_token()
        assert before and after and before != after


@pytest.mark.django_db(transaction=True)
def test_the_token_changes_at_the_commit_and_not_on_a_rollback_or_an_untracked_write(staff_dinkes, pillars):
    start = pagecache.data_token()
    with pytest.raises(RuntimeError), transaction.atomic():
        Opd.objects.update(short_name="X")
        raise RuntimeError
    assert pagecache.data_token() == start
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN, username="x")
    assert pagecache.data_token() == start
    with transaction.atomic():
        Opd.objects.update(short_name="Y")
        Opd.objects.update(short_name="Z")
        if connection.vendor == "postgresql":
            # Deferred to the commit: inside the transaction nobody, itself included, sees a new token yet.
            assert pagecache.data_token() == start
    assert pagecache.data_token() != start


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_gets_a_token_back_with_its_next_write(pillars):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {pagecache.TOKEN_TABLE}")
    assert pagecache.data_token() is None
    OpdFactory()
    assert pagecache.data_token()


# --- Pages ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_comes_from_the_cache_until_the_data_changes(kominfo_admin, submitted):
    client = logged_in(kominfo_admin)
    url = reverse("submissions:detail", args=[submitted.pk])
    first = client.get(url)
    assert cache_state(first) == "miss"
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    # The session, the user and the token: nothing else, whatever the page shows.
    assert cache_state(second) == "hit" and len(queries) == 3
    assert CSRF.sub("", second.content.decode()) == CSRF.sub("", first.content.decode())

    submission_approve(submission=submitted, by=kominfo_admin, reason="Anggaran-sudah-tersedia")
    third = client.get(url)
    assert cache_state(third) == "miss"
    assert Submission.objects.get(pk=submitted.pk).status == "approved"
    assert "Anggaran-sudah-tersedia" in third.content.decode()
    assert "Anggaran-sudah-tersedia" not in first.content.decode()


@pytest.mark.django_db
def test_a_write_through_any_path_shows_at_once(kominfo_admin, submitted):
    client = logged_in(kominfo_admin)
    url = reverse("submissions:list")
    assert "Aplikasi antrean puskesmas" in client.get(url).content.decode()
    Submission.objects.filter(pk=submitted.pk).update(title="Judul diganti lewat update massal")
    page = client.get(url).content.decode()
    assert "Judul diganti lewat update massal" in page and "Aplikasi antrean puskesmas" not in page


@pytest.mark.django_db
def test_pages_are_never_shared_between_users(staff_dinkes, staff_dlh, submitted):
    url = reverse("submissions:list")
    dinkes, dlh = logged_in(staff_dinkes), logged_in(staff_dlh)
    assert "Aplikasi antrean puskesmas" in dinkes.get(url).content.decode()
    for _ in range(2):
        page = dlh.get(url)
        assert "Aplikasi antrean puskesmas" not in page.content.decode()
    assert cache_state(page) == "hit"
    # Another OPD's submission stays a 404, cached page or not: the access check runs before the cache.
    detail = reverse("submissions:detail", args=[submitted.pk])
    assert dinkes.get(detail).status_code == 200 and dinkes.get(detail).status_code == 200
    assert dlh.get(detail).status_code == 404


@pytest.mark.django_db
def test_the_language_and_the_query_string_are_part_of_the_key(kominfo_admin, submitted):
    client = logged_in(kominfo_admin)
    url = reverse("submissions:list")
    client.cookies["django_language"] = "id"
    indonesian = client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(url)
    assert cache_state(english) == "miss" and "Review queue" in english.content.decode()
    assert "Review queue" not in indonesian
    nothing = client.get(url, {"q": "tidak-ada-yang-cocok"})
    assert cache_state(nothing) == "miss" and "Aplikasi antrean puskesmas" not in nothing.content.decode()


@pytest.mark.django_db
def test_a_cached_page_carries_a_working_csrf_token_of_its_own_session(kominfo_admin, submitted):
    url = reverse("submissions:detail", args=[submitted.pk])
    # Two sessions of the same account (a login changes the data: it writes the user's last login).
    first_tab = logged_in(kominfo_admin, enforce_csrf_checks=True)
    other = logged_in(kominfo_admin, enforce_csrf_checks=True)
    assert cache_state(first_tab.get(url)) == "miss"
    # The other session's CSRF secret differs; its page comes from the cache.
    page = other.get(url)
    assert cache_state(page) == "hit"
    tokens = set(CSRF.findall(page.content.decode()))
    assert len(tokens) == 1 and pagecache.CSRF_PLACEHOLDER.decode() not in page.content.decode()
    answer = other.post(
        reverse("submissions:comment", args=[submitted.pk]),
        {"body": "Dikirim dari halaman cache", "visibility": "opd", "csrfmiddlewaretoken": tokens.pop()},
    )
    assert answer.status_code == 302
    assert Comment.objects.filter(body="Dikirim dari halaman cache").exists()


@pytest.mark.django_db
def test_flash_messages_are_shown_once_and_never_cached(kominfo_admin, submitted):
    client = logged_in(kominfo_admin)
    client.cookies["django_language"] = "en"
    url = reverse("submissions:detail", args=[submitted.pk])
    client.get(url)
    client.post(reverse("submissions:comment", args=[submitted.pk]), {"body": "Catatan", "visibility": "opd"})
    with_message = client.get(url)
    assert "Comment added." in with_message.content.decode() and cache_state(with_message) is None
    without = client.get(url)
    assert "Comment added." not in without.content.decode() and cache_state(without) == "miss"
    assert cache_state(client.get(url)) == "hit"


@pytest.mark.django_db
def test_the_cache_can_be_turned_off(kominfo_admin, submitted, settings):
    settings.PAGE_CACHE = False
    client = logged_in(kominfo_admin)
    for _ in range(2):
        assert cache_state(client.get(reverse("submissions:list"))) is None


@pytest.mark.django_db
def test_every_cached_page_answers_a_hit_with_three_queries(kominfo_admin, submitted, pillars):
    masterplan = MasterplanFactory()
    client = logged_in(kominfo_admin)
    urls = [
        reverse("home"),
        reverse("submissions:list"),
        reverse("submissions:detail", args=[submitted.pk]),
        reverse("submissions:history", args=[submitted.pk]),
        reverse("pillars:list"),
        reverse("pillars:detail", args=[pillars[0].code]),
        reverse("masterplan:list"),
        reverse("masterplan:detail", args=[masterplan.pk]),
        reverse("masterplan:assembly", args=[masterplan.pk]),
    ]
    for url in urls:
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert (url, cache_state(first), cache_state(second), len(queries)) == (url, "miss", "hit", 3)
        assert second.content.decode().count("</html>") == 1


@pytest.mark.django_db
def test_the_page_cache_works_on_a_shared_redis(kominfo_admin, submitted, settings):
    url = redis_url()
    need(url is not None, "no Redis reachable at CELERY_BROKER_URL or TEST_REDIS_URL (redis://...)")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"page-cache-test-{uuid.uuid4().hex}",  # never a key of another run
        }
    }
    client = logged_in(kominfo_admin, enforce_csrf_checks=True)
    detail = reverse("submissions:detail", args=[submitted.pk])
    assert cache_state(client.get(detail)) == "miss"
    page = client.get(detail)
    assert cache_state(page) == "hit"
    token = CSRF.search(page.content.decode()).group(1)
    answer = client.post(
        reverse("submissions:comment", args=[submitted.pk]),
        {"body": "Lewat Redis", "visibility": "opd", "csrfmiddlewaretoken": token},
    )
    assert answer.status_code == 302
    client.get(detail)  # shows the flash message: rendered, not stored
    fresh = client.get(detail)
    assert cache_state(fresh) == "miss" and "Lewat Redis" in fresh.content.decode()


def _fingerprint_in_a_new_process(**env) -> str:
    code = "import django; django.setup(); from mojokerto_portal.pagecache import release_fingerprint as f; print(f())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mojokerto_portal.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_the_release_fingerprint_is_shared_by_processes_and_follows_the_configuration():
    # Web processes sharing a Redis cache must agree on it, whatever their hash seeds...
    first, second = _fingerprint_in_a_new_process(PYTHONHASHSEED="1"), _fingerprint_in_a_new_process(PYTHONHASHSEED="2")
    assert first == second and len(first) == 16
    # ...and pages rendered under another configuration are not served after a restart with this one.
    assert _fingerprint_in_a_new_process(PYTHONHASHSEED="1", ATTACHMENT_MAX_MB="11") != first
