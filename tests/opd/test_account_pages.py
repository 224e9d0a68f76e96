"""Kominfo's pages for OPDs and accounts: list, add an operator (one-time link), deactivate, reset, unlock, import."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import SecurityEvent
from core.roles import Role
from opd.models import Opd, User
from tests.factories import OpdFactory, UserFactory

from .submission_factories import fast_password_hasher  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Sandi-Baru-Operator-2026"


def add_operator(client, opd, **data):
    payload = {"username": "operator.dinkes", "first_name": "Operator", "last_name": "Dinkes", "email": "", **data}
    return client.post(reverse("accounts:opd_detail", args=[opd.pk]), payload)


def setup_link_of(response) -> str:
    match = re.search(r'data-testid="setup-link" value="https?://[^/]+([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def set_password_through(link: str, password: str = NEW_PASSWORD):
    """Follow a one-time link in a fresh browser and set the password; return the last response."""
    browser = Client()
    form_page = browser.get(link, follow=True)
    if "validlink" not in form_page.context or not form_page.context["validlink"]:
        return form_page
    return browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}, follow=True
    )


def can_log_in(username: str, password: str = NEW_PASSWORD) -> bool:
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def lock_out(username: str, settings) -> None:
    AccessAttempt.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="test",
        http_accept="*/*",
        path_info="/akun/masuk/",
        get_data="",
        post_data="",
        failures_since_start=settings.AXES_FAILURE_LIMIT,
    )


# --- Who may open the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_opd_staff_and_the_bupatis_office_are_refused_every_account_page(client, request, who, dinkes, staff_dlh):
    client.force_login(request.getfixturevalue(who))
    gets = [
        reverse("accounts:opd_list"),
        reverse("accounts:opd_import"),
        reverse("accounts:opd_detail", args=[dinkes.pk]),
        reverse("accounts:account_detail", args=[staff_dlh.pk]),
    ]
    posts = [
        reverse("accounts:opd_detail", args=[dinkes.pk]),
        reverse("accounts:account_deactivate", args=[staff_dlh.pk]),
        reverse("accounts:account_activate", args=[staff_dlh.pk]),
        reverse("accounts:account_unlock", args=[staff_dlh.pk]),
        reverse("accounts:account_reset_password", args=[staff_dlh.pk]),
        reverse("accounts:opd_import"),
    ]
    assert {client.get(url).status_code for url in gets} == {403}
    assert {client.post(url, {"username": "x.y", "first_name": "X"}).status_code for url in posts} == {403}
    staff_dlh.refresh_from_db()
    assert staff_dlh.is_active and not User.objects.filter(username="x.y").exists()


def test_nobody_logged_in_is_sent_to_the_login_page(client):
    response = client.get(reverse("accounts:opd_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_only_a_superuser_reaches_the_django_admin(client, kominfo_admin):
    client.force_login(kominfo_admin)
    assert client.get(reverse("admin:index"), follow=True).status_code == 403
    assert client.get(reverse("admin:opd_user_changelist"), follow=True).status_code == 403
    root = User.objects.create_superuser(username="root", password="x", email="root@example.invalid")
    client.force_login(root)
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_missing_opd_or_account_is_a_404(client, kominfo_admin):
    client.force_login(kominfo_admin)
    assert client.get(reverse("accounts:opd_detail", args=[987654])).status_code == 404
    assert client.get(reverse("accounts:account_detail", args=[987654])).status_code == 404
    assert client.post(reverse("accounts:account_deactivate", args=[987654])).status_code == 404


# --- The list -------------------------------------------------------------------------------------------------------


def test_kominfo_lists_opds_with_their_operators_and_lockouts(client, kominfo_admin, staff_dinkes, dlh, settings):
    lock_out(staff_dinkes.username, settings)
    client.force_login(kominfo_admin)
    page = client.get(reverse("accounts:opd_list")).content.decode()
    assert "Dinas Kesehatan" in page and "Dinas Lingkungan Hidup" in page
    assert reverse("accounts:account_detail", args=[staff_dinkes.pk]) in page
    assert reverse("accounts:account_detail", args=[kominfo_admin.pk]) in page
    assert "terkunci" in page


def test_the_list_takes_the_same_number_of_queries_whatever_the_number_of_opds(client, kominfo_admin):
    client.force_login(kominfo_admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:opd_list")).status_code == 200
        return len(captured)

    OpdFactory()
    few = queries()
    for _ in range(8):
        opd = OpdFactory()
        UserFactory(role=Role.OPD_STAFF, opd=opd)
        UserFactory(role=Role.OPD_STAFF, opd=opd)
    assert queries() == few


# --- Adding an operator, and the one-time link --------------------------------------------------------------------


def test_a_new_operator_sets_their_own_password_through_a_one_time_link(client, kominfo_admin, dinkes):
    client.force_login(kominfo_admin)
    response = add_operator(client, dinkes)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    account = User.objects.get(username="operator.dinkes")
    assert account.role == Role.OPD_STAFF and account.opd == dinkes and account.is_active
    assert not account.has_usable_password()
    link = setup_link_of(response)
    assert not can_log_in("operator.dinkes")
    done = set_password_through(link)
    assert done.redirect_chain[-1][0] == reverse("password_setup_done")
    assert can_log_in("operator.dinkes")
    assert SecurityEvent.objects.filter(action="account_created", target_id=str(account.pk)).exists()


def test_a_one_time_link_works_only_once(client, kominfo_admin, dinkes):
    client.force_login(kominfo_admin)
    link = setup_link_of(add_operator(client, dinkes))
    set_password_through(link)
    again = set_password_through(link, "Sandi-Lain-Sekali-2026")
    assert 'data-testid="link-invalid"' in again.content.decode()
    assert can_log_in("operator.dinkes") and not can_log_in("operator.dinkes", "Sandi-Lain-Sekali-2026")


def test_a_tampered_link_sets_nothing(client, kominfo_admin, dinkes):
    client.force_login(kominfo_admin)
    link = setup_link_of(add_operator(client, dinkes))
    response = set_password_through(link[:-3] + "zzz/")
    assert 'data-testid="link-invalid"' in response.content.decode()
    assert not User.objects.get(username="operator.dinkes").has_usable_password()


def test_a_weak_password_is_refused_on_the_setup_page(client, kominfo_admin, dinkes):
    client.force_login(kominfo_admin)
    link = setup_link_of(add_operator(client, dinkes))
    response = set_password_through(link, "12345678")
    assert response.status_code == 200 and 'data-testid="error-summary"' in response.content.decode()
    assert not User.objects.get(username="operator.dinkes").has_usable_password()


@pytest.mark.parametrize(
    "data",
    [
        {"username": "staf.dlh"},  # taken
        {"username": "STAF.DLH"},  # taken, in other letters
        {"username": "operator dinkes"},  # a space
        {"username": "<script>"},
        {"username": ""},
        {"username": "a" * 200},
        {"first_name": ""},
        {"email": "bukan-alamat"},
    ],
)
def test_a_bad_operator_form_adds_nobody(client, kominfo_admin, dinkes, staff_dlh, data):
    client.force_login(kominfo_admin)
    before = User.objects.count()
    response = add_operator(client, dinkes, **data)
    assert response.status_code == 400 and 'data-testid="error-summary"' in response.content.decode()
    assert User.objects.count() == before


def test_no_operator_is_added_to_an_inactive_opd(client, kominfo_admin):
    closed = OpdFactory(is_active=False)
    client.force_login(kominfo_admin)
    assert add_operator(client, closed).status_code == 403
    assert not User.objects.filter(username="operator.dinkes").exists()


# --- Deactivate, activate ---------------------------------------------------------------------------------------------


def test_deactivating_an_operator_ends_their_session_and_their_link(client, kominfo_admin, dinkes, staff_dinkes):
    operator_browser = Client()
    operator_browser.force_login(staff_dinkes)
    client.force_login(kominfo_admin)
    link = setup_link_of(client.post(reverse("accounts:account_reset_password", args=[staff_dinkes.pk])))
    response = client.post(reverse("accounts:account_deactivate", args=[staff_dinkes.pk]))
    assert response.status_code == 302
    staff_dinkes.refresh_from_db()
    assert not staff_dinkes.is_active
    assert operator_browser.get(reverse("submissions:list")).status_code == 302  # back to the login page
    assert 'data-testid="link-invalid"' in set_password_through(link).content.decode()
    client.post(reverse("accounts:account_activate", args=[staff_dinkes.pk]))
    staff_dinkes.refresh_from_db()
    assert staff_dinkes.is_active


def test_kominfo_cannot_deactivate_itself_or_a_superuser(client, kominfo_admin):
    root = User.objects.create_superuser(username="root", password="x", email="root@example.invalid")
    client.force_login(kominfo_admin)
    assert client.post(reverse("accounts:account_deactivate", args=[kominfo_admin.pk])).status_code == 403
    assert client.post(reverse("accounts:account_deactivate", args=[root.pk])).status_code == 403
    assert client.post(reverse("accounts:account_reset_password", args=[root.pk])).status_code == 403
    kominfo_admin.refresh_from_db()
    root.refresh_from_db()
    assert kominfo_admin.is_active and root.is_active and root.check_password("x")


def test_deactivating_twice_says_so_and_changes_nothing(client, kominfo_admin, staff_dinkes):
    client.force_login(kominfo_admin)
    client.post(reverse("accounts:account_deactivate", args=[staff_dinkes.pk]))
    response = client.post(reverse("accounts:account_deactivate", args=[staff_dinkes.pk]), follow=True)
    assert "sudah nonaktif" in response.content.decode()
    assert SecurityEvent.objects.filter(action="account_deactivated").count() == 1


# --- Forgotten passwords and lockouts -------------------------------------------------------------------------


def test_resetting_a_forgotten_password_voids_the_old_one_and_gives_a_new_link(client, kominfo_admin, staff_dinkes):
    client.force_login(kominfo_admin)
    first = setup_link_of(client.post(reverse("accounts:account_reset_password", args=[staff_dinkes.pk])))
    assert not can_log_in(staff_dinkes.username, "uji-Kata-Sandi-2026")
    second = setup_link_of(client.post(reverse("accounts:account_reset_password", args=[staff_dinkes.pk])))
    assert 'data-testid="link-invalid"' in set_password_through(first).content.decode()
    set_password_through(second)
    assert can_log_in(staff_dinkes.username)


def test_an_inactive_accounts_password_cannot_be_reset(client, kominfo_admin, staff_dinkes):
    staff_dinkes.is_active = False
    staff_dinkes.save()
    client.force_login(kominfo_admin)
    response = client.post(reverse("accounts:account_reset_password", args=[staff_dinkes.pk]))
    assert response.status_code == 302
    staff_dinkes.refresh_from_db()
    assert staff_dinkes.has_usable_password()


def test_unlocking_a_locked_out_account(client, kominfo_admin, staff_dinkes, settings, password):
    lock_out(staff_dinkes.username, settings)
    client.force_login(kominfo_admin)
    page = client.get(reverse("accounts:account_detail", args=[staff_dinkes.pk])).content.decode()
    assert reverse("accounts:account_unlock", args=[staff_dinkes.pk]) in page
    client.post(reverse("accounts:account_unlock", args=[staff_dinkes.pk]))
    assert not AccessAttempt.objects.filter(username=staff_dinkes.username).exists()
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.UNLOCKED).exists()
    login = Client().post(reverse("login"), {"username": staff_dinkes.username, "password": password})
    assert login.status_code == 302


def test_unlocking_an_account_that_is_not_locked_says_so(client, kominfo_admin, staff_dinkes):
    client.force_login(kominfo_admin)
    response = client.post(reverse("accounts:account_unlock", args=[staff_dinkes.pk]), follow=True)
    assert "tidak memiliki" in response.content.decode()


# --- Importing the OPD list -----------------------------------------------------------------------------------


def csv_upload(text: str, name: str = "opd.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_importing_the_opd_list(client, kominfo_admin):
    client.force_login(kominfo_admin)
    text = "code,name,short_name,kind\nDISKOMINFO,Dinas Komunikasi dan Informatika,Diskominfo,dinas\n"
    response = client.post(reverse("accounts:opd_import"), {"csv_file": csv_upload(text)})
    assert response.status_code == 302 and response.url == reverse("accounts:opd_list")
    assert Opd.objects.get(code="DISKOMINFO").short_name == "Diskominfo"


def test_an_opd_list_with_bad_rows_names_them_and_changes_nothing(client, kominfo_admin):
    client.force_login(kominfo_admin)
    text = "code,name,short_name,kind\nA1,Dinas A,A,dinas\nB2,,B,planet\n"
    response = client.post(reverse("accounts:opd_import"), {"csv_file": csv_upload(text)})
    page = response.content.decode()
    assert response.status_code == 400 and 'data-testid="import-errors"' in page
    assert "Baris 3" in page and "planet" in page
    assert not Opd.objects.filter(code="A1").exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("opd.csv", b"\xff\xfe\x00c\x00o\x00d\x00e", content_type="text/csv"),
        SimpleUploadedFile("opd.csv", b"", content_type="text/csv"),
        SimpleUploadedFile("opd.csv", b"a" * (1024 * 1024 + 1), content_type="text/csv"),
    ],
    ids=["not-utf8", "empty", "too-large"],
)
def test_an_unreadable_opd_list_is_refused_clearly(client, kominfo_admin, upload):
    client.force_login(kominfo_admin)
    before = Opd.objects.count()
    response = client.post(reverse("accounts:opd_import"), {"csv_file": upload})
    assert response.status_code == 400
    assert Opd.objects.count() == before
