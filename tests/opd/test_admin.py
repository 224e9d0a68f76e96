"""The Django admin: the superuser's only (Kominfo admins use the portal's pages: test_account_pages.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from opd.models import Opd, User


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="x", email="root@example.invalid")


@pytest.mark.django_db
def test_a_superuser_opens_the_admin_in_indonesian(client, superuser):
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Kelola OPD dan akun" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff_dinkes", "executive", "kominfo_admin"])
def test_every_role_but_the_superuser_is_kept_out_of_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:opd_opd_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url
    assert client.get(response.url).status_code == 403


@pytest.mark.django_db
def test_a_superuser_creates_an_opd_staff_account(client, superuser, dinkes):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:opd_user_add"),
        {
            "username": "operator.dinkes",
            "first_name": "Operator",
            "last_name": "Dinkes",
            "email": "operator@example.invalid",
            "role": Role.OPD_STAFF,
            "opd": dinkes.pk,
            "usable_password": "true",
            "password1": "Sandi-Kuat-2026!",
            "password2": "Sandi-Kuat-2026!",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="operator.dinkes")
    assert user.role == Role.OPD_STAFF and user.opd == dinkes
    assert user.check_password("Sandi-Kuat-2026!")


@pytest.mark.django_db
def test_admin_refuses_opd_staff_without_opd_with_a_message(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:opd_user_add"),
        {
            "username": "operator.x",
            "role": Role.OPD_STAFF,
            "usable_password": "true",
            "password1": "Sandi-Kuat-2026!",
            "password2": "Sandi-Kuat-2026!",
        },
    )
    assert response.status_code == 200
    assert "Staf OPD harus tergabung dalam satu OPD." in response.content.decode()
    assert not User.objects.filter(username="operator.x").exists()


@pytest.mark.django_db
def test_kominfo_admin_cannot_change_accounts_through_the_admin(client, kominfo_admin, superuser):
    client.force_login(kominfo_admin)
    response = client.post(
        reverse("admin:opd_user_change", args=[superuser.pk]), {"username": "renamed", "is_active": ""}
    )
    assert response.status_code == 302 and reverse("admin:login") in response.url
    superuser.refresh_from_db()
    assert superuser.username == "root" and superuser.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("opd", ["abc", "99999999999999999999999", "-1", "1.5"])
@pytest.mark.parametrize("page", ["add", "change"])
def test_a_bad_opd_id_in_the_admins_user_form_is_a_form_error(client, superuser, staff_dinkes, opd, page):
    client.force_login(superuser)
    url = reverse("admin:opd_user_add") if page == "add" else reverse("admin:opd_user_change", args=[staff_dinkes.pk])
    data = {
        "username": "operator.baru" if page == "add" else staff_dinkes.username,
        "role": Role.OPD_STAFF,
        "opd": opd,
        "usable_password": "true",
        "password1": "Sandi-Kuat-2026!",
        "password2": "Sandi-Kuat-2026!",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not User.objects.filter(username="operator.baru").exists()


@pytest.mark.django_db
def test_admin_imports_an_opd_csv(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("opd.csv", b"code,name,short_name,kind\nDINKES,Dinas Kesehatan,Dinkes,dinas\n")
    response = client.post(reverse("admin:opd_opd_import"), {"csv_file": upload}, follow=True)
    assert response.status_code == 200
    assert "1 dibuat" in response.content.decode()
    assert Opd.objects.get(code="DINKES").name == "Dinas Kesehatan"


@pytest.mark.django_db
def test_admin_import_of_a_bad_csv_shows_the_row_and_changes_nothing(client, superuser):
    client.force_login(superuser)
    upload = SimpleUploadedFile("opd.csv", b"code,name,short_name,kind\nDINKES,Dinas Kesehatan,Dinkes,kantor\n")
    response = client.post(reverse("admin:opd_opd_import"), {"csv_file": upload})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Baris 2" in content
    assert not Opd.objects.exists()
