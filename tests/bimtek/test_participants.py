"""Fixed participants: 1–3 per OPD named by its own staff, free to change before the Bimtek begins, replaced
with a reason afterwards (the replaced one kept as history); another OPD's participant does not exist for them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from bimtek.models import Participant
from bimtek.services import participants as services
from core.models import SecurityEvent

from .conftest import logged_in, nip

pytestmark = pytest.mark.django_db


def data(n: int, name: str = "Budi Hartono") -> dict:
    return {"name": name, "nip": nip(n), "position": "Pranata Komputer", "phone": "0812 3456 7890", "email": ""}


def test_staff_name_up_to_three_participants_and_no_more(dinkes, staff_dinkes):
    for n in range(3):
        services.participant_add(opd=dinkes, by=staff_dinkes, data=data(n, f"Peserta {n}"))
    with pytest.raises(ValidationError, match="paling banyak menetapkan 3"):
        services.participant_add(opd=dinkes, by=staff_dinkes, data=data(9))
    assert Participant.objects.filter(opd=dinkes).count() == 3


def test_staff_of_another_opd_cannot_name_this_opds_participants(dinkes, staff_dlh, executive):
    for user in (staff_dlh, executive):
        with pytest.raises(PermissionDenied):
            services.participant_add(opd=dinkes, by=user, data=data(1))
    assert not Participant.objects.exists()


def test_names_are_trimmed_and_a_nip_is_eighteen_digits(dinkes, staff_dinkes):
    participant = services.participant_add(
        opd=dinkes, by=staff_dinkes, data=data(1, "  Ratna   Dewi \t") | {"position": " Analis  "}
    )
    assert (participant.name, participant.position) == ("Ratna Dewi", "Analis")
    for bad in ["12345", nip(1) + "0", "1985031220100110a4", "١٩٨٥٠٣١٢٢٠١٠٠١١٠٠٤", nip(2)[:17] + "\n"]:
        with pytest.raises(ValidationError) as error:
            services.participant_add(opd=dinkes, by=staff_dinkes, data=data(2) | {"nip": bad})
        assert "nip" in error.value.message_dict, bad


def test_the_database_refuses_a_malformed_nip_even_past_the_service(dinkes, staff_dinkes):
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(opd=dinkes, name="X", nip="12345", position="Y", created_by=staff_dinkes)


def test_one_person_is_a_fixed_participant_of_one_opd_at_a_time(dinkes, dlh, staff_dinkes, staff_dlh):
    services.participant_add(opd=dinkes, by=staff_dinkes, data=data(1))
    with pytest.raises(ValidationError, match="sudah menjadi peserta tetap Dinas Kesehatan"):
        services.participant_add(opd=dlh, by=staff_dlh, data=data(1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(opd=dlh, name="X", nip=nip(1), position="Y", created_by=staff_dlh)


def test_before_the_first_stage_a_participant_is_edited_or_removed_freely(dinkes, staff_dinkes, future_stage):
    participant = services.participant_add(opd=dinkes, by=staff_dinkes, data=data(1))
    services.participant_update(participant=participant, by=staff_dinkes, data=data(2, "Orang Lain"))
    participant.refresh_from_db()
    assert (participant.nip, participant.name) == (nip(2), "Orang Lain")
    services.participant_remove(participant=participant, by=staff_dinkes)
    assert not Participant.objects.exists()


def test_after_the_first_stage_a_different_person_is_a_replacement(dinkes_participants, staff_dinkes, past_stage):
    participant = dinkes_participants[0]
    with pytest.raises(ValidationError, match="pergantian"):
        services.participant_update(participant=participant, by=staff_dinkes, data=data(7))
    with pytest.raises(ValidationError, match="diganti dengan alasan"):
        services.participant_remove(participant=participant, by=staff_dinkes)
    # Contact details may still be corrected.
    services.participant_update(
        participant=participant, by=staff_dinkes, data={"phone": "0813 1111 2222", "position": "Kepala Seksi"}
    )
    participant.refresh_from_db()
    assert (participant.phone, participant.position, participant.nip) == ("0813 1111 2222", "Kepala Seksi", nip(1))


def test_a_replacement_records_reason_who_and_when_and_keeps_the_old_participant(
    dinkes_participants, staff_dinkes, past_stage
):
    old = dinkes_participants[0]
    with pytest.raises(ValidationError, match="alasan pergantian"):
        services.participant_replace(participant=old, by=staff_dinkes, data=data(5), reason="   ")
    new = services.participant_replace(participant=old, by=staff_dinkes, data=data(5, "Dian Lestari"), reason="Mutasi")
    old.refresh_from_db()
    assert not old.is_active and old.replaced_by == new and old.replaced_by_user == staff_dinkes
    assert old.replacement_reason == "Mutasi" and old.replaced_at is not None
    assert new.is_active and new.opd == old.opd
    with pytest.raises(ValidationError, match="sudah diganti"):
        services.participant_replace(participant=old, by=staff_dinkes, data=data(6), reason="Lagi")


def test_a_replacement_must_be_another_person(dinkes_participants, staff_dinkes, past_stage):
    with pytest.raises(ValidationError, match="orang lain"):
        services.participant_replace(participant=dinkes_participants[0], by=staff_dinkes, data=data(1), reason="x")
    assert Participant.objects.filter(is_active=True).count() == 2


# --- Pages ---------------------------------------------------------------------------------------------------


def test_staff_see_only_their_own_opds_participants(dinkes_participants, dlh_participant, staff_dinkes):
    content = logged_in(staff_dinkes).get(reverse("bimtek:participants")).content.decode()
    assert "Ratna Dewi" in content and "Siti Aminah" not in content


@pytest.mark.parametrize("name", ["bimtek:participant_edit", "bimtek:participant_replace"])
def test_staff_of_another_opd_get_404_like_for_a_participant_that_does_not_exist(name, dinkes_participants, staff_dlh):
    client = logged_in(staff_dlh)
    for method in (client.get, client.post):
        assert method(reverse(name, args=[dinkes_participants[0].pk])).status_code == 404
        assert method(reverse(name, args=[987654])).status_code == 404
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.NOT_VISIBLE, user=staff_dlh).count() == 4
    response = client.post(reverse("bimtek:participant_remove", args=[dinkes_participants[0].pk]))
    assert response.status_code == 404
    assert Participant.objects.filter(pk=dinkes_participants[0].pk, is_active=True).exists()


def test_staff_add_a_participant_through_the_form(dinkes, staff_dinkes):
    response = logged_in(staff_dinkes).post(
        reverse("bimtek:participant_create"),
        {"name": " Ratna  Dewi ", "nip": "19850312 201001 2 004", "position": "Analis", "phone": "", "email": ""},
    )
    assert response.status_code == 302
    participant = Participant.objects.get()
    assert (participant.name, participant.nip, participant.opd) == ("Ratna Dewi", "198503122010012004", dinkes)


def test_the_form_shows_a_wrong_nip_in_the_error_summary(dinkes, staff_dinkes):
    response = logged_in(staff_dinkes).post(
        reverse("bimtek:participant_create"), {"name": "Ratna", "nip": "1985", "position": "Analis"}
    )
    content = response.content.decode()
    assert response.status_code == 200 and 'data-testid="error-summary"' in content and "18" in content
    assert not Participant.objects.exists()


def test_replacing_through_the_page_after_the_first_stage(dinkes_participants, staff_dinkes, past_stage):
    client = logged_in(staff_dinkes)
    page = client.get(reverse("bimtek:participants")).content.decode()
    assert reverse("bimtek:participant_replace", args=[dinkes_participants[0].pk]) in page
    assert reverse("bimtek:participant_remove", args=[dinkes_participants[0].pk]) not in page
    response = client.post(
        reverse("bimtek:participant_replace", args=[dinkes_participants[0].pk]),
        data(5, "Dian Lestari") | {"reason": "Pensiun"},
    )
    assert response.status_code == 302
    page = client.get(reverse("bimtek:participants")).content.decode()
    assert "Dian Lestari" in page and "Pensiun" in page  # the history stays on the OPD's page


def test_kominfo_and_the_bupatis_office_see_every_replacement(
    dinkes_participants, staff_dinkes, past_stage, kominfo_admin, executive, staff_dlh
):
    services.participant_replace(participant=dinkes_participants[0], by=staff_dinkes, data=data(5), reason="Mutasi")
    for user in (kominfo_admin, executive):
        content = logged_in(user).get(reverse("bimtek:replacements")).content.decode()
        assert "Ratna Dewi" in content and "Mutasi" in content and "Dinas Kesehatan" in content
    assert logged_in(staff_dlh).get(reverse("bimtek:replacements")).status_code == 403


def test_the_overview_lists_opds_without_participants_first(
    dinkes_participants, dlh, kominfo_admin, django_assert_max_num_queries
):
    client = logged_in(kominfo_admin)
    with django_assert_max_num_queries(8):
        content = client.get(reverse("bimtek:participants_overview")).content.decode()
    assert content.index("Dinas Lingkungan Hidup") < content.index("Dinas Kesehatan")
