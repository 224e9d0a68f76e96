"""Production hardening: check --deploy, headers, login required everywhere, lockout, session timeouts."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from core.models import SecurityEvent
from core.security import LOGIN_AT, SEEN_AT
from mojokerto_portal import urls as project_urls
from opd.models import User
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401  (autouse fixture)

ROOT = Path(__file__).resolve().parents[2]
Kind = SecurityEvent.Kind


def production_env(**extra) -> dict:
    """The environment of a production web process: DEBUG off, a random key, HTTPS defaults untouched."""
    removed = {"DEBUG", "SECRET_KEY", "SECURE_COOKIES", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS"}
    removed |= {"DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for the tests only (pyproject)
    clean = {k: v for k, v in os.environ.items() if k not in removed}
    return (
        clean
        | {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40)[:50],
            "ALLOWED_HOSTS": "smartcity.mojokertokab.go.id",
            "BEHIND_HTTPS_PROXY": "1",
        }
        | extra
    )


def test_check_deploy_reports_no_warning_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_security_limits_come_from_the_environment():
    script = (
        "import mojokerto_portal.settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(),"
        " s.SESSION_IDLE_SECONDS, s.SESSION_MAX_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    env = production_env(LOGIN_FAILURE_LIMIT="7", LOGIN_LOCKOUT_MINUTES="15", SESSION_IDLE_MINUTES="20")
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env | {"SESSION_MAX_HOURS": "8"}, capture_output=True, text=True
    )
    assert result.stdout.split() == ["7", "900.0", "1200", "28800", "True", "31536000"], result.stderr
    development = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"SECURE_COOKIES"}} | {"DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    # `make run` serves plain http://127.0.0.1:8000: no redirect to HTTPS, no HSTS.
    assert development.stdout.split()[-2:] == ["False", "0"], development.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["login", "home"])
def test_security_headers_on_every_page(client, executive, url_name):
    if url_name == "home":
        client.force_login(executive)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'" and directives["form-action"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_session_cookie_is_secure_and_http_only_over_https(client, executive, password, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True  # the production default (SECURE_COOKIES)
    response = client.post(reverse("login"), {"username": "pimpinan", "password": password}, secure=True)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def named_urls(patterns, namespace=""):
    """Yield (name, example path) for every named URL, with example values for its arguments."""
    examples = {"int": 1, "string": "csv", "slug": "gov", "path": "x"}
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # the admin has its own gate (tested below)
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            converters = getattr(pattern.pattern, "converters", {})
            kwargs = {
                name: examples[type(conv).__name__.replace("Converter", "").lower()]
                for name, conv in converters.items()
            }
            yield f"{namespace}{pattern.name}", reverse(f"{namespace}{pattern.name}", kwargs=kwargs)


# The Bimtek check-in is for participants on their phones: a session code and a NIP, no account.
# A one-time link sets the password of an account that cannot log in yet.
PUBLIC = {"login", "set_language", "bimtek:checkin", "password_setup", "password_setup_done"}
# The published masterplan's pages and files: open data for anyone (an unknown one is a 404, a POST a 405).
OPEN_DATA = {
    f"publication:{name}"
    for name in (
        "list",
        "dcat",
        "detail",
        "programmes_csv",
        "programmes_json",
        "realisation_csv",
        "datapackage",
        "dcat_one",
        "pdf",
    )
}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), list(named_urls(get_resolver().url_patterns)))
def test_every_page_but_the_public_ones_needs_a_login(client, name, path):
    for method in (client.get, client.post):
        response = method(path)
        if name in OPEN_DATA:
            assert response.status_code in {200, 404, 405}, (name, path)
        elif name in PUBLIC:
            assert response.status_code in {200, 302, 405}  # 405: a public page that only shows (GET)
            assert not response.get("Location", "").startswith("/akun/masuk")
        else:
            assert response.status_code == 302, (name, path)
            assert response["Location"].startswith(f"{reverse('login')}?next="), (name, path)


def undecorated_view(request):
    return HttpResponse("private")


# A page added without any decorator (see the test below, which uses this module as its URLconf).
urlpatterns = [path("new-page/", undecorated_view), *project_urls.urlpatterns]


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_security")
def test_a_new_page_without_any_decorator_is_private_by_default(client, executive):
    response = client.get("/new-page/")
    assert response.status_code == 302 and response["Location"] == "/akun/masuk/?next=/new-page/"
    client.force_login(executive)
    assert client.get("/new-page/").content == b"private"


@pytest.mark.django_db
def test_admin_sends_anonymous_people_to_the_portal_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert response.status_code == 200


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_until_a_kominfo_admin_unlocks_it(
    client, staff_dinkes, staff_dlh, kominfo_admin, password, settings
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "staf.dinkes", "salah")
        assert response.status_code == 200
        assert "Too many failed logins" not in response.content.decode()

    response = login(client, "staf.dinkes", "salah")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Too many failed logins: this account is locked for 30 minutes." in content
    assert 'data-testid="error-summary"' in content and 'name="username"' in content  # the login page itself

    # Locked: even the right password is refused, with the same message.
    response = login(client, "staf.dinkes", password)
    assert response.status_code == 429 and "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, username="staf.dinkes").exists()

    # Another account behind the same office address is not locked.
    other = Client()
    assert login(other, "staf.dlh", password).status_code == 302

    # A Kominfo admin finds the lock on the account's page and unlocks it.
    admin_client = Client()
    admin_client.force_login(kominfo_admin)
    account = User.objects.get(username="staf.dinkes")
    page = admin_client.get(reverse("accounts:account_detail", args=[account.pk])).content.decode()
    assert reverse("accounts:account_unlock", args=[account.pk]) in page
    response = admin_client.post(reverse("accounts:account_unlock", args=[account.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="staf.dinkes").exists()
    unlock = SecurityEvent.objects.get(kind=Kind.UNLOCKED)
    assert unlock.user == kominfo_admin and "staf.dinkes" in unlock.detail

    response = login(client, "staf.dinkes", password)
    assert response.status_code == 302 and response.url == reverse("home")


@pytest.mark.django_db
def test_lockout_list_is_for_kominfo_admins_only(client, executive):
    client.force_login(executive)
    response = client.get(reverse("admin:axes_accessattempt_changelist"), follow=True)
    assert response.status_code == 403
    assert SecurityEvent.objects.get(kind=Kind.PERMISSION_DENIED).username == "pimpinan"


@pytest.fixture
def logged_in(client, executive):
    client.force_login(executive)
    assert client.get(reverse("home")).status_code == 200
    return client


def shift_session(client, key: str, seconds: int) -> None:
    """Travel in time: make a session timestamp older by this many seconds."""
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.mark.django_db
def test_an_idle_session_ends_with_a_message(logged_in, settings, pillars):
    client = logged_in
    shift_session(client, SEEN_AT, settings.SESSION_IDLE_SECONDS - 60)
    assert client.get(reverse("home")).status_code == 200  # still inside the idle limit
    shift_session(client, SEEN_AT, settings.SESSION_IDLE_SECONDS + 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("pillars:list"), follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={reverse('pillars:list')}"
    assert "You were logged out after 30 minutes without activity." in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = SecurityEvent.objects.get(kind=Kind.SESSION_EXPIRED)
    assert event.action == "idle" and event.username == "pimpinan"


@pytest.mark.django_db
def test_a_session_ends_after_its_absolute_lifetime_even_when_active(logged_in, settings):
    client = logged_in
    shift_session(client, LOGIN_AT, settings.SESSION_MAX_SECONDS + 1)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert SecurityEvent.objects.get(kind=Kind.SESSION_EXPIRED).action == "absolute"
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_an_expired_htmx_request_sends_the_whole_page_to_login(logged_in, settings):
    client = logged_in
    shift_session(client, SEEN_AT, settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("home"), headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_deactivated_account_loses_access_on_its_next_request(logged_in, executive):
    executive.is_active = False
    executive.save(update_fields=["is_active"])
    response = logged_in.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
