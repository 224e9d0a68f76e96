from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from opd.demo import DEMO_ACCOUNTS
from opd.models import Role, User

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"


@pytest.fixture
def opd_list(db):
    call_command("import_opd", str(BUNDLED_CSV))


def test_seed_demo_refuses_when_debug_is_off(opd_list, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_seed_demo_creates_the_four_demo_accounts(opd_list, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "rahasia-demo-123")
    call_command("seed_demo")
    users = {user.username: user for user in User.objects.select_related("opd")}
    assert set(users) == {"admin.kominfo", "staf.dinkes", "staf.dlh", "pimpinan"}
    assert users["admin.kominfo"].role == Role.KOMINFO_ADMIN
    assert users["staf.dinkes"].opd.code == "DINKES"
    assert users["staf.dlh"].opd.code == "DLH"
    assert users["pimpinan"].role == Role.EXECUTIVE
    assert all(user.check_password("rahasia-demo-123") for user in users.values())


def test_seed_demo_default_password_and_second_run_changes_nothing(opd_list, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo")
    before = list(User.objects.order_by("username").values())
    call_command("seed_demo")
    assert list(User.objects.order_by("username").values()) == before
    assert User.objects.get(username="pimpinan").check_password("mojokerto2022")
    assert len(before) == len(DEMO_ACCOUNTS)


def test_seed_demo_needs_the_opd_list_first(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="import_opd"):
        call_command("seed_demo")
