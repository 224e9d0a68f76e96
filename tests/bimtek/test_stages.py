"""Kominfo creates the stages of a masterplan's Bimtek and their sessions; every active OPD is invited by default."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from bimtek.models import CHECKIN_CODE_ALPHABET, Session, Stage
from bimtek.services import stages as services
from tests.factories import OpdFactory

from .conftest import logged_in, open_now, session_data, stage_data

pytestmark = pytest.mark.django_db
JUNE_6 = datetime.date(2022, 6, 6)


def test_a_new_stage_invites_every_active_opd_by_default(masterplan, kominfo_admin, dinkes, dlh):
    OpdFactory(code="LAMA", name="Dinas Lama", is_active=False)
    stage = services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(1, JUNE_6))
    assert set(stage.invited_opds.all()) == {dinkes, dlh}


def test_only_kominfo_creates_stages(masterplan, executive, staff_dinkes):
    for user in (executive, staff_dinkes):
        with pytest.raises(PermissionDenied):
            services.stage_create(masterplan=masterplan, by=user, data=stage_data(1, JUNE_6))
    assert not Stage.objects.exists()


def test_each_stage_number_once_per_masterplan(past_stage, masterplan, kominfo_admin):
    with pytest.raises(ValidationError) as error:
        services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(1, JUNE_6))
    assert "number" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(masterplan=masterplan, created_by=kominfo_admin, **stage_data(1, JUNE_6))


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"mode": "luring", "place": ""}, "place"),
        ({"mode": "daring", "meeting_link": ""}, "meeting_link"),
        ({"mode": "hybrid", "meeting_link": ""}, "meeting_link"),
        ({"end_date": datetime.date(2022, 6, 5)}, "end_date"),
        ({"number": 5}, "number"),
    ],
)
def test_a_stage_needs_its_place_or_link_and_sensible_dates(masterplan, kominfo_admin, extra, field):
    with pytest.raises(ValidationError) as error:
        services.stage_create(masterplan=masterplan, by=kominfo_admin, data=stage_data(1, JUNE_6) | extra)
    assert field in error.value.message_dict
    assert not Stage.objects.exists()


def test_an_online_stage_needs_no_place(masterplan, kominfo_admin):
    data = stage_data(3, JUNE_6, mode="daring", place="", meeting_link="https://zoom.example/j/1")
    assert services.stage_create(masterplan=masterplan, by=kominfo_admin, data=data).place == ""


def test_an_opd_that_attended_stays_invited(past_stage, session, kominfo_admin, dinkes_participants, dlh):
    from bimtek.models import Attendance

    Attendance.objects.create(
        session=session,
        opd=dinkes_participants[0].opd,
        participant=dinkes_participants[0],
        status="present",
        recorded_via="admin",
        recorded_by=kominfo_admin,
    )
    with pytest.raises(ValidationError, match="Dinas Kesehatan"):
        services.stage_update(stage=past_stage, by=kominfo_admin, data={}, invited_opds=[dlh])
    services.stage_update(stage=past_stage, by=kominfo_admin, data={}, invited_opds=[dinkes_participants[0].opd])
    assert list(past_stage.invited_opds.all()) == [dinkes_participants[0].opd]


def test_a_session_falls_within_its_stage_and_gets_a_random_code(past_stage, kominfo_admin):
    with pytest.raises(ValidationError) as error:
        services.session_create(stage=past_stage, by=kominfo_admin, data=session_data(datetime.date(2022, 6, 7)))
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.session_create(
            stage=past_stage,
            by=kominfo_admin,
            data=session_data(JUNE_6) | {"start_time": datetime.time(15), "end_time": datetime.time(8)},
        )
    assert "end_time" in error.value.message_dict
    first = past_stage.sessions.get()
    assert len(first.checkin_code) == 6 and set(first.checkin_code) <= set(CHECKIN_CODE_ALPHABET)
    # Check-in opens half an hour before 08.00 and closes at 15.00, Jakarta time.
    assert first.checkin_opens_at.isoformat() == "2022-06-06T00:30:00+00:00"
    assert first.checkin_closes_at.isoformat() == "2022-06-06T08:00:00+00:00"


def test_changing_a_sessions_times_moves_its_check_in_window(session, kominfo_admin):
    services.session_update(
        session=session, by=kominfo_admin, data=session_data(session.date) | {"end_time": datetime.time(17)}
    )
    session.refresh_from_db()
    assert session.checkin_closes_at.isoformat() == "2022-06-06T10:00:00+00:00"


def test_a_new_code_replaces_the_old_one(session, kominfo_admin):
    old = session.checkin_code
    assert services.session_new_code(session=session, by=kominfo_admin).checkin_code != old
    assert not Session.objects.filter(checkin_code=old).exists()


# --- Pages ---------------------------------------------------------------------------------------------------


def test_kominfo_creates_a_stage_and_a_session_through_the_pages(masterplan, kominfo_admin, dinkes, dlh):
    client = logged_in(kominfo_admin)
    page = client.get(reverse("bimtek:stage_create", args=[masterplan.pk])).content.decode()
    assert page.count('name="invited_opds"') == 2 and page.count("checked") >= 2  # every active OPD ticked
    response = client.post(
        reverse("bimtek:stage_create", args=[masterplan.pk]),
        {
            "number": 2,
            "theme": "Analisis kesenjangan",
            "start_date": "2022-07-06",
            "end_date": "2022-07-07",
            "mode": "hybrid",
            "place": "Bappeda",
            "meeting_link": "zoom.example/j/2",
            "speakers": "Tenaga ahli Kominfo",
            "invited_opds": [dinkes.pk],
        },
    )
    stage = Stage.objects.get()
    assert response["Location"] == reverse("bimtek:stage_detail", args=[stage.pk])
    assert list(stage.invited_opds.all()) == [dinkes] and stage.meeting_link == "https://zoom.example/j/2"
    response = client.post(
        reverse("bimtek:session_create", args=[stage.pk]),
        {"title": "Hari 2", "date": "2022-07-07", "start_time": "08:00", "end_time": "15:30"},
    )
    session = stage.sessions.get()
    assert response["Location"] == reverse("bimtek:session_detail", args=[session.pk])
    page = client.get(response["Location"]).content.decode()
    # A past session: its code is over, and the page says when check-in closed instead of showing it.
    assert "ditutup Kamis, 7 Juli 2022 pukul 15.30" in page and session.checkin_code not in page


def test_kominfo_sees_the_code_large_while_check_in_is_open_and_the_bupatis_office_never(
    session, kominfo_admin, executive
):
    open_now(session)
    url = reverse("bimtek:session_detail", args=[session.pk])
    page = logged_in(kominfo_admin).get(url).content.decode()
    assert f'data-testid="checkin-code">{session.checkin_code}<' in page and reverse("bimtek:checkin") in page
    page = logged_in(executive).get(url).content.decode()
    assert session.title in page and session.checkin_code not in page


def test_staff_read_the_schedule_but_not_a_sessions_attendance(past_stage, session, staff_dinkes):
    client = logged_in(staff_dinkes)
    page = client.get(reverse("bimtek:index")).content.decode()
    assert "Analisis strategis" in page and "Senin, 6 Juni 2022" in page
    assert client.get(reverse("bimtek:stage_detail", args=[past_stage.pk])).status_code == 200
    assert client.get(reverse("bimtek:session_detail", args=[session.pk])).status_code == 403
