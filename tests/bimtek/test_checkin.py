"""Phone check-in without an account: the session code and a NIP. A fixed participant of an invited OPD is
recorded present once; anyone else is recorded as a representative after saying who they are; a wrong or
expired code says so; attempts are limited per address and per code."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bimtek.models import Attendance, CheckInAttempt, Session
from bimtek.services.checkin import CheckInResult, Representative, checkin_submit
from tests.factories import OpdFactory

from .conftest import nip, open_now

pytestmark = pytest.mark.django_db
URL = reverse("bimtek:checkin")


@pytest.fixture
def live(session, dinkes_participants, dlh_participant):
    """The session with check-in open now."""
    return open_now(session)


def phone(address: str = "10.1.2.3") -> Client:
    return Client(raise_request_exception=True, REMOTE_ADDR=address)


def test_the_page_opens_without_an_account():
    response = Client().get(URL + "?kode=ABC234")
    assert response.status_code == 200 and 'value="ABC234"' in response.content.decode()


def test_a_fixed_participant_checks_in_once(live):
    response = phone().post(URL, {"code": live.checkin_code.lower(), "nip": "19850312 201001 0001"})
    content = response.content.decode()
    assert 'data-kind="checked_in"' in content and "Ratna Dewi" in content
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.recorded_via, attendance.recorded_by) == ("present", "checkin", None)
    before = attendance.updated_at
    content = phone().post(URL, {"code": live.checkin_code, "nip": nip(1)}).content.decode()
    assert 'data-kind="already"' in content and "Tidak ada yang diubah" in content
    attendance.refresh_from_db()
    assert Attendance.objects.count() == 1 and attendance.updated_at == before


def test_a_participant_recorded_absent_who_arrives_is_then_present(live, dinkes_participants, kominfo_admin, dinkes):
    Attendance.objects.create(
        session=live,
        opd=dinkes,
        participant=dinkes_participants[0],
        status="absent",
        recorded_via="admin",
        recorded_by=kominfo_admin,
    )
    result = checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.1.2.3")
    assert result.kind == CheckInResult.CHECKED_IN and Attendance.objects.get().status == "present"


def test_someone_else_is_asked_who_they_are_and_recorded_as_representative(live, dlh):
    client = phone()
    stranger = "197001011995031002"
    response = client.post(URL, {"code": live.checkin_code, "nip": stranger})
    content = response.content.decode()
    assert 'data-testid="needs-details"' in content and "Dinas Lingkungan Hidup" in content
    assert not Attendance.objects.exists()  # never accepted silently
    response = client.post(
        URL,
        {"code": live.checkin_code, "nip": stranger, "name": "  Bambang  Irawan ", "position": "Staf", "opd": dlh.pk},
    )
    assert 'data-kind="represented"' in response.content.decode()
    attendance = Attendance.objects.get()
    assert (attendance.status, attendance.opd, attendance.representative_name) == ("represented", dlh, "Bambang Irawan")
    assert attendance.representative_nip == stranger and attendance.participant is None
    response = client.post(URL, {"code": live.checkin_code, "nip": stranger})
    assert 'data-kind="already"' in response.content.decode() and Attendance.objects.count() == 1


def test_a_replaced_participant_or_one_of_an_opd_not_invited_is_a_representative(live, kominfo_admin, staff_dinkes):
    outsider = OpdFactory(code="LUAR", name="Dinas Tidak Diundang")
    from bimtek.models import Participant

    Participant.objects.create(opd=outsider, name="Orang Luar", nip=nip(50), position="Staf", created_by=staff_dinkes)
    result = checkin_submit(code=live.checkin_code, nip=nip(50), ip_address="10.1.2.3")
    assert result.kind == CheckInResult.NEEDS_DETAILS
    with pytest.raises(ValidationError) as error:  # the OPD chosen must be one invited to the stage
        checkin_submit(
            code=live.checkin_code,
            nip=nip(50),
            ip_address="10.1.2.3",
            representative=Representative("Orang Luar", "Staf", outsider.pk),
        )
    assert "opd" in error.value.message_dict and not Attendance.objects.exists()


def test_a_wrong_code_says_so_plainly(live):
    content = phone().post(URL, {"code": "ZZZZZZ", "nip": nip(1)}).content.decode()
    assert "Kode ini tidak berlaku. Periksa kode yang tampil di layar" in content
    assert not Attendance.objects.exists()


def test_an_expired_code_and_one_not_yet_open_say_so(live):
    now = timezone.now()
    Session.objects.filter(pk=live.pk).update(
        checkin_opens_at=now - timedelta(hours=3), checkin_closes_at=now - timedelta(hours=1)
    )
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.1.2.3")
    Session.objects.filter(pk=live.pk).update(
        checkin_opens_at=now + timedelta(hours=1), checkin_closes_at=now + timedelta(hours=3)
    )
    with pytest.raises(ValidationError, match="dibuka pukul"):
        checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.1.2.3")
    assert not Attendance.objects.exists()


def test_the_past_sessions_code_no_longer_works(session, dinkes_participants):
    """The fixture's session was on 6 June 2022, with its real window."""
    with pytest.raises(ValidationError, match="kedaluwarsa"):
        checkin_submit(code=session.checkin_code, nip=nip(1), ip_address="10.1.2.3")


