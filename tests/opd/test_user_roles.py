import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.roles import Role
from opd.models import User
from tests.factories import UserFactory


@pytest.mark.django_db
def test_opd_staff_without_an_opd_is_refused_by_validation_and_database():
    user = User(username="tanpa.opd", role=Role.OPD_STAFF)
    with pytest.raises(ValidationError) as raised:
        user.full_clean()
    assert "opd" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.KOMINFO_ADMIN, Role.EXECUTIVE])
def test_other_roles_cannot_belong_to_an_opd(role, dinkes):
    user = User(username="salah", role=role, opd=dinkes)
    with pytest.raises(ValidationError):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


@pytest.mark.django_db
def test_an_account_needs_a_role_unless_superuser():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="tanpa.peran", password="x")
    superuser = User.objects.create_superuser(username="root", password="x", email="root@example.invalid")
    assert superuser.role == ""
    assert superuser.is_kominfo_admin
    assert superuser.role_label


@pytest.mark.django_db
def test_role_properties(staff_dinkes, kominfo_admin, executive):
    assert staff_dinkes.is_opd_staff and not staff_dinkes.is_kominfo_admin and not staff_dinkes.is_executive
    assert kominfo_admin.is_kominfo_admin and not kominfo_admin.is_opd_staff
    assert executive.is_executive and not executive.is_kominfo_admin
    assert staff_dinkes.opd.code == "DINKES"


@pytest.mark.django_db
def test_staff_keeps_exactly_one_opd(staff_dinkes, dlh):
    staff_dinkes.opd = dlh
    staff_dinkes.full_clean()
    staff_dinkes.save()
    assert User.objects.get(pk=staff_dinkes.pk).opd == dlh
    assert UserFactory._meta.model.objects.filter(opd__isnull=False).count() == 1
