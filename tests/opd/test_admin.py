import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.roles import Role
from opd.models import Opd, User


@pytest.mark.django_db
def test_kominfo_admin_opens_the_admin_in_indonesian(client, kominfo_admin):
    client.force_login(kominfo_admin)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Kelola OPD dan akun" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_other_roles_are_kept_out_of_the_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("admin:opd_opd_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


@pytest.mark.django_db
def test_kominfo_admin_creates_an_opd_staff_account(client, kominfo_admin, dinkes):
    client.force_login(kominfo_admin)
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
def test_admin_refuses_opd_staff_without_opd_with_a_message(client, kominfo_admin):
    client.force_login(kominfo_admin)
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
def test_kominfo_admin_cannot_make_a_superuser(client, kominfo_admin, executive):
    client.force_login(kominfo_admin)
    url = reverse("admin:opd_user_change", args=[executive.pk])
    form = client.get(url).content.decode()
    assert 'name="is_superuser"' not in form
    root = User.objects.create_superuser(username="root", password="x", email="r@example.invalid")
    response = client.post(reverse("admin:opd_user_change", args=[root.pk]), {"username": "renamed", "is_active": ""})
    assert response.status_code == 403
    root.refresh_from_db()
    assert root.username == "root" and root.is_active


@pytest.mark.django_db
def test_admin_imports_an_opd_csv(client, kominfo_admin):
    client.force_login(kominfo_admin)
    upload = SimpleUploadedFile("opd.csv", b"code,name,short_name,kind\nDINKES,Dinas Kesehatan,Dinkes,dinas\n")
    response = client.post(reverse("admin:opd_opd_import"), {"csv_file": upload}, follow=True)
    assert response.status_code == 200
    assert "1 dibuat" in response.content.decode()
    assert Opd.objects.get(code="DINKES").name == "Dinas Kesehatan"


@pytest.mark.django_db
def test_admin_import_of_a_bad_csv_shows_the_row_and_changes_nothing(client, kominfo_admin):
    client.force_login(kominfo_admin)
    upload = SimpleUploadedFile("opd.csv", b"code,name,short_name,kind\nDINKES,Dinas Kesehatan,Dinkes,kantor\n")
    response = client.post(reverse("admin:opd_opd_import"), {"csv_file": upload})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Baris 2" in content
    assert not Opd.objects.exists()
