"""The continuity report: per OPD across the stages, attended by its own participants, a representative or
nobody; OPDs that broke continuity first; a figure per stage; the same on the dashboards and in the XLSX."""

import datetime
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bimtek.models import Attendance, Participant
from bimtek.selectors import ABSENT, NOT_INVITED, OWN, REPRESENTED, UPCOMING, continuity_report
from bimtek.services import participants as participant_services
from bimtek.services import stages as stage_services
from tests.factories import OpdFactory

from .conftest import logged_in, nip, session_data, stage_data

pytestmark = pytest.mark.django_db


def present(session, participant):
    return Attendance.objects.create(
        session=session, opd=participant.opd, participant=participant, status="present", recorded_via="checkin"
    )


def represented(session, opd, name="Wakil"):
    return Attendance.objects.create(
        session=session,
        opd=opd,
        status="represented",
        representative_name=name,
        representative_position="Staf",
        recorded_via="checkin",
    )


@pytest.fixture
def bimtek(
    masterplan, kominfo_admin, past_stage, session, dinkes, dlh, staff_dinkes, dinkes_participants, dlh_participant
):
    """Tahap 1 (6 June 2022) and Tahap 2 (6–7 July 2022, two sessions) held, Tahap 3 ahead.

    Dinkes: its own people both times (a colleague came beside them once). DLH: its own, then only a
    representative on day 2 of Tahap 2. BPBD: its own,
    then nobody. Dishub: replaced its participant after Tahap 1; the new one came to Tahap 2. Kec. Trowulan:
    invited to Tahap 2 only, came with its own.
    """
    bpbd = OpdFactory(code="BPBD", name="Badan Penanggulangan Bencana Daerah")
    dishub = OpdFactory(code="DISHUB", name="Dinas Perhubungan")
    past_stage.invited_opds.add(bpbd, dishub)
    people = {
        opd.code: Participant.objects.create(
            opd=opd, name=f"Peserta {opd.code}", nip=nip(20 + index), position="Staf", created_by=kominfo_admin
        )
        for index, opd in enumerate([bpbd, dishub])
    }
    stage_two = stage_services.stage_create(
        masterplan=masterplan,
        by=kominfo_admin,
        data=stage_data(2, datetime.date(2022, 7, 6), datetime.date(2022, 7, 7), place="Bappeda"),
    )
    trowulan = OpdFactory(code="KEC-TROWULAN", name="Kecamatan Trowulan")
    stage_two.invited_opds.add(trowulan)
    people["KEC-TROWULAN"] = Participant.objects.create(
        opd=trowulan, name="Camat Trowulan", nip=nip(30), position="Sekcam", created_by=kominfo_admin
    )
    day_one = stage_services.session_create(
        stage=stage_two, by=kominfo_admin, data=session_data(datetime.date(2022, 7, 6))
    )
    day_two = stage_services.session_create(
        stage=stage_two, by=kominfo_admin, data=session_data(datetime.date(2022, 7, 7), "Hari 2")
    )
    future = timezone.localdate() + timedelta(days=60)
    stage_services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(3, future))
    for participant in (dinkes_participants[0], dlh_participant, people["BPBD"], people["DISHUB"]):
        present(session, participant)
    new_dishub = participant_services.participant_replace(
        participant=people["DISHUB"],
        by=kominfo_admin,
        data={"name": "Peserta Baru", "nip": nip(40), "position": "Staf"},
        reason="Mutasi ke Dinas Sosial",
    )
    for day in (day_one, day_two):
        present(day, dinkes_participants[1])
        present(day, new_dishub)
        present(day, people["KEC-TROWULAN"])
    present(day_one, dlh_participant)
    represented(day_two, dlh)
    represented(day_one, dinkes, "Rekan yang ikut")
    return {"dinkes": dinkes, "dlh": dlh, "bpbd": bpbd, "dishub": dishub, "trowulan": trowulan}


def test_each_stage_reads_own_participants_representative_nobody_or_not_invited(masterplan, bimtek):
    report = continuity_report(masterplan)
    rows = {row.opd.code: row for row in report.rows}
    assert rows["DINKES"].cells == [OWN, OWN, UPCOMING] and not rows["DINKES"].broke_continuity
    assert rows["DLH"].cells == [OWN, REPRESENTED, UPCOMING] and rows["DLH"].broke_continuity
    assert rows["BPBD"].cells == [OWN, ABSENT, UPCOMING] and rows["BPBD"].broke_continuity
    assert rows["DISHUB"].cells == [OWN, OWN, UPCOMING] and rows["DISHUB"].replacements == 1
    assert rows["DISHUB"].broke_continuity  # rotating: a different person since Tahap 1
    assert rows["KEC-TROWULAN"].cells == [NOT_INVITED, OWN, UPCOMING] and not rows["KEC-TROWULAN"].broke_continuity


def test_opds_that_broke_continuity_come_first(masterplan, bimtek):
    codes = [row.opd.code for row in continuity_report(masterplan).rows]
    assert set(codes[:3]) == {"DLH", "BPBD", "DISHUB"} and set(codes[3:]) == {"DINKES", "KEC-TROWULAN"}
    assert codes == ["BPBD", "DLH", "DISHUB", "DINKES", "KEC-TROWULAN"]  # then by name


