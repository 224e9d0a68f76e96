"""The submission services: every transition (legal and illegal), references, permissions, events, mail."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone, translation

from core.roles import Role
from opd.models import Attachment, Comment, ReferenceCounter, Submission, SubmissionEvent, SubmissionStatus
from opd.models.submissions import MAX_BUDGET
from opd.selectors import revisions_of
from opd.services import submissions as service
from opd.services.attachments import attachment_add
from opd.services.submissions import snapshot_of, submission_content_errors, submission_missing_fields
from pillars.models import Pillar
from tests.factories import UserFactory

from .submission_factories import (
    SubmissionFactory,
    approved,
    fast_password_hasher,  # noqa: F401  (autouse fixture)
    in_review,
    png_bytes,
    rejected,
    returned_for_revision,
    sent,
    withdrawn,
)

Status = SubmissionStatus
Action = SubmissionEvent.Action
pytestmark = pytest.mark.django_db


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down: every send raises."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP server unreachable (test)")


@pytest.fixture
def draft(staff_dinkes, pillars):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


@pytest.fixture
def other_admin(db):
    return UserFactory(username="admin.dua", role=Role.KOMINFO_ADMIN, first_name="Budi", last_name="Penelaah")


def this_year() -> int:
    return timezone.localdate().year


def actions(submission) -> list[str]:
    return list(submission.events.values_list("action", flat=True))


def unchanged(submission, before: Submission) -> bool:
    """Return whether the row still has the status, version and content it had before."""
    after = Submission.objects.get(pk=submission.pk)
    return (after.status, after.version, after.reference, snapshot_of(after)) == (
        before.status,
        before.version,
        before.reference,
        snapshot_of(before),
    )


# --- Creating a draft ------------------------------------------------------------------------------


def test_staff_creates_a_draft_of_their_own_opd_with_only_kind_and_title(staff_dinkes):
    draft = service.submission_create(by=staff_dinkes, data={"kind": "kebutuhan", "title": "Data stunting terpadu"})

    draft.refresh_from_db()
    assert (draft.status, draft.reference, draft.version) == (Status.DRAFT, None, 1)
    assert draft.opd == staff_dinkes.opd and draft.created_by == staff_dinkes
    event = draft.events.get()
    assert (event.action, event.actor, event.to_status) == (Action.CREATED, staff_dinkes, Status.DRAFT)
    assert event.snapshot == snapshot_of(draft)
    assert sorted(event.changed_fields) == ["kind", "title"]


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_only_opd_staff_can_create_a_draft(request, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        service.submission_create(by=user, data={"kind": "kebutuhan", "title": "Tidak boleh"})
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"title": "Tanpa jenis"}, "kind"),
        ({"kind": "kebutuhan", "title": ""}, "title"),
        ({"kind": "bukan-jenis", "title": "Jenis salah"}, "kind"),
        ({"kind": "kebutuhan", "title": "Tahun", "start_year": 1900}, None),
        ({"kind": "kebutuhan", "title": "Tahun", "start_year": 2028, "end_year": 2026}, None),
        ({"kind": "kebutuhan", "title": "Anggaran", "budget": MAX_BUDGET + 1}, None),
        ({"kind": "kebutuhan", "title": "Anggaran", "budget": -1}, "budget"),
    ],
)
def test_create_refuses_invalid_content_and_writes_nothing(staff_dinkes, data, field):
    with pytest.raises(ValidationError) as raised:
        service.submission_create(by=staff_dinkes, data=data)
    if field:
        assert field in raised.value.message_dict
    assert not Submission.objects.exists()
    assert not SubmissionEvent.objects.exists()


# --- Editing ---------------------------------------------------------------------------------------


def test_edit_saves_changed_fields_bumps_version_and_stores_a_snapshot(draft, staff_dinkes):
    updated = service.submission_update(
        submission=draft, by=staff_dinkes, data={"title": "Judul baru", "budget": 2_000_000_000}, expected_version=1
    )

    updated.refresh_from_db()
    assert (updated.title, updated.budget, updated.version) == ("Judul baru", 2_000_000_000, 2)
    event = updated.events.get(action=Action.EDITED)
    assert event.actor == staff_dinkes
    assert sorted(event.changed_fields) == ["budget", "title"]
    assert event.snapshot == snapshot_of(updated)
    assert event.snapshot["pillar"] == draft.pillar_id  # foreign keys as ids: JSON-ready


def test_edit_without_any_change_records_nothing_and_keeps_the_version(draft, staff_dinkes):
    service.submission_update(submission=draft, by=staff_dinkes, data={"title": draft.title}, expected_version=1)

    draft.refresh_from_db()
    assert draft.version == 1
    assert not draft.events.exists()


def test_stale_edit_is_refused_with_code_stale_and_changes_nothing(draft, staff_dinkes):
    colleague = UserFactory(username="staf.dinkes.2", role=Role.OPD_STAFF, opd=staff_dinkes.opd)
    service.submission_update(submission=draft, by=colleague, data={"title": "Versi rekan"}, expected_version=1)
    before = Submission.objects.get(pk=draft.pk)

    with pytest.raises(ValidationError) as raised:
        service.submission_update(submission=draft, by=staff_dinkes, data={"title": "Versi lama"}, expected_version=1)

    assert raised.value.code == "stale"
    assert unchanged(draft, before)
    assert Submission.objects.get(pk=draft.pk).title == "Versi rekan"
    assert actions(draft) == [Action.EDITED]


def test_staff_of_another_opd_cannot_edit(draft, staff_dlh):
    before = Submission.objects.get(pk=draft.pk)
    with pytest.raises(PermissionDenied):
        service.submission_update(submission=draft, by=staff_dlh, data={"title": "Dibajak"}, expected_version=1)
    assert unchanged(draft, before)


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_only_the_opd_staff_can_edit(request, draft, who):
    with pytest.raises(PermissionDenied):
        service.submission_update(
            submission=draft, by=request.getfixturevalue(who), data={"title": "X"}, expected_version=1
        )


@pytest.mark.parametrize("move", [sent, in_review, approved, rejected, withdrawn])
def test_a_sent_or_decided_submission_cannot_be_edited(draft, staff_dinkes, kominfo_admin, move):
    moved = move(draft) if move in (sent, withdrawn) else move(draft, kominfo_admin)
    before = Submission.objects.get(pk=draft.pk)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        service.submission_update(
            submission=moved, by=staff_dinkes, data={"title": "Diubah diam-diam"}, expected_version=moved.version
        )

    assert raised.value.code == "illegal_transition"
    with translation.override("en"):
        assert moved.get_status_display() in raised.value.messages[0]
    assert unchanged(draft, before)


def test_a_submission_returned_for_revision_can_be_edited(draft, staff_dinkes, kominfo_admin):
    returned = returned_for_revision(draft, kominfo_admin)

    updated = service.submission_update(
        submission=returned, by=staff_dinkes, data={"indicator": "95% daring"}, expected_version=returned.version
    )

    assert updated.indicator == "95% daring"
    assert updated.status == Status.REVISION_REQUESTED
    assert updated.version == returned.version + 1


@pytest.mark.parametrize(
    "data", [{"start_year": 2030, "end_year": 2027}, {"start_year": 1900}, {"budget": MAX_BUDGET + 1}, {"title": ""}]
)
def test_edit_with_invalid_content_saves_nothing(draft, staff_dinkes, data):
    before = Submission.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError):
        service.submission_update(submission=draft, by=staff_dinkes, data=data, expected_version=1)
    assert unchanged(draft, before)
    assert not draft.events.exists()


# --- Sending and references -------------------------------------------------------------------------


def test_sending_a_complete_draft_gives_the_first_reference_of_the_year(draft, staff_dinkes):
    submitted = service.submission_submit(submission=draft, by=staff_dinkes, expected_version=1)

    submitted.refresh_from_db()
    assert submitted.reference == f"SC-{this_year()}-0001"
    assert submitted.status == Status.SUBMITTED
    assert submitted.submitted_at is not None and submitted.last_submitted_at == submitted.submitted_at
    assert submitted.version == 2
    event = submitted.events.get()
    assert (event.action, event.from_status, event.to_status) == (Action.SUBMITTED, Status.DRAFT, Status.SUBMITTED)
    assert event.snapshot is None


def test_references_are_sequential_across_opds(staff_dinkes, staff_dlh, pillars):
    year = this_year()
    references = [
        sent(SubmissionFactory(opd=user.opd, created_by=user)).reference
        for user in (staff_dinkes, staff_dlh, staff_dinkes)
    ]
    assert references == [f"SC-{year}-0001", f"SC-{year}-0002", f"SC-{year}-0003"]
    assert ReferenceCounter.objects.get(year=year).last_number == 3


def test_each_year_has_its_own_reference_counter(staff_dinkes, pillars):
    year = this_year()
    ReferenceCounter.objects.create(year=year - 1, last_number=41)
    ReferenceCounter.objects.create(year=year + 1, last_number=5)

    first = sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    ReferenceCounter.objects.filter(year=year).update(last_number=8)
    second = sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))

    assert first.reference == f"SC-{year}-0001"
    assert second.reference == f"SC-{year}-0009"
    assert ReferenceCounter.objects.get(year=year - 1).last_number == 41
    assert ReferenceCounter.objects.get(year=year + 1).last_number == 5


def test_an_incomplete_draft_is_refused_with_every_missing_field_and_uses_no_number(staff_dinkes, pillars):
    draft = service.submission_create(by=staff_dinkes, data={"kind": "kebutuhan", "title": "Belum lengkap"})

    with pytest.raises(ValidationError) as raised:
        service.submission_submit(submission=draft, by=staff_dinkes)

    missing = set(raised.value.message_dict)
    assert missing == set(Submission.REQUIRED_TO_SUBMIT) - {"kind", "title"}
    draft.refresh_from_db()
    assert (draft.status, draft.reference, draft.version) == (Status.DRAFT, None, 1)
    assert not ReferenceCounter.objects.filter(last_number__gt=0).exists()
    assert actions(draft) == [Action.CREATED]


def test_missing_fields_are_listed_by_their_labels(staff_dinkes, pillars):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, indicator="", budget=None)
    with translation.override("en"):
        assert submission_missing_fields(draft) == ["indicator", "estimated budget (Rupiah)"]
    assert submission_missing_fields(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)) == []


def test_a_draft_whose_element_is_not_in_its_pillar_cannot_be_sent(staff_dinkes, pillars):
    economy = Pillar.objects.get(code="ECO")
    draft = SubmissionFactory(
        opd=staff_dinkes.opd,
        created_by=staff_dinkes,
        pillar=economy,
        element=Pillar.objects.get(code="ENV").elements.first(),
    )
    assert set(submission_content_errors(draft)) == {"element"}

    with pytest.raises(ValidationError) as raised:
        service.submission_submit(submission=draft, by=staff_dinkes)

    assert set(raised.value.message_dict) == {"element"}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None


def test_staff_of_another_opd_cannot_send(draft, staff_dlh):
    with pytest.raises(PermissionDenied):
        service.submission_submit(submission=draft, by=staff_dlh)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_only_opd_staff_can_send(request, draft, who):
    with pytest.raises(PermissionDenied):
        service.submission_submit(submission=draft, by=request.getfixturevalue(who))


def test_sending_twice_is_refused_and_keeps_the_first_reference(draft, staff_dinkes):
    submitted = sent(draft)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        service.submission_submit(submission=submitted, by=staff_dinkes)
    assert raised.value.code == "illegal_transition"
    submitted.refresh_from_db()
    assert submitted.reference == f"SC-{this_year()}-0001"
    assert ReferenceCounter.objects.get(year=this_year()).last_number == 1
    assert actions(submitted) == [Action.SUBMITTED]


def test_sending_a_stale_form_is_refused(draft, staff_dinkes):
    service.submission_update(submission=draft, by=staff_dinkes, data={"title": "Baru"}, expected_version=1)
    with pytest.raises(ValidationError) as raised:
        service.submission_submit(submission=draft, by=staff_dinkes, expected_version=1)
    assert raised.value.code == "stale"
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None


def test_resending_after_revision_keeps_reference_and_first_date(draft, staff_dinkes, kominfo_admin):
    returned = returned_for_revision(draft, kominfo_admin)
    first_sent = returned.submitted_at

    resent = service.submission_submit(submission=returned, by=staff_dinkes, expected_version=returned.version)

    assert resent.status == Status.SUBMITTED
    assert resent.reference == f"SC-{this_year()}-0001"
    assert resent.submitted_at == first_sent
    assert resent.last_submitted_at > first_sent
    assert ReferenceCounter.objects.get(year=this_year()).last_number == 1
    event = resent.events.last()
    assert (event.action, event.from_status, event.to_status) == (
        Action.RESUBMITTED,
        Status.REVISION_REQUESTED,
        Status.SUBMITTED,
    )


# --- Withdrawing -----------------------------------------------------------------------------------


@pytest.mark.parametrize("move", ["sent", "in_review", "returned_for_revision"])
def test_an_undecided_submission_can_be_withdrawn_with_a_reason(draft, staff_dinkes, kominfo_admin, move):
    moved = {"sent": sent, "in_review": in_review, "returned_for_revision": returned_for_revision}[move]
    submission = moved(draft) if move == "sent" else moved(draft, kominfo_admin)
    previous = submission.status

    result = service.submission_withdraw(submission=submission, by=staff_dinkes, reason="  Digabung ke usulan lain. ")

    assert result.status == Status.WITHDRAWN
    assert result.version == submission.version + 1
    event = result.events.last()
    assert (event.action, event.from_status, event.note) == (Action.WITHDRAWN, previous, "Digabung ke usulan lain.")


@pytest.mark.parametrize("move", [approved, rejected])
def test_a_decided_submission_cannot_be_withdrawn(draft, staff_dinkes, kominfo_admin, move):
    decided = move(draft, kominfo_admin)
    before = Submission.objects.get(pk=draft.pk)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        service.submission_withdraw(submission=decided, by=staff_dinkes)
    assert raised.value.code == "illegal_transition"
    with translation.override("en"):
        assert "withdraw" in raised.value.messages[0]
    assert unchanged(draft, before)


def test_a_withdrawn_submission_cannot_be_withdrawn_again(draft, staff_dinkes):
    gone = withdrawn(draft)
    with pytest.raises(ValidationError) as raised:
        service.submission_withdraw(submission=gone, by=staff_dinkes)
    assert raised.value.code == "illegal_transition"
    assert actions(gone).count(Action.WITHDRAWN) == 1


def test_a_draft_cannot_be_withdrawn(draft, staff_dinkes):
    before = Submission.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError) as raised:
        service.submission_withdraw(submission=draft, by=staff_dinkes)
    assert raised.value.code == "illegal_transition"
    assert unchanged(draft, before)


def test_staff_of_another_opd_cannot_withdraw(draft, staff_dlh):
    submitted = sent(draft)
    with pytest.raises(PermissionDenied):
        service.submission_withdraw(submission=submitted, by=staff_dlh)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_kominfo_cannot_withdraw_for_the_opd(draft, kominfo_admin):
    submitted = sent(draft)
    with pytest.raises(PermissionDenied):
        service.submission_withdraw(submission=submitted, by=kominfo_admin)


# --- Deleting a draft -------------------------------------------------------------------------------


def test_staff_delete_their_draft_with_its_history_and_files(
    draft, staff_dinkes, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    attachment = attachment_add(submission=draft, by=staff_dinkes, upload=SimpleUploadedFile("a.png", png_bytes()))
    Comment.objects.create(submission=draft, author=staff_dinkes, body="Catatan")
    stored = tmp_path / attachment.file.name

    with django_capture_on_commit_callbacks() as callbacks:
        service.submission_delete_draft(submission=draft, by=staff_dinkes)
    assert stored.exists()  # the file goes only once the deletion has committed
    for callback in callbacks:
        callback()

    assert not Submission.objects.filter(pk=draft.pk).exists()
    assert not SubmissionEvent.objects.exists() and not Comment.objects.exists()
    assert not Attachment.objects.exists() and not stored.exists()


@pytest.mark.parametrize("move", [sent, withdrawn])
def test_a_sent_submission_cannot_be_deleted(draft, staff_dinkes, move):
    moved = move(draft)
    with pytest.raises(ValidationError) as raised:
        service.submission_delete_draft(submission=moved, by=staff_dinkes)
    assert raised.value.code == "illegal_transition"
    assert Submission.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("who", ["staff_dlh", "kominfo_admin", "executive"])
def test_only_the_opd_staff_delete_a_draft(request, draft, who):
    with pytest.raises(PermissionDenied):
        service.submission_delete_draft(submission=draft, by=request.getfixturevalue(who))
    assert Submission.objects.filter(pk=draft.pk).exists()


# --- Review --------------------------------------------------------------------------------------


def test_starting_the_review_assigns_the_reviewer_when_nobody_has_it(draft, kominfo_admin):
    submitted = sent(draft)
    reviewed = service.submission_start_review(submission=submitted, by=kominfo_admin)

    assert reviewed.status == Status.IN_REVIEW
    assert reviewed.assigned_reviewer == kominfo_admin
    event = reviewed.events.last()
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        Action.REVIEW_STARTED,
        Status.SUBMITTED,
        Status.IN_REVIEW,
        kominfo_admin,
    )


def test_starting_the_review_keeps_an_existing_assignment(draft, kominfo_admin, other_admin):
    submitted = service.submission_assign(submission=sent(draft), by=kominfo_admin, reviewer=other_admin)
    reviewed = service.submission_start_review(submission=submitted, by=kominfo_admin)
    assert reviewed.assigned_reviewer == other_admin


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_can_start_a_review(request, draft, who):
    submitted = sent(draft)
    with pytest.raises(PermissionDenied):
        service.submission_start_review(submission=submitted, by=request.getfixturevalue(who))
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_review_cannot_start_on_a_draft_or_twice(draft, kominfo_admin):
    with pytest.raises(ValidationError) as raised:
        service.submission_start_review(submission=draft, by=kominfo_admin)
    assert raised.value.code == "illegal_transition"
    reviewed = in_review(draft, kominfo_admin)
    with pytest.raises(ValidationError) as raised:
        service.submission_start_review(submission=reviewed, by=kominfo_admin)
    assert raised.value.code == "illegal_transition"
    assert actions(reviewed).count(Action.REVIEW_STARTED) == 1


DECISIONS = {
    "request_revision": (service.submission_request_revision, Status.REVISION_REQUESTED, Action.REVISION_REQUESTED),
    "approve": (service.submission_approve, Status.APPROVED, Action.APPROVED),
    "reject": (service.submission_reject, Status.REJECTED, Action.REJECTED),
}


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("reviewing", [False, True], ids=["submitted", "in_review"])
def test_kominfo_decides_a_submission_awaiting_review(draft, kominfo_admin, decision, reviewing):
    decide, status, action = DECISIONS[decision]
    submission = in_review(draft, kominfo_admin) if reviewing else sent(draft)
    previous = submission.status

    result = decide(
        submission=submission, by=kominfo_admin, reason="  Alasan keputusan.  ", expected_version=submission.version
    )

    result.refresh_from_db()
    assert result.status == status
    assert (result.decided_by, result.decision_reason) == (kominfo_admin, "Alasan keputusan.")
    assert result.decided_at is not None
    assert result.version == submission.version + 1
    event = result.events.last()
    assert (event.action, event.from_status, event.to_status, event.note) == (
        action,
        previous,
        status,
        "Alasan keputusan.",
    )


def test_the_decider_becomes_the_reviewer_when_nobody_was(draft, kominfo_admin, other_admin):
    assert service.submission_approve(submission=sent(draft), by=kominfo_admin).assigned_reviewer == kominfo_admin
    other = SubmissionFactory(opd=draft.opd, created_by=draft.created_by)
    assigned = service.submission_assign(submission=sent(other), by=kominfo_admin, reviewer=other_admin)
    decided = service.submission_reject(submission=assigned, by=kominfo_admin, reason="Duplikat")
    assert decided.assigned_reviewer == other_admin


def test_approving_needs_no_reason(draft, kominfo_admin):
    assert service.submission_approve(submission=sent(draft), by=kominfo_admin).status == Status.APPROVED


@pytest.mark.parametrize("decision", ["request_revision", "reject"])
@pytest.mark.parametrize("reason", ["", "   \n  ", None])
def test_revision_and_rejection_need_a_reason(draft, kominfo_admin, decision, reason):
    decide = DECISIONS[decision][0]
    submitted = sent(draft)
    before = Submission.objects.get(pk=draft.pk)

    with pytest.raises(ValidationError) as raised:
        decide(submission=submitted, by=kominfo_admin, reason=reason)

    assert "reason" in raised.value.message_dict
    assert unchanged(draft, before)
    assert actions(draft) == [Action.SUBMITTED]


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_draft_cannot_be_decided(draft, kominfo_admin, decision):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        DECISIONS[decision][0](submission=draft, by=kominfo_admin, reason="Alasan")
    assert raised.value.code == "illegal_transition"
    with translation.override("en"):
        assert "Draft" in raised.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.decided_by is None


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("first", [approved, rejected])
def test_a_decided_submission_cannot_be_decided_again_and_says_who_decided(
    draft, kominfo_admin, other_admin, decision, first
):
    decided = first(draft, kominfo_admin)
    before = Submission.objects.get(pk=draft.pk)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        DECISIONS[decision][0](submission=decided, by=other_admin, reason="Terlambat")

    assert raised.value.code == "already_decided"
    assert "Admin Kominfo" in raised.value.messages[0]
    assert unchanged(draft, before)
    assert Submission.objects.get(pk=draft.pk).decided_by == kominfo_admin


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_returned_or_withdrawn_submission_cannot_be_decided(draft, kominfo_admin, decision):
    returned = returned_for_revision(draft, kominfo_admin)
    with pytest.raises(ValidationError) as raised:
        DECISIONS[decision][0](submission=returned, by=kominfo_admin, reason="Alasan")
    assert raised.value.code == "illegal_transition"

    gone = service.submission_withdraw(submission=returned, by=draft.created_by)
    with pytest.raises(ValidationError) as raised:
        DECISIONS[decision][0](submission=gone, by=kominfo_admin, reason="Alasan")
    assert raised.value.code == "illegal_transition"


@pytest.mark.parametrize("decision", DECISIONS)
@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_can_decide(request, draft, decision, who):
    submitted = sent(draft)
    with pytest.raises(PermissionDenied):
        DECISIONS[decision][0](submission=submitted, by=request.getfixturevalue(who), reason="Alasan")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_decision_on_a_stale_page_is_refused(draft, kominfo_admin, other_admin):
    submitted = sent(draft)
    opened_version = submitted.version
    service.submission_start_review(submission=submitted, by=other_admin)

    with pytest.raises(ValidationError) as raised:
        service.submission_approve(submission=submitted, by=kominfo_admin, expected_version=opened_version)

    assert raised.value.code == "stale"
    assert Submission.objects.get(pk=draft.pk).status == Status.IN_REVIEW


def test_a_superuser_counts_as_a_kominfo_admin(draft):
    root = UserFactory(username="root", role="", is_superuser=True, is_staff=True)
    assert service.submission_approve(submission=sent(draft), by=root).decided_by == root


# --- Assigning a reviewer --------------------------------------------------------------------------


def test_assigning_a_reviewer_records_who_and_bumps_the_version(draft, kominfo_admin, other_admin):
    submitted = sent(draft)
    result = service.submission_assign(submission=submitted, by=kominfo_admin, reviewer=other_admin)

    assert result.assigned_reviewer == other_admin
    assert result.version == submitted.version + 1
    event = result.events.last()
    assert (event.action, event.actor, event.note) == (Action.ASSIGNED, kominfo_admin, "Budi Penelaah")


def test_assigning_the_same_reviewer_again_changes_nothing(draft, kominfo_admin, other_admin):
    first = service.submission_assign(submission=sent(draft), by=kominfo_admin, reviewer=other_admin)
    again = service.submission_assign(submission=first, by=kominfo_admin, reviewer=other_admin)
    assert again.version == first.version
    assert actions(draft).count(Action.ASSIGNED) == 1


def test_a_reviewer_can_be_removed(draft, kominfo_admin):
    reviewed = in_review(draft, kominfo_admin)
    result = service.submission_assign(submission=reviewed, by=kominfo_admin, reviewer=None)
    assert result.assigned_reviewer is None
    assert result.events.last().action == Action.ASSIGNED


@pytest.mark.parametrize("reviewer", ["staff_dinkes", "executive", "inactive_admin"])
def test_only_an_active_kominfo_admin_can_be_assigned(request, draft, kominfo_admin, reviewer):
    if reviewer == "inactive_admin":
        candidate = UserFactory(username="admin.pensiun", role=Role.KOMINFO_ADMIN, is_active=False)
    else:
        candidate = request.getfixturevalue(reviewer)
    submitted = sent(draft)
    with pytest.raises(ValidationError) as raised:
        service.submission_assign(submission=submitted, by=kominfo_admin, reviewer=candidate)
    assert "reviewer" in raised.value.message_dict
    submitted.refresh_from_db()
    assert submitted.assigned_reviewer is None


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_assigns_reviewers(request, draft, kominfo_admin, who):
    with pytest.raises(PermissionDenied):
        service.submission_assign(submission=sent(draft), by=request.getfixturevalue(who), reviewer=kominfo_admin)


@pytest.mark.parametrize("move", ["draft", "approved", "rejected", "withdrawn"])
def test_only_an_undecided_sent_submission_gets_a_reviewer(draft, kominfo_admin, other_admin, move):
    # Was a bug: no status check, so a draft (which Kominfo may not see) or a closed submission could be assigned.
    closed = {
        "draft": lambda: draft,
        "approved": lambda: approved(draft, kominfo_admin),
        "rejected": lambda: rejected(draft, kominfo_admin),
        "withdrawn": lambda: withdrawn(draft),
    }[move]()
    before = Submission.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError) as raised:
        service.submission_assign(submission=closed, by=kominfo_admin, reviewer=other_admin)
    assert raised.value.code == "illegal_transition"
    assert unchanged(draft, before)
    assert Submission.objects.get(pk=draft.pk).assigned_reviewer_id == before.assigned_reviewer_id


# --- History: events and snapshots ----------------------------------------------------------------


def test_every_change_of_a_full_life_is_recorded_in_order(staff_dinkes, kominfo_admin, pillars):
    draft = service.submission_create(by=staff_dinkes, data={"kind": "inovasi", "title": "Sistem rujukan"})
    complete = {
        name: getattr(SubmissionFactory.build(opd=staff_dinkes.opd, created_by=staff_dinkes), name)
        for name in Submission.CONTENT_FIELDS
        if name not in ("kind", "title")
    }
    draft = service.submission_update(submission=draft, by=staff_dinkes, data=complete, expected_version=1)
    draft = service.submission_submit(submission=draft, by=staff_dinkes)
    draft = service.submission_start_review(submission=draft, by=kominfo_admin)
    draft = service.submission_request_revision(submission=draft, by=kominfo_admin, reason="Perjelas indikator")
    draft = service.submission_update(
        submission=draft, by=staff_dinkes, data={"indicator": "Indikator jelas"}, expected_version=draft.version
    )
    draft = service.submission_submit(submission=draft, by=staff_dinkes)
    draft = service.submission_approve(submission=draft, by=kominfo_admin)

    rows = list(draft.events.values_list("action", "from_status", "to_status"))
    assert rows == [
        (Action.CREATED, "", Status.DRAFT),
        (Action.EDITED, "", Status.DRAFT),
        (Action.SUBMITTED, Status.DRAFT, Status.SUBMITTED),
        (Action.REVIEW_STARTED, Status.SUBMITTED, Status.IN_REVIEW),
        (Action.REVISION_REQUESTED, Status.IN_REVIEW, Status.REVISION_REQUESTED),
        (Action.EDITED, "", Status.REVISION_REQUESTED),
        (Action.RESUBMITTED, Status.REVISION_REQUESTED, Status.SUBMITTED),
        (Action.APPROVED, Status.SUBMITTED, Status.APPROVED),
    ]
    assert draft.version == 8
    revisions = list(revisions_of(draft))
    assert [revision.action for revision in revisions] == [Action.CREATED, Action.EDITED, Action.EDITED]
    assert revisions[0].snapshot["indicator"] == ""
    assert revisions[1].snapshot["indicator"] == complete["indicator"]
    assert revisions[2].snapshot == snapshot_of(draft)
    assert revisions[2].changed_fields == ["indicator"]


# --- Mail after commit -------------------------------------------------------------------------------


def test_kominfo_admins_are_mailed_only_after_the_send_commits(
    draft, kominfo_admin, other_admin, staff_dlh, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(username="admin.nonaktif", role=Role.KOMINFO_ADMIN, is_active=False)
    UserFactory(username="admin.tanpa.surel", role=Role.KOMINFO_ADMIN, email="")

    with django_capture_on_commit_callbacks() as callbacks:
        submitted = sent(draft)
    assert mailoutbox == []  # nothing before the commit

    for callback in callbacks:
        callback()
    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        [kominfo_admin.email, other_admin.email]
    )
    assert all(submitted.reference in message.subject for message in mailoutbox)
    assert all(f"/usulan/{submitted.pk}/" in message.body for message in mailoutbox)


def test_a_rolled_back_send_mails_nobody(draft, kominfo_admin, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        sent(draft)
        raise RuntimeError("something after the send failed")
    assert mailoutbox == []
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.reference is None


def test_a_resend_after_revision_mails_kominfo_with_a_different_subject(
    draft, kominfo_admin, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        returned = returned_for_revision(draft, kominfo_admin)
    first_subject = next(message.subject for message in mailoutbox if kominfo_admin.email in message.to)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        service.submission_submit(submission=returned, by=draft.created_by)

    assert [message.to for message in mailoutbox] == [[kominfo_admin.email]]
    assert returned.reference in mailoutbox[0].subject
    assert mailoutbox[0].subject != first_subject


@pytest.mark.parametrize("decision", DECISIONS)
def test_the_opd_staff_are_mailed_about_each_decision(
    draft, staff_dinkes, staff_dlh, kominfo_admin, decision, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="staf.dinkes.2", role=Role.OPD_STAFF, opd=staff_dinkes.opd)
    UserFactory(username="staf.dinkes.lama", role=Role.OPD_STAFF, opd=staff_dinkes.opd, is_active=False)
    submitted = sent(draft)

    with django_capture_on_commit_callbacks() as callbacks:
        DECISIONS[decision][0](submission=submitted, by=kominfo_admin, reason="Alasan untuk OPD")
    assert mailoutbox == []
    for callback in callbacks:
        callback()

    assert sorted(address for message in mailoutbox for address in message.to) == sorted(
        [staff_dinkes.email, colleague.email]
    )
    assert all("Alasan untuk OPD" in message.body for message in mailoutbox)


def test_starting_a_review_or_assigning_mails_nobody(
    draft, kominfo_admin, other_admin, mailoutbox, django_capture_on_commit_callbacks
):
    submitted = sent(draft)
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = service.submission_start_review(submission=submitted, by=kominfo_admin)
        service.submission_assign(submission=reviewed, by=kominfo_admin, reviewer=other_admin)
    assert mailoutbox == []


def test_a_mail_failure_on_send_keeps_the_submission_sent(
    draft, kominfo_admin, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.opd.test_submission_services.BrokenBackend"
    with (
        caplog.at_level(logging.ERROR, logger="opd.services.notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        submitted = sent(draft)

    assert len(callbacks) == 1
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED and submitted.reference
    assert actions(submitted) == [Action.SUBMITTED]
    assert "notify_kominfo_submitted" in caplog.text and "SMTP server unreachable" in caplog.text


@pytest.mark.parametrize("decision", DECISIONS)
def test_a_mail_failure_on_a_decision_keeps_the_decision(
    draft, kominfo_admin, decision, settings, caplog, django_capture_on_commit_callbacks
):
    submitted = sent(draft)
    settings.EMAIL_BACKEND = "tests.opd.test_submission_services.BrokenBackend"
    with (
        caplog.at_level(logging.ERROR, logger="opd.services.notifications"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        DECISIONS[decision][0](submission=submitted, by=kominfo_admin, reason="Alasan")

    assert len(callbacks) == 1
    submitted.refresh_from_db()
    assert submitted.status == DECISIONS[decision][1]
    assert submitted.events.last().action == DECISIONS[decision][2]
    assert "notify_opd_decision" in caplog.text