def test_wrong_codes_from_one_address_are_limited_but_other_addresses_are_not(live, settings):
    settings.BIMTEK_CHECKIN_IP_FAILURES = 3
    for _attempt in range(3):
        with pytest.raises(ValidationError, match="tidak berlaku"):
            checkin_submit(code="ZZZZZZ", nip=nip(1), ip_address="10.9.9.9")
    with pytest.raises(ValidationError) as error:  # even the right code, from that address, for a while
        checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.9.9.9")
    assert error.value.code == "rate_limited"
    assert checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.1.1.1").kind == CheckInResult.CHECKED_IN
    CheckInAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=11))  # the window has passed
    assert checkin_submit(code=live.checkin_code, nip=nip(2), ip_address="10.9.9.9").kind == CheckInResult.CHECKED_IN


def test_a_hall_checking_in_from_one_address_is_not_limited(live, settings):
    settings.BIMTEK_CHECKIN_IP_FAILURES = 3
    for n in (1, 2, 11, 1, 2, 11):  # successes and repeats count only against the code's own limit
        checkin_submit(code=live.checkin_code, nip=nip(n), ip_address="10.0.0.1")
    assert Attendance.objects.count() == 3


def test_attempts_with_one_code_are_limited(live, settings):
    settings.BIMTEK_CHECKIN_CODE_ATTEMPTS = 4
    for n in range(4):
        checkin_submit(code=live.checkin_code, nip=f"19700101199503{n:04d}", ip_address=f"10.0.1.{n}")
    with pytest.raises(ValidationError) as error:
        checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.0.2.1")
    assert error.value.code == "rate_limited" and not Attendance.objects.exists()


def test_the_rate_limit_message_reaches_the_phone(live, settings):
    settings.BIMTEK_CHECKIN_IP_FAILURES = 1
    client = phone("10.7.7.7")
    client.post(URL, {"code": "ZZZZZZ", "nip": nip(1)})
    content = client.post(URL, {"code": live.checkin_code, "nip": nip(1)}).content.decode()
    assert 'data-testid="error-summary"' in content and not Attendance.objects.exists()


def test_attempts_older_than_a_day_are_forgotten(live):
    CheckInAttempt.objects.create(ip_address="10.0.0.1", outcome="refused")
    CheckInAttempt.objects.update(created_at=timezone.now() - timedelta(days=2))
    checkin_submit(code=live.checkin_code, nip=nip(1), ip_address="10.0.0.1")
    assert list(CheckInAttempt.objects.values_list("outcome", flat=True)) == ["accepted"]


@pytest.mark.parametrize("bad", ["1985", "abcdefghijklmnopqr", nip(1) + "9", ""])
def test_a_malformed_nip_is_refused_before_any_lookup(live, bad):
    response = phone().post(URL, {"code": live.checkin_code, "nip": bad})
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not Attendance.objects.exists() and not CheckInAttempt.objects.exists()


@pytest.mark.parametrize("code", ["AB\x00CD2", "ABCDEFGHJK", "abc 234 ", "O0I1ZZ"])
def test_the_representative_step_with_a_code_not_shaped_like_one_is_refused_before_any_lookup(live, dlh, code):
    # Found by the hostile-input test on PostgreSQL, which refuses a NUL in a query: the OPD choices of the
    # representative step were looked up with the code as typed.
    data = {"code": code, "nip": "197001011995031002", "name": "Bambang", "position": "Staf", "opd": dlh.pk}

    response = phone().post(URL, data)

    assert response.status_code == 200 and 'data-testid="error-summary"' in response.content.decode()
    assert not Attendance.objects.exists()