def test_each_held_stage_has_its_share_of_opds_with_their_own_participants(masterplan, bimtek):
    one, two, three = continuity_report(masterplan).figures
    assert (one.invited, one.own, one.represented, one.absent, one.own_percent) == (4, 4, 0, 0, 100)
    assert (two.invited, two.own, two.represented, two.absent, two.own_percent) == (5, 3, 1, 1, 60)
    assert not three.held and three.own_percent is None


def test_the_report_reads_five_queries_whatever_the_size(masterplan, bimtek, kominfo_admin, django_assert_num_queries):
    with django_assert_num_queries(5):
        continuity_report(masterplan)
    stage = masterplan.bimtek_stages.get(number=1)
    session = stage.sessions.get()
    for n in range(20):
        opd = OpdFactory(code=f"KEC{n}", name=f"Kecamatan {n}")
        stage.invited_opds.add(opd)
        participant = Participant.objects.create(
            opd=opd, name=f"P{n}", nip=nip(500 + n), position="Staf", created_by=kominfo_admin
        )
        present(session, participant)
    with django_assert_num_queries(5):
        report = continuity_report(masterplan)
    assert len(report.rows) == 25


def test_no_stage_yet_is_an_empty_report(masterplan, django_assert_num_queries):
    with django_assert_num_queries(1):
        report = continuity_report(masterplan)
    assert report.rows == [] and report.figures == []


def test_the_page_highlights_the_represented_opd(masterplan, bimtek, executive):
    content = logged_in(executive).get(reverse("bimtek:continuity", args=[masterplan.pk])).content.decode()
    row = content.split('data-testid="continuity-row-DLH"')[0].rsplit("<tr", 1)[1]
    assert "continuity-broken" in row
    kept = content.split('data-testid="continuity-row-DINKES"')[0].rsplit("<tr", 1)[1]
    assert "continuity-broken" not in kept
    assert 'data-testid="stage-figure-2">60%' in content
    assert "6 Juli – 7 Juli 2022" in content


def test_staff_do_not_read_the_report(masterplan, bimtek, staff_dinkes):
    client = logged_in(staff_dinkes)
    assert client.get(reverse("bimtek:continuity", args=[masterplan.pk])).status_code == 403
    assert client.get(reverse("bimtek:continuity_xlsx", args=[masterplan.pk])).status_code == 403


def test_the_xlsx_has_the_same_rows_and_figures(masterplan, bimtek, kominfo_admin):
    response = logged_in(kominfo_admin).get(reverse("bimtek:continuity_xlsx", args=[masterplan.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet, figures = workbook.worksheets
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("OPD", "Tahap 1", "Tahap 2", "Tahap 3", "Pergantian", "Kesinambungan")
    assert rows[1] == (
        "Badan Penanggulangan Bencana Daerah",
        "Peserta tetap",
        "Tidak hadir",
        "Belum dilaksanakan",
        0,
        "Terputus",
    )
    assert rows[-1][0] == "Kecamatan Trowulan" and rows[-1][1] == "Tidak diundang"
    assert sheet.cell(row=2, column=1).fill.fgColor.rgb.endswith("FCE4D6")
    assert list(figures.iter_rows(values_only=True))[2][3:] == (5, 3, 1, 1, 60)


def test_the_xlsx_never_runs_a_name_as_a_formula(masterplan, past_stage, kominfo_admin):
    past_stage.invited_opds.add(OpdFactory(code="JAHAT", name='=HYPERLINK("http://evil.example","x")'))
    response = logged_in(kominfo_admin).get(reverse("bimtek:continuity_xlsx", args=[masterplan.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","x")' in names


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_the_kominfo_and_bupati_dashboards_show_the_summary(request, masterplan, bimtek, who):
    content = logged_in(request.getfixturevalue(who)).get(reverse("home")).content.decode()
    summary = content.split('data-testid="bimtek-summary"')[1].split("</section>")[0]
    assert "60%" in summary and "100%" in summary and reverse("bimtek:continuity", args=[masterplan.pk]) in summary
    assert "3 OPD" in summary  # three broke continuity


def test_the_staff_dashboard_has_no_summary(masterplan, bimtek, staff_dinkes):
    assert 'data-testid="bimtek-summary"' not in logged_in(staff_dinkes).get(reverse("home")).content.decode()


def test_a_replacement_before_the_first_stage_began_is_no_rotation(masterplan, kominfo_admin, dinkes, staff_dinkes):
    old = participant_services.participant_add(
        opd=dinkes, by=staff_dinkes, data={"name": "Lama", "nip": nip(60), "position": "Staf"}
    )
    participant_services.participant_replace(
        participant=old, by=staff_dinkes, data={"name": "Baru", "nip": nip(61), "position": "Staf"}, reason="Pensiun"
    )
    start = timezone.localdate() + timedelta(days=10)
    stage_services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(1, start))
    assert continuity_report(masterplan, today=start).rows[0].replacements == 0
    Participant.objects.filter(pk=old.pk).update(replaced_at=timezone.now() + timedelta(days=12))
    assert continuity_report(masterplan, today=start + timedelta(days=3)).rows[0].replacements == 1
