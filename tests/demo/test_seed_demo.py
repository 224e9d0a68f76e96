from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from core.roles import Role
from demo.accounts import DEMO_ACCOUNTS
from masterplan.models import Masterplan
from opd.models import Submission, SubmissionEvent, SubmissionKind, SubmissionStatus, User

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
    assert {"admin.kominfo", "staf.dinkes", "staf.dlh", "pimpinan"} <= set(users)
    others = set(users) - {"admin.kominfo", "staf.dinkes", "staf.dlh", "pimpinan"}
    assert all(users[name].role == Role.OPD_STAFF for name in others)
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
    assert len(before) >= len(DEMO_ACCOUNTS)


def test_seed_demo_adds_submissions_of_several_opds_in_every_pillar_and_state(opd_list, pillars, settings, mailoutbox):
    settings.DEBUG = True
    call_command("seed_demo")
    submissions = Submission.objects.all()
    assert submissions.values("opd").distinct().count() >= 10
    assert set(submissions.values_list("pillar__code", flat=True)) == {"GOV", "BRD", "ECO", "LIV", "SOC", "ENV"}
    assert set(submissions.values_list("status", flat=True)) == set(SubmissionStatus.values)
    assert set(submissions.values_list("kind", flat=True)) == set(SubmissionKind.values)
    assert SubmissionEvent.objects.filter(action="approved").exists()
    assert mailoutbox == []  # made-up history e-mails nobody
    masterplan = Masterplan.objects.get()
    pillar_codes = set(masterplan.programmes.values_list("element__pillar__code", flat=True))
    assert pillar_codes == {"GOV", "BRD", "ECO", "LIV", "SOC", "ENV"}
    assert masterplan.programmes.filter(submissions__isnull=False).exists()
    count = submissions.count()
    call_command("seed_demo")
    assert Submission.objects.count() == count


def test_seed_demo_needs_the_opd_list_first(db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="import_opd"):
        call_command("seed_demo")
