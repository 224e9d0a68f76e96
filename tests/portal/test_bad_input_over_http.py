"""Bad input sent through the real HTTP stack (a live server on 127.0.0.1, real sockets): a clear 400, 413 or
form error, never a 500, whether DEBUG is on or off.

Each case was a 500 found by a black-box run: a body in a charset other than UTF-8 (Django refused it, then
read it again for the CSRF check or the debug page), a malformed Content-Type parameter (Django could not build
the request), a non-numeric or huge OPD id in the admin's user form, and texts of a megabyte.
"""

import http.client
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from core.roles import Role
from opd.models import Submission, User
from tests.factories import OpdFactory, UserFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """A bare HTTP client on real sockets: exact headers and bodies, cookies kept by hand."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if method != "GET" or body:
            headers.setdefault("Content-Length", str(len(body)))
        headers.setdefault("Referer", f"http://{self.host}:{self.port}{path}")
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8", "replace")
        response.status_code = response.status
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path).text
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:500]
        return match.group(1)

    def log_in_as(self, user) -> None:
        client = Client()
        client.force_login(user)
        self.cookies["sessionid"] = client.cookies["sessionid"].value


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def browser(request, live_server, settings):
    settings.DEBUG = request.param
    return Browser(live_server.url)


def form_body(data: dict, encoding: str = "utf-8") -> bytes:
    return urlencode(data).encode(encoding)


def assert_refused(response, status: int = 400) -> None:
    assert response.status_code == status, response.text[:800]
    assert 'data-testid="refusal-reason"' in response.text
    assert "Traceback" not in response.text


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "UTF-32", "nonsense"])
def test_a_login_form_in_another_charset_is_a_clear_400(browser, charset):
    token = browser.csrf_token("/akun/masuk/")
    body = form_body({"csrfmiddlewaretoken": token, "username": "a", "password": "b"})
    for content_type in (
        f"application/x-www-form-urlencoded; charset={charset}",
        f"multipart/form-data; boundary=xyz; charset={charset}",
        f"text/plain; charset={charset}",
    ):
        assert_refused(browser.request("POST", "/akun/masuk/", body, {"Content-Type": content_type}))
    # Without the CSRF cookie as well (the refusal comes before the CSRF check reads the body).
    browser.cookies.clear()
    assert_refused(
        browser.request(
            "POST", "/akun/masuk/", body, {"Content-Type": f"application/x-www-form-urlencoded; charset={charset}"}
        )
    )


def test_a_utf8_login_form_still_works(browser, staff_dinkes, password):
    token = browser.csrf_token("/akun/masuk/")
    body = form_body({"csrfmiddlewaretoken": token, "username": staff_dinkes.username, "password": password})
    response = browser.request(
        "POST", "/akun/masuk/", body, {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "content_type",
    ["text/plain; charset*=BOGUS''utf-8", "application/x-www-form-urlencoded; charset*=nope'en'x"],
)
def test_a_malformed_content_type_parameter_is_a_clear_400(browser, content_type):
    assert_refused(browser.request("GET", "/akun/masuk/", headers={"Content-Type": content_type}))
    assert_refused(browser.request("POST", "/akun/masuk/", b"a=b", {"Content-Type": content_type}))


def test_a_body_larger_than_the_limit_is_refused_before_it_is_read(browser, staff_dinkes, settings):
    browser.log_in_as(staff_dinkes)
    token = browser.csrf_token("/usulan/baru/")
    # Announced larger than the limit: refused at once, without waiting for (or reading) the body.
    response = browser.request(
        "POST",
        "/usulan/baru/",
        b"",
        {
            "Content-Type": "multipart/form-data; boundary=xyz",
            "Content-Length": str(settings.REQUEST_UPLOAD_MAX_BYTES + 1),
            "X-CSRFToken": token,
        },
    )
    assert_refused(response, 413)
    text = form_body({"csrfmiddlewaretoken": token, "kind": "kebutuhan", "title": "x", "indicator": "x" * 6_000_000})
    response = browser.request("POST", "/usulan/baru/", text, {"Content-Type": "application/x-www-form-urlencoded"})
    assert_refused(response, 413)
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("field", "size"), [("current_condition", 1024 * 1024), ("indicator", 1_000_000)])
def test_a_megabyte_of_text_is_a_form_error_naming_the_limit(browser, staff_dinkes, field, size):
    browser.log_in_as(staff_dinkes)
    token = browser.csrf_token("/usulan/baru/")
    body = form_body({"csrfmiddlewaretoken": token, "kind": "kebutuhan", "title": "Judul", field: "x" * size})
    response = browser.request("POST", "/usulan/baru/", body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200 and 'data-testid="error-summary"' in response.text
    assert "paling banyak 5000 karakter" in response.text
    assert len(response.text) < 200_000  # the megabyte is not sent back
    assert not Submission.objects.exists()


def test_a_megabyte_regulation_basis_is_a_form_error(browser, kominfo_admin):
    browser.log_in_as(kominfo_admin)
    token = browser.csrf_token("/masterplan/baru/")
    data = {
        "csrfmiddlewaretoken": token,
        "title": "Masterplan",
        "start_year": 2023,
        "end_year": 2032,
        "short_term_end_year": 2027,
        "regulation_basis": "Perpres 95/2018\n" * 62_500,
    }
    response = browser.request(
        "POST", "/masterplan/baru/", form_body(data), {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 200 and "paling banyak 10000 karakter" in response.text


@pytest.mark.parametrize("opd", ["abc", "99999999999999999999999"])
def test_a_bad_opd_id_in_the_admins_user_form_is_a_form_error(browser, opd):
    root = User.objects.create_superuser(username="root", password="x", email="root@example.invalid")
    staff = UserFactory(role=Role.OPD_STAFF, opd=OpdFactory())
    browser.log_in_as(root)
    for path, username in [("/admin/opd/user/add/", "operator.baru"), (f"/admin/opd/user/{staff.pk}/change/", "x")]:
        token = browser.csrf_token(path)
        data = {
            "csrfmiddlewaretoken": token,
            "username": username,
            "role": Role.OPD_STAFF,
            "opd": opd,
            "usable_password": "true",
            "password1": "Sandi-Kuat-2026!",
            "password2": "Sandi-Kuat-2026!",
        }
        response = browser.request("POST", path, form_body(data), {"Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200 and "errornote" in response.text, response.text[:800]
    assert not User.objects.filter(username="operator.baru").exists()
    assert SESSION_KEY  # the session above was a real one (force_login through the shared database)
