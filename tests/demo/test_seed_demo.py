from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

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


def test_seed_demo_adds_two_past_bimtek_stages_whose_continuity_report_is_not_empty(opd_list, pillars, settings):
    from bimtek.models import Attendance, Participant, Stage
    from bimtek.selectors import ABSENT, OWN, REPRESENTED, continuity_report

    settings.DEBUG = True
    call_command("seed_demo")
    stages = list(Stage.objects.order_by("number"))
    assert [(stage.number, stage.start_date.isoformat(), stage.end_date.isoformat()) for stage in stages] == [
        (1, "2022-06-06", "2022-06-06"),
        (2, "2022-07-06", "2022-07-07"),
    ]
    assert "Command Center" in stages[0].place and "Bappeda" in stages[1].place
    assert stages[1].sessions.count() == 2
    report = continuity_report(Masterplan.objects.get())
    rows = {row.opd.code: row for row in report.rows}
    assert len(rows) == 50 and report.figures[0].invited == 50
    assert rows["DINKES"].cells == [OWN, OWN] and not rows["DINKES"].broke_continuity
    assert rows["DLH"].cells == [OWN, REPRESENTED] and rows["DLH"].broke_continuity
    assert rows["BAKESBANGPOL"].cells == [ABSENT, ABSENT]
    assert rows["DISHUB"].cells == [OWN, OWN] and rows["DISHUB"].replacements == 1  # the one rotating
    assert report.rows[0].broke_continuity and 0 < report.broken_count < 15
    assert 70 <= report.figures[0].own_percent < 100 and 70 <= report.figures[1].own_percent < 100
    counts = (Participant.objects.count(), Attendance.objects.count())
    call_command("seed_demo")
    assert (Participant.objects.count(), Attendance.objects.count(), Stage.objects.count()) == (*counts, 2)


def test_seed_demo_adds_an_spbe_inventory_linked_to_programmes_and_submissions(opd_list, pillars, settings):
    from spbe.models import Application, Dataset, ProgrammeApplication, SubmissionApplication
    from spbe.selectors import coverage

    settings.DEBUG = True
    call_command("seed_demo")
    assert 35 <= Application.objects.count() <= 50 and 25 <= Dataset.objects.count() <= 40
    assert Application.objects.values("opd").distinct().count() >= 20
    assert ProgrammeApplication.objects.count() >= 10
    assert SubmissionApplication.objects.filter(is_new=True).exclude(similar=[]).exists()  # an overlap warning
    report = coverage(Masterplan.objects.get())
    assert report.uncovered_applications and report.missing_datasets
    programmes_per_domain = {value: programmes for value, _label, _apps, _datasets, programmes in report.domains}
    assert programmes_per_domain["applications"] >= 3 and programmes_per_domain["security"] >= 1
    count = Application.objects.count()
    call_command("seed_demo")
    assert Application.objects.count() == count


def test_seed_demo_publishes_the_final_demo_masterplan_once_for_the_public_pages(opd_list, pillars, settings, client):
    from publication.models import Publication

    settings.DEBUG = True
    call_command("seed_demo")
    publication = Publication.objects.get()
    assert publication.masterplan.is_final
    page = client.get(reverse("publication:detail", args=[publication.slug]))
    assert page.status_code == 200 and "Data Contoh" in page.content.decode()
    call_command("seed_demo")
    assert Publication.objects.count() == 1


@pytest.mark.parametrize(("total", "years"), [(750_000_000, 5), (45_000_000, 2), (30_000_000, 1), (9_500_000, 4)])
def test_demo_budgets_run_like_a_programme_over_its_years(total, years):
    """A smaller first year, the build after it, then running costs; the years add up to the budget."""
    from demo.masterplan import year_shares

    shares = year_shares(total, years)
    assert len(shares) == years and sum(shares) == total and min(shares) > 0
    if years > 1:
        assert shares[0] == min(shares) and shares[1] == max(shares) and len(set(shares)) > 1
