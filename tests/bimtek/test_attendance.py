"""Kominfo's attendance screen: a row per invited OPD; saving writes only the rows the admin changed, and a row
changed meanwhile (another admin, a phone check-in) is never overwritten unseen: the second save is told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from bimtek.models import Attendance, Participant
from bimtek.selectors import RowState, attendance_sheet
from bimtek.services.attendance import AttendanceConflict, RowEntry, attendance_record, merged
from bimtek.services.checkin import checkin_submit
from tests.concurrency import race
from tests.factories import OpdFactory, UserFactory
from tests.services import need

from .conftest import logged_in, nip, open_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(session, dinkes_participants, dlh_participant):
    return {"ratna": dinkes_participants[0], "agus": dinkes_participants[1], "siti": dlh_participant}


@pytest.fixture
def second_admin(db):
    return UserFactory(username="admin.kedua", role="kominfo_admin")


def screen(client, session) -> dict:
    """Return the attendance form as the browser would post it untouched: the fingerprints and filled-in values."""
    response = client.get(reverse("bimtek:attendance", args=[session.pk]))
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (False, None, ""):
            continue
        data[name] = "on" if value is True else value
    return data


def states(session) -> dict:
    return {
        (row.participant.name if row.participant else row.representative_name): row.status
        for row in Attendance.objects.filter(session=session).select_related("participant")
    }


def test_the_screen_records_ticks_absences_and_a_representative(session, people, kominfo_admin, dinkes, dlh):
    client = logged_in(kominfo_admin)
    data = screen(client, session)
    data[f"present-{people['ratna'].pk}"] = "on"
    data[f"rep_name-{dlh.pk}"] = "  Bambang   Irawan "
    data[f"rep_position-{dlh.pk}"] = "Staf Bidang Tata Lingkungan"
    response = client.post(reverse("bimtek:attendance", args=[session.pk]), data)
    assert response.status_code == 302
    assert states(session) == {
        "Ratna Dewi": "present",
        "Agus Santoso": "absent",
        "Siti Aminah": "absent",
        "Bambang Irawan": "represented",
    }
    assert set(Attendance.objects.values_list("recorded_by", flat=True)) == {kominfo_admin.pk}
    rows = {row.opd: row for row in attendance_sheet(session)}
    assert rows[dinkes].status == "present" and rows[dlh].status == "represented"


def test_a_name_without_a_position_is_refused_and_nothing_is_saved(session, people, kominfo_admin, dlh):
    client = logged_in(kominfo_admin)
    data = screen(client, session) | {f"rep_name-{dlh.pk}": "Bambang"}
    response = client.post(reverse("bimtek:attendance", args=[session.pk]), data)
    assert response.status_code == 200 and 'data-testid="error-summary"' in response.content.decode()
    assert not Attendance.objects.exists()


def test_the_second_admin_saving_the_same_row_is_told_and_nothing_is_lost(
    session, people, kominfo_admin, second_admin, dinkes
):
    first, second = logged_in(kominfo_admin), logged_in(second_admin)
    first_screen, second_screen = screen(first, session), screen(second, session)
    first.post(reverse("bimtek:attendance", args=[session.pk]), first_screen | {f"present-{people['ratna'].pk}": "on"})
    response = second.post(
        reverse("bimtek:attendance", args=[session.pk]), second_screen | {f"present-{people['agus'].pk}": "on"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Dinas Kesehatan" in content and f'data-testid="conflict-{dinkes.code}"' in content
    # The first admin's record stands; the screen shows it with the second admin's tick added, unsaved.
    assert states(session) == {"Ratna Dewi": "present", "Agus Santoso": "absent"}
    form = response.context["form"]
    assert form[f"present-{people['agus'].pk}"].value() is True
    assert form[f"present-{people['ratna'].pk}"].value() is True
    # Having checked the row, the second admin saves again: both ticks are saved, nobody's work is lost.
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (False, None, "")}
    data = {name: "on" if value is True else value for name, value in data.items()}
    assert second.post(reverse("bimtek:attendance", args=[session.pk]), data).status_code == 302
    assert states(session) == {"Ratna Dewi": "present", "Agus Santoso": "present"}


def test_rows_the_second_admin_left_alone_keep_what_others_saved(session, people, kominfo_admin, second_admin, dlh):
    first, second = logged_in(kominfo_admin), logged_in(second_admin)
    first_screen, second_screen = screen(first, session), screen(second, session)
    first.post(reverse("bimtek:attendance", args=[session.pk]), first_screen | {f"present-{people['ratna'].pk}": "on"})
    response = second.post(
        reverse("bimtek:attendance", args=[session.pk]),
        second_screen | {f"present-{people['siti'].pk}": "on"},
        follow=True,
    )
    content = response.content.decode()
    assert "Dinas Kesehatan" in content  # told that Dinkes was changed by someone else, and kept
    assert states(session) == {"Ratna Dewi": "present", "Agus Santoso": "absent", "Siti Aminah": "present"}


def test_a_phone_check_in_while_the_screen_is_open_is_not_overwritten(session, people, kominfo_admin, dinkes):
    client = logged_in(kominfo_admin)
    opened = screen(client, session)
    checkin_submit(code=open_now(session).checkin_code, nip=nip(2), ip_address="10.0.0.5")  # Agus, by phone
    response = client.post(
        reverse("bimtek:attendance", args=[session.pk]), opened | {f"present-{people['ratna'].pk}": "on"}
    )
    assert f'data-testid="conflict-{dinkes.code}"' in response.content.decode()
    assert states(session) == {"Agus Santoso": "present"}


@pytest.mark.parametrize(
    ("opened", "wanted", "current", "expected"),
    [
        # Another admin ticked 1, this one ticked 2: both.
        (({3}, "", ""), ({2, 3}, "", ""), ({1, 3}, "", ""), ({1, 2, 3}, "", "")),
        # This admin unticked 3 while someone ticked 1: 1 stays, 3 goes.
        (({3}, "", ""), (set(), "", ""), ({1, 3}, "", ""), ({1}, "", "")),
        # This admin wrote the representative: theirs; they left it alone: the saved one.
        (({1}, "", ""), ({1}, "Bambang", "Staf"), ({1}, "Sri", "Kasi"), ({1}, "Bambang", "Staf")),
        (({1}, "", ""), (set(), "", ""), ({1}, "Sri", "Kasi"), (set(), "Sri", "Kasi")),
    ],
)
def test_a_clash_proposes_the_saved_row_with_this_admins_changes(opened, wanted, current, expected):
    state = lambda values: RowState(frozenset(values[0]), values[1], values[2])  # noqa: E731
    entry = RowEntry(1, state(wanted), state(opened))
    assert merged(entry, state(current)) == state(expected)


def test_an_unreadable_opened_state_is_a_clash_never_a_blind_overwrite(session, people, kominfo_admin, dinkes):
    client = logged_in(kominfo_admin)
    opened = screen(client, session)
    client.post(reverse("bimtek:attendance", args=[session.pk]), opened | {f"present-{people['ratna'].pk}": "on"})
    for hostile in ["", "null", "[[1], 2, 3]", '[[true], "", ""]', "{", "[" * 5000]:
        data = opened | {f"opened-{dinkes.pk}": hostile, f"present-{people['agus'].pk}": "on"}
        response = client.post(reverse("bimtek:attendance", args=[session.pk]), data)
        assert response.status_code == 200 and f'data-testid="conflict-{dinkes.code}"' in response.content.decode()
    assert states(session) == {"Ratna Dewi": "present", "Agus Santoso": "absent"}


def test_only_kominfo_records_attendance(session, people, executive):
    with pytest.raises(PermissionDenied):
        attendance_record(session=session, by=executive, entries=[])
    assert logged_in(executive).get(reverse("bimtek:attendance", args=[session.pk])).status_code == 403


def test_a_participant_of_another_opd_cannot_be_ticked_in_a_row(session, people, kominfo_admin, dinkes):
    row = next(row for row in attendance_sheet(session) if row.opd == dinkes)
    entry = RowEntry(dinkes.pk, RowState(frozenset({people["siti"].pk}), "", ""), row.state)
    with pytest.raises(ValidationError, match="bukan peserta Dinas Kesehatan"):
        attendance_record(session=session, by=kominfo_admin, entries=[entry])
    assert not Attendance.objects.exists()


def test_the_screen_reads_a_fixed_number_of_queries(
    session, people, kominfo_admin, staff_dinkes, django_assert_num_queries
):
    client = logged_in(kominfo_admin)
    url = reverse("bimtek:attendance", args=[session.pk])
    # The login session, the user, the session, then the sheet: invited OPDs, attendance, participants.
    with django_assert_num_queries(6):
        client.get(url)
    for n in range(5):
        opd = OpdFactory(code=f"KEC{n}", name=f"Kecamatan {n}")
        session.stage.invited_opds.add(opd)
        for k in range(3):
            participant = Participant.objects.create(
                opd=opd, name=f"Peserta {n}.{k}", nip=nip(100 + 10 * n + k), position="Staf", created_by=staff_dinkes
            )
            Attendance.objects.create(
                session=session, opd=opd, participant=participant, status="present", recorded_via="checkin"
            )
    with django_assert_num_queries(6):
        assert "Peserta 4.2" in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_the_same_row_at_the_same_moment(session, people, kominfo_admin, second_admin, dinkes):
    need(connection.vendor == "postgresql", "a real race needs PostgreSQL's row locks")
    row = next(row for row in attendance_sheet(session) if row.opd == dinkes)

    def save(user, participant):
        entry = RowEntry(dinkes.pk, RowState(frozenset({participant.pk}), "", ""), row.state)
        return attendance_record(session=session, by=user, entries=[entry])

    outcomes = race(lambda: save(kominfo_admin, people["ratna"]), lambda: save(second_admin, people["agus"]))
    assert sum(isinstance(outcome, AttendanceConflict) for outcome in outcomes) == 1
    present = set(Attendance.objects.filter(status="present").values_list("participant", flat=True))
    assert present in ({people["ratna"].pk}, {people["agus"].pk})


def test_saving_the_screen_untouched_writes_nothing(session, people, kominfo_admin):
    client = logged_in(kominfo_admin)
    response = client.post(reverse("bimtek:attendance", args=[session.pk]), screen(client, session), follow=True)
    assert "Tidak ada yang diubah." in response.content.decode()
    assert not Attendance.objects.exists()
