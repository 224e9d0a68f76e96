"""Hostile values posted to every Bimtek form: never a 500, never a partial write, typed text always escaped.

Each hypothesis example runs inside a savepoint that is rolled back (tests/strategies.py), so it starts from the
same rows (and the check-in's attempt counter from zero).
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from bimtek.models import NAME_MAX_LENGTH, Attendance, Participant, Session, Stage
from tests.strategies import (
    assert_escaped,
    hostile_id,
    hostile_number,
    hostile_settings,
    hostile_text,
    rolled_back,
    with_payload,
)

from .conftest import logged_in, nip, open_now

pytestmark = pytest.mark.django_db

hostile_date = st.one_of(
    st.sampled_from(["2022-06-06", "2022-07-07", "06-06-2022", "0001-01-01", "9999-12-31", "2022-02-30", ""]),
    hostile_number,
)
hostile_time = st.one_of(st.sampled_from(["08:00", "15:00", "24:00", "8.30", "-1:00", "99:99", ""]), hostile_number)
hostile_nip = st.one_of(
    st.sampled_from([nip(7), "19850312 201001 1 007", nip(1), "1" * 17, "1" * 19, "١" * 18]), hostile_number
)


def text_or_payload():
    return st.one_of(st.just("Isi biasa"), with_payload(), hostile_text)


def corrupted(draw, valid: dict, hostile: dict) -> dict:
    """Return the valid values with up to three of them swapped for hostile ones (some examples stay valid)."""
    data = dict(valid)
    for name in draw(st.sets(st.sampled_from(sorted(hostile)), max_size=3)):
        data[name] = draw(hostile[name])
    return data


@st.composite
def stage_posts(draw, opd_ids):
    valid = {
        "number": "1",
        "theme": draw(st.one_of(st.just("Analisis strategis"), with_payload())),
        "start_date": "2022-06-06",
        "end_date": "2022-06-07",
        "mode": "hybrid",
        "place": draw(st.one_of(st.just("Command Center"), with_payload())),
        "meeting_link": "https://zoom.example/j/1",
        "speakers": draw(st.one_of(st.just("Tenaga ahli"), with_payload())),
        "invited_opds": opd_ids,
    }
    hostile = {
        "number": hostile_number,
        "theme": hostile_text,
        "start_date": hostile_date,
        "end_date": hostile_date,
        "mode": st.one_of(st.sampled_from(["luring", "daring"]), hostile_text),
        "place": hostile_text,
        "meeting_link": st.one_of(st.sampled_from(["javascript:alert(1)", "zoom.example", ""]), hostile_text),
        "speakers": hostile_text,
        "invited_opds": st.lists(st.one_of(st.sampled_from(opd_ids), hostile_id), max_size=3),
    }
    return corrupted(draw, valid, hostile)


def test_stage_form_with_hostile_values(masterplan, kominfo_admin, dinkes, dlh):
    client = logged_in(kominfo_admin)
    url = reverse("bimtek:stage_create", args=[masterplan.pk])
    outcomes = set()

    @hostile_settings
    @given(data=stage_posts([str(dinkes.pk), str(dlh.pk)]))
    def attempt(data):
        with rolled_back():
            response = client.post(url, data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert not Stage.objects.exists()
                assert_escaped(response.content)
                return
            stage = Stage.objects.get()
            assert not stage.meeting_link.startswith("javascript")
            assert_escaped(client.get(response["Location"]).content)
            assert_escaped(client.get(reverse("bimtek:stage_list", args=[masterplan.pk])).content)

    attempt()
    assert outcomes == {200, 302}


@st.composite
def session_posts(draw):
    valid = {
        "title": draw(st.one_of(st.just("Hari 1"), with_payload())),
        "date": "2022-06-06",
        "start_time": "08:00",
        "end_time": "15:00",
    }
    hostile = {"title": hostile_text, "date": hostile_date, "start_time": hostile_time, "end_time": hostile_time}
    return corrupted(draw, valid, hostile)


def test_session_form_with_hostile_values(past_stage, kominfo_admin):
    client = logged_in(kominfo_admin)
    url = reverse("bimtek:session_create", args=[past_stage.pk])
    outcomes = set()

    @hostile_settings
    @given(data=session_posts())
    def attempt(data):
        with rolled_back():
            before = Session.objects.count()
            response = client.post(url, data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert Session.objects.count() == before
                assert_escaped(response.content)
                return
            assert_escaped(client.get(response["Location"]).content)

    attempt()
    assert outcomes == {200, 302}


@st.composite
def participant_posts(draw):
    valid = {
        "name": draw(st.one_of(st.just("  Ratna   Dewi "), with_payload())),
        "nip": draw(st.sampled_from([nip(7), "19850312 201001 1 007"])),
        "position": draw(st.one_of(st.just("Analis"), with_payload())),
        "phone": "0812 3456 7890",
        "email": "",
        "reason": draw(st.one_of(st.just("Mutasi"), with_payload())),
    }
    hostile = {
        "name": hostile_text,
        "nip": hostile_nip,
        "position": hostile_text,
        "phone": hostile_text,
        "email": hostile_text,
        "reason": hostile_text,
    }
    return corrupted(draw, valid, hostile)


@pytest.mark.parametrize("page", ["bimtek:participant_create", "bimtek:participant_replace"])
def test_participant_forms_with_hostile_values(page, dinkes_participants, staff_dinkes, past_stage):
    client = logged_in(staff_dinkes)
    url = reverse(page, args=[dinkes_participants[0].pk] if page.endswith("replace") else [])
    outcomes = set()

    @hostile_settings
    @given(data=participant_posts())
    def attempt(data):
        with rolled_back():
            before = list(Participant.objects.order_by("pk").values())
            response = client.post(url, data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert list(Participant.objects.order_by("pk").values()) == before
                assert_escaped(response.content)
                return
            newest = Participant.objects.latest("pk")
            assert len(newest.nip) == 18 and newest.nip.isascii() and newest.nip.isdigit()
            assert newest.name == newest.name.strip() and 0 < len(newest.name) <= NAME_MAX_LENGTH
            assert_escaped(client.get(reverse("bimtek:participants")).content)

    attempt()
    assert outcomes == {200, 302}


def test_attendance_screen_with_hostile_values(
    session, dinkes_participants, dlh_participant, kominfo_admin, dinkes, dlh
):
    client = logged_in(kominfo_admin)
    url = reverse("bimtek:attendance", args=[session.pk])
    opened = client.get(url).context["form"]
    initial = {name: opened[name].value() for name in opened.fields if name.startswith("opened-")}
    ticks = [f"present-{participant.pk}" for participant in [*dinkes_participants, dlh_participant]]
    outcomes = set()

    @hostile_settings
    @given(
        ticked=st.lists(
            st.one_of(st.sampled_from(ticks), st.text(max_size=40).map(lambda text: f"present-{text}")), max_size=4
        ),
        tick_value=st.one_of(st.just("on"), hostile_text),
        name=st.one_of(st.just(""), text_or_payload()),
        position=st.one_of(st.just(""), text_or_payload()),
        opened_value=st.one_of(st.none(), hostile_text, st.sampled_from(['[[1], "", ""]', '[[], "", ""]'])),
    )
    def attempt(ticked, tick_value, name, position, opened_value):
        data = dict(initial) | dict.fromkeys(ticked, tick_value)
        data |= {f"rep_name-{dlh.pk}": name, f"rep_position-{dlh.pk}": position}
        if opened_value is not None:
            data[f"opened-{dinkes.pk}"] = opened_value
        with rolled_back():
            before = list(Attendance.objects.order_by("pk").values())
            response = client.post(url, data)
            assert response.status_code in (200, 302)
            outcomes.add(response.status_code)
            if response.status_code == 200:
                assert list(Attendance.objects.order_by("pk").values()) == before
                assert_escaped(response.content)
                return
            assert_escaped(client.get(response["Location"]).content)
            assert_escaped(client.get(reverse("bimtek:continuity", args=[session.stage.masterplan.pk])).content)

    attempt()
    assert outcomes == {200, 302}


def test_check_in_with_hostile_values(session, dinkes_participants, kominfo_admin, dinkes):
    live = open_now(session)
    phone = Client(raise_request_exception=True, REMOTE_ADDR="10.3.3.3")
    admin = logged_in(kominfo_admin)
    url = reverse("bimtek:checkin")
    kinds = set()

    @st.composite
    def checkin_posts(draw):
        valid = {"code": live.checkin_code, "nip": draw(st.sampled_from([nip(1), nip(2), "197001011995031002"]))}
        if draw(st.booleans()):  # the second step: someone who is not a fixed participant says who they are
            valid |= {"nip": "197001011995031002", "name": draw(text_or_payload()), "position": "Staf"}
            valid["opd"] = str(dinkes.pk)
        hostile = {
            "code": st.one_of(st.sampled_from([live.checkin_code.lower(), "ZZZZZZ", ""]), hostile_text),
            "nip": hostile_nip,
            "name": hostile_text,
            "position": hostile_text,
            "opd": hostile_id,
        }
        return corrupted(draw, valid, hostile)

    @hostile_settings
    @given(data=checkin_posts())
    def attempt(data):
        with rolled_back():
            response = phone.post(url, data)
            assert response.status_code == 200
            assert_escaped(response.content)
            result = response.context.get("result")
            kind = result.kind if result else "needs_details" if response.context.get("needs_details") else "form"
            kinds.add(kind)
            # At most the one person checked in, for the OPD chosen (the only invited one here), named as typed.
            attendances = list(Attendance.objects.all())
            assert len(attendances) == (kind in ("checked_in", "represented"))
            for attendance in attendances:
                assert attendance.opd_id == dinkes.pk and attendance.session_id == live.pk
                name = attendance.representative_name
                assert name == " ".join(name.split()) and len(name) <= NAME_MAX_LENGTH
            assert_escaped(admin.get(reverse("bimtek:session_detail", args=[live.pk])).content)

    attempt()
    assert {"form", "checked_in", "needs_details", "represented"} <= kinds


@pytest.mark.parametrize("value", ["9" * 30, str(2**63), "0"])
def test_ids_no_column_can_hold_answer_404(value, kominfo_admin):
    client = logged_in(kominfo_admin)
    for name in ("bimtek:stage_detail", "bimtek:session_detail", "bimtek:continuity"):
        route = reverse(name, args=[1]).replace("/1/", f"/{value}/")
        assert client.get(route).status_code == 404
