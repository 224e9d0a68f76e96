"""The security log: written by the real flows, readable by Kominfo admins, changeable by nobody."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.models import SecurityEvent
from masterplan import services as masterplan_services
from masterplan.models import MasterplanExport
from opd.models import Submission, SubmissionStatus
from tests.factories import UserFactory
from tests.masterplan.factories import fill_required_parts
from tests.masterplan.test_roadmap_services import add_programme
from tests.opd.submission_factories import SubmissionFactory, approved, fast_password_hasher  # noqa: F401

Kind = SecurityEvent.Kind
pytestmark = pytest.mark.django_db


def only(kind: str, **filters) -> SecurityEvent:
    return SecurityEvent.objects.get(kind=kind, **filters)


def test_a_login_and_a_logout_are_logged_with_address_and_path(client, executive, password):
    client.post(reverse("login"), {"username": "pimpinan", "password": password}, REMOTE_ADDR="10.20.30.40")
    event = only(Kind.LOGIN)
    assert (event.user, event.username, event.ip_address, event.path) == (
        executive,
        "pimpinan",
        "10.20.30.40",
        reverse("login"),
    )
    client.post(reverse("logout"))
    assert only(Kind.LOGOUT).user == executive


def test_a_failed_login_is_logged_with_the_name_tried(client, executive):
    client.post(reverse("login"), {"username": "pimpinan", "password": "salah"})
    client.post(reverse("login"), {"username": "tidak.ada", "password": "salah"})
    assert only(Kind.LOGIN_FAILED, username="pimpinan").user == executive
    unknown = only(Kind.LOGIN_FAILED, username="tidak.ada")
    assert unknown.user is None and unknown.action == "wrong_credentials"
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN).exists()


def test_behind_the_https_proxy_the_address_is_the_one_the_proxy_saw(client, executive, password, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client.post(
        reverse("login"),
        {"username": "pimpinan", "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # the first entry is the client's own claim
    )
    assert only(Kind.LOGIN).ip_address == "203.0.113.9"


def test_a_refused_page_is_logged(client, executive, pillars):
    client.force_login(executive)
    assert client.get(reverse("masterplan:create")).status_code == 403
    event = only(Kind.PERMISSION_DENIED)
    assert event.user == executive and event.path == reverse("masterplan:create")


def test_another_opds_submission_answers_404_and_is_logged(client, staff_dinkes, staff_dlh, pillars):
    theirs = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    client.force_login(staff_dlh)
    assert client.get(reverse("submissions:detail", args=[theirs.pk])).status_code == 404
    event = only(Kind.NOT_VISIBLE)
    assert event.user == staff_dlh and event.detail == f"opd.Submission #{theirs.pk}"
    assert event.path == reverse("submissions:detail", args=[theirs.pk])


def test_a_submission_sent_through_its_page_is_logged(client, staff_dinkes, pillars):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    client.force_login(staff_dinkes)
    response = client.post(reverse("submissions:submit", args=[draft.pk]), {"version": draft.version})
    assert response.status_code == 302
    event = only(Kind.SUBMISSION_CHANGED, action="submitted")
    assert (event.user, event.target_type, event.target_id) == (staff_dinkes, "opd.Submission", str(draft.pk))
    assert event.detail == SubmissionStatus.SUBMITTED and event.path == reverse("submissions:submit", args=[draft.pk])


def test_a_refused_state_change_logs_no_change(client, staff_dinkes, pillars):
    incomplete = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, budget=None)
    client.force_login(staff_dinkes)
    response = client.post(reverse("submissions:submit", args=[incomplete.pk]), {"version": incomplete.version})
    assert response.status_code == 400
    assert not SecurityEvent.objects.filter(kind=Kind.SUBMISSION_CHANGED).exists()


def test_a_change_rolled_back_after_the_service_logs_nothing(staff_dinkes, pillars):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    from opd.services import submissions as submission_services

    with pytest.raises(RuntimeError), transaction.atomic():
        submission_services.submission_submit(submission=draft, by=staff_dinkes)
        raise RuntimeError("the surrounding transaction fails after the service")
    assert Submission.objects.get(pk=draft.pk).status == SubmissionStatus.DRAFT
    assert not SecurityEvent.objects.filter(kind=Kind.SUBMISSION_CHANGED).exists()


def test_a_masterplan_finalised_through_its_page_is_logged(client, kominfo_admin, pillars):
    masterplan = masterplan_services.masterplan_create(
        by=kominfo_admin, data={"title": "Uji", "start_year": 2023, "end_year": 2032, "short_term_end_year": 2027}
    )
    add_programme(masterplan, kominfo_admin, start=2024, end=2025)
    fill_required_parts(masterplan)
    client.force_login(kominfo_admin)
    assert client.post(reverse("masterplan:finalize", args=[masterplan.pk])).status_code == 302
    event = only(Kind.MASTERPLAN_CHANGED, action="masterplan_finalized")
    assert (event.user, event.target_type, event.target_id) == (
        kominfo_admin,
        "masterplan.Masterplan",
        str(masterplan.pk),
    )


def test_every_masterplan_service_writes_one_line(kominfo_admin, executive, staff_dinkes, pillars):
    by = kominfo_admin
    plan = masterplan_services.masterplan_create(
        by=by, data={"title": "Uji", "start_year": 2023, "end_year": 2032, "short_term_end_year": 2027}
    )
    masterplan_services.masterplan_update(masterplan=plan, by=by, data={"title": "Uji 2"})
    analysis = plan.analyses.first()
    masterplan_services.analysis_update(analysis=analysis, by=by, data={"strategy": "Strategi"})
    source = approved(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), by)
    first = add_programme(plan, by, start=2024, end=2025, submissions=[source])
    second = add_programme(plan, by, start=2026, end=2027)
    masterplan_services.programme_update(programme=first, by=by, data={"title": "Program baru"})
    masterplan_services.programme_move(programme=second, by=by, direction=-1)
    masterplan_services.programme_delete(programme=second, by=by)
    fill_required_parts(plan)
    final = masterplan_services.masterplan_finalize(masterplan=plan, by=by)
    masterplan_services.masterplan_new_draft_from(masterplan=final, by=by)
    export = masterplan_services.masterplan_export_start(masterplan=plan, by=executive)
    with pytest.raises(ValidationError):  # refused: nothing changes, nothing is logged
        masterplan_services.programme_delete(programme=first, by=by)

    logged = list(
        SecurityEvent.objects.filter(kind=Kind.MASTERPLAN_CHANGED).order_by("pk").values_list("action", "username")
    )
    assert logged == [
        ("masterplan_created", "admin.kominfo"),
        ("masterplan_updated", "admin.kominfo"),
        ("analysis_updated", "admin.kominfo"),
        ("programme_created", "admin.kominfo"),
        ("programme_created", "admin.kominfo"),
        ("programme_updated", "admin.kominfo"),
        ("programme_moved", "admin.kominfo"),
        ("programme_deleted", "admin.kominfo"),
        ("masterplan_finalized", "admin.kominfo"),
        ("masterplan_draft_started", "admin.kominfo"),
        ("export_started", "pimpinan"),
    ]
    assert only(Kind.MASTERPLAN_CHANGED, action="export_started").target_id == str(export.pk)
    assert MasterplanExport.objects.count() == 1


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", role="", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("who", ["superuser"])
def test_the_superuser_reads_the_log_and_nobody_can_change_it(client, request, who, executive, password):
    Client().post(reverse("login"), {"username": "pimpinan", "password": password}, REMOTE_ADDR="10.9.8.7")
    event = only(Kind.LOGIN)
    admin = request.getfixturevalue(who)
    client.force_login(admin)
    changelist = reverse("admin:core_securityevent_changelist")

    response = client.get(changelist)
    assert response.status_code == 200 and "pimpinan" in response.content.decode()
    assert "pimpinan" in client.get(changelist, {"q": "10.9.8.7"}).content.decode()
    assert "pimpinan" not in client.get(changelist, {"q": "10.9.8.99"}).content.decode()
    assert "pimpinan" in client.get(changelist, {"kind__exact": "login"}).content.decode()
    assert "pimpinan" not in client.get(changelist, {"kind__exact": "logout"}).content.decode()
    detail = client.get(reverse("admin:core_securityevent_change", args=[event.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()

    assert client.get(reverse("admin:core_securityevent_add")).status_code == 403
    assert client.post(reverse("admin:core_securityevent_add"), {"kind": "login"}).status_code == 403
    change = client.post(reverse("admin:core_securityevent_change", args=[event.pk]), {"kind": "logout"})
    assert change.status_code == 403
    delete = client.post(reverse("admin:core_securityevent_delete", args=[event.pk]), {"post": "yes"})
    assert delete.status_code == 403
    bulk = client.post(changelist, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})
    assert bulk.status_code in {200, 302}
    event.refresh_from_db()
    assert event.kind == Kind.LOGIN


def test_the_log_is_not_for_other_roles(client, executive):
    client.force_login(executive)
    response = client.get(reverse("admin:core_securityevent_changelist"), follow=True)
    assert response.status_code == 403
