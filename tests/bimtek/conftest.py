"""Bimtek fixtures: a masterplan with a past stage (two sessions) and a future one, and participants of Dinkes and DLH.

Built through the services, as Kominfo and the OPDs would. Tahap 1 is in the past (6 June 2022), so
the Bimtek has begun for the invited OPDs; Tahap 2 is a month ahead.
"""

import datetime
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bimtek.models import Session
from bimtek.services import participants as participant_services
from bimtek.services import stages as stage_services
from tests.masterplan.factories import MasterplanFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401  (autouse in every Bimtek test)


def nip(number: int) -> str:
    """Return a well-formed 18-digit NIP (born 12 March 1985, appointed January 2010, male, number n)."""
    return f"19850312201001{number:04d}"


def stage_data(number: int, start: datetime.date, end: datetime.date | None = None, **extra) -> dict:
    return {
        "number": number,
        "theme": {1: "Analisis strategis", 2: "Analisis kesenjangan dan SWOT"}.get(number, "Peta jalan"),
        "start_date": start,
        "end_date": end or start,
        "mode": "luring",
        "place": "Command Center Kabupaten Mojokerto",
        "meeting_link": "",
        "speakers": "Tenaga ahli Kominfo",
        **extra,
    }


def session_data(date: datetime.date, title: str = "Hari 1") -> dict:
    return {"date": date, "start_time": datetime.time(8, 0), "end_time": datetime.time(15, 0), "title": title}


def open_now(session: Session) -> Session:
    """Move the session's check-in window around the present moment (tests cannot wait for a real session)."""
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        checkin_opens_at=now - timedelta(hours=1), checkin_closes_at=now + timedelta(hours=1)
    )
    session.refresh_from_db()
    return session


def logged_in(user) -> Client:
    client = Client(raise_request_exception=True)  # a 500 fails the test with its traceback
    client.force_login(user)
    return client


@pytest.fixture
def masterplan(kominfo_admin):
    return MasterplanFactory(created_by=kominfo_admin)


@pytest.fixture
def past_stage(masterplan, kominfo_admin, dinkes, dlh):
    """Tahap 1, held on 6 June 2022 (invites the active OPDs: Dinkes and DLH), with one session."""
    stage = stage_services.stage_create(
        masterplan=masterplan, by=kominfo_admin, data=stage_data(1, datetime.date(2022, 6, 6))
    )
    stage_services.session_create(stage=stage, by=kominfo_admin, data=session_data(stage.start_date))
    return stage


@pytest.fixture
def session(past_stage):
    return past_stage.sessions.get()


@pytest.fixture
def future_stage(masterplan, kominfo_admin, dinkes, dlh):
    start = timezone.localdate() + timedelta(days=30)
    stage = stage_services.stage_create(
        masterplan=masterplan, by=kominfo_admin, data=stage_data(2, start, start + timedelta(days=1))
    )
    stage_services.session_create(stage=stage, by=kominfo_admin, data=session_data(start))
    return stage


@pytest.fixture
def dinkes_participants(dinkes, staff_dinkes):
    return [
        participant_services.participant_add(
            opd=dinkes, by=staff_dinkes, data={"name": name, "nip": nip(n), "position": "Analis Kesehatan"}
        )
        for n, name in [(1, "Ratna Dewi"), (2, "Agus Santoso")]
    ]


@pytest.fixture
def dlh_participant(dlh, staff_dlh):
    return participant_services.participant_add(
        opd=dlh, by=staff_dlh, data={"name": "Siti Aminah", "nip": nip(11), "position": "Kepala Seksi"}
    )
