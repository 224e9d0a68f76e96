"""Submissions: drafting, editing, sending, withdrawing, and Kominfo's review decisions.

Every state change runs in one transaction with the row locked, checks the transition, bumps the
version (the optimistic lock for stale forms), records a SubmissionEvent, and sends mail after commit.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workflow
from core.models import SecurityEvent
from core.security import security_event_record
from opd import access
from opd.models import ReferenceCounter, Submission, SubmissionEvent, SubmissionStatus, User
from opd.panels import decision_notes_for
from opd.quick_wins import quick_win_error
from opd.services import notifications

Status = SubmissionStatus
Action = SubmissionEvent.Action
SECURITY_KIND = SecurityEvent.Kind.SUBMISSION_CHANGED


def snapshot_of(submission: Submission) -> dict:
    """Return the content fields of a submission as JSON-ready values (foreign keys as ids)."""
    data = {}
    for name in Submission.CONTENT_FIELDS:
        field = Submission._meta.get_field(name)
        data[name] = getattr(submission, field.attname)
    return data


def _record(submission, *, by, action, from_status="", note="", snapshot=None, changed=()):
    security_event_record(kind=SECURITY_KIND, user=by, target=submission, action=action, detail=submission.status)
    return SubmissionEvent.objects.create(
        submission=submission,
        actor=by,
        action=action,
        from_status=from_status,
        to_status=submission.status,
        note=note,
        snapshot=snapshot,
        changed_fields=list(changed),
    )


_locked = workflow.lock


def _check_version(locked: Submission, expected_version: int | None) -> None:
    workflow.check_version(
        locked,
        expected_version,
        message=_(
            "This submission was changed by someone else (or in another tab) since you opened it. "
            "Nothing was saved: reload the page to see the latest version, then make your change again."
        ),
    )


def _check_staff_of(submission: Submission, user: User) -> None:
    if not access.works_for_submitting_opd(user, submission):
        raise PermissionDenied(_("Only staff of the submitting OPD may do this."))


def _check_reviewer(user: User) -> None:
    if not access.can_review(user):
        raise PermissionDenied(_("Only Kominfo admins may review submissions."))


def _refuse_transition(locked: Submission, action_label: str):
    message = _("Cannot %(action)s: the submission is now “%(status)s”.")
    workflow.refuse_transition(locked, message=message, action=action_label)


def submission_missing_fields(submission: Submission) -> list[str]:
    """Return the labels of the fields a submission still needs before it can be sent."""
    missing = []
    for name in Submission.REQUIRED_TO_SUBMIT:
        field = Submission._meta.get_field(name)
        if getattr(submission, field.attname) in (None, ""):
            missing.append(str(field.verbose_name))
    return missing


def submission_content_errors(submission: Submission) -> dict[str, list[str]]:
    """Return the errors that stop a submission being sent, by field name."""
    errors: dict[str, list[str]] = {}
    for name in Submission.REQUIRED_TO_SUBMIT:
        field = Submission._meta.get_field(name)
        if getattr(submission, field.attname) in (None, ""):
            errors.setdefault(name, []).append(_("Fill in “%(field)s” before sending.") % {"field": field.verbose_name})
    if submission.element_id and submission.pillar_id and submission.element.pillar_id != submission.pillar_id:
        errors.setdefault("element", []).append(_("The element does not belong to the chosen pillar."))
    if submission.start_year and submission.end_year and submission.end_year < submission.start_year:
        errors.setdefault("end_year", []).append(_("The end year cannot be before the start year."))
    late = quick_win_error(submission.horizon, submission.start_year, submission.end_year)
    if late:
        errors.setdefault("horizon", []).append(late)
    return errors


@transaction.atomic
def submission_create(*, by: User, data: dict) -> Submission:
    """Create a draft for the user's own OPD from cleaned form data."""
    if not access.can_prepare_submissions(by):
        raise PermissionDenied(_("Only OPD staff can create submissions."))
    submission = Submission(opd_id=by.opd_id, created_by=by, **data)
    submission.full_clean(exclude=["reference"])
    submission.save()
    _record(submission, by=by, action=Action.CREATED, snapshot=snapshot_of(submission), changed=data.keys())
    return submission


@transaction.atomic
def submission_update(*, submission: Submission, by: User, data: dict, expected_version: int) -> Submission:
    """Save new content on a draft or a submission returned for revision; refuse a stale form."""
    locked = _locked(submission)
    _check_staff_of(locked, by)
    _check_version(locked, expected_version)
    if not access.can_edit_submission(by, locked):
        _refuse_transition(locked, _("edit"))
    before = snapshot_of(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    after = snapshot_of(locked)
    changed = [name for name in Submission.CONTENT_FIELDS if before[name] != after[name]]
    if not changed:
        return locked
    locked.full_clean(exclude=["reference"])
    locked.version = F("version") + 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    locked.refresh_from_db()
    _record(locked, by=by, action=Action.EDITED, snapshot=after, changed=changed)
    return locked


def _next_reference(year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"SC-{year}-{counter.last_number:04d}"


@transaction.atomic
def submission_submit(*, submission: Submission, by: User, expected_version: int | None = None) -> Submission:
    """Send a complete draft (or a revised submission) to Kominfo for review."""
    locked = _locked(submission)
    _check_staff_of(locked, by)
    _check_version(locked, expected_version)
    if not access.can_send_submission(by, locked):
        _refuse_transition(locked, _("send"))
    errors = submission_content_errors(locked)
    if errors:
        raise ValidationError(errors)
    previous = locked.status
    now = timezone.now()
    fields = ["status", "last_submitted_at", "version", "updated_at"]
    if locked.reference is None:
        locked.reference = _next_reference(timezone.localdate(now).year)
        locked.submitted_at = now
        fields += ["reference", "submitted_at"]
    locked.status = Status.SUBMITTED
    locked.last_submitted_at = now
    locked.version = F("version") + 1
    locked.save(update_fields=fields)
    locked.refresh_from_db()
    resubmitted = previous == Status.REVISION_REQUESTED
    _record(locked, by=by, action=Action.RESUBMITTED if resubmitted else Action.SUBMITTED, from_status=previous)
    notifications.after_commit(notifications.notify_kominfo_submitted, locked.pk, resubmitted)
    return locked


@transaction.atomic
def submission_withdraw(*, submission: Submission, by: User, reason: str = "") -> Submission:
    """Withdraw a sent submission that Kominfo has not decided yet (a draft is deleted instead)."""
    locked = _locked(submission)
    _check_staff_of(locked, by)
    if not access.can_withdraw_submission(by, locked):
        _refuse_transition(locked, _("withdraw"))
    return _move(locked, by=by, to=Status.WITHDRAWN, action=Action.WITHDRAWN, note=reason.strip())


@transaction.atomic
def submission_delete_draft(*, submission: Submission, by: User) -> None:
    """Delete a draft that was never sent, with its attachments' files once the deletion commits."""
    locked = _locked(submission)
    _check_staff_of(locked, by)
    if not access.can_delete_draft(by, locked):
        _refuse_transition(locked, _("delete"))
    files = [(attachment.file.storage, attachment.file.name) for attachment in locked.attachments.all()]
    security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="draft_deleted")
    locked.delete()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])


def _move(locked: Submission, *, by: User, to: str, action: str, note: str = "", extra_fields: Iterable[str] = ()):
    return workflow.move(locked, by=by, to=to, action=action, record=_record, note=note, extra_fields=extra_fields)


@transaction.atomic
def submission_start_review(*, submission: Submission, by: User) -> Submission:
    """Mark a submitted submission as being reviewed, assigning it to the reviewer if nobody has it."""
    _check_reviewer(by)
    locked = _locked(submission)
    if not access.can_review_submission(by, locked):
        _refuse_transition(locked, _("start the review"))
    extra = []
    if locked.assigned_reviewer_id is None:
        locked.assigned_reviewer = by
        extra.append("assigned_reviewer")
    return _move(locked, by=by, to=Status.IN_REVIEW, action=Action.REVIEW_STARTED, extra_fields=extra)


def _decide(*, submission, by, decision: workflow.Decision, reason: str = "", expected_version=None):
    _check_reviewer(by)
    reason = workflow.clean_reason(reason, required=decision.reason_required)
    locked = _locked(submission)
    if not access.can_decide_submission(by, locked):
        if locked.decided_by_id and locked.status in workflow.DECIDED_STATUSES:
            raise ValidationError(
                workflow.already_decided_message(locked, label=decision.label), code="already_decided"
            )
        _refuse_transition(locked, decision.label)
    _check_version(locked, expected_version)
    extra = []
    if locked.assigned_reviewer_id is None:
        locked.assigned_reviewer = by
        extra.append("assigned_reviewer")
    # What apps above opd want on record with the decision (e.g. the overlap warning the OPD was shown).
    note = "\n".join([reason, *decision_notes_for(locked)]).strip()
    locked = workflow.decide(
        locked,
        by=by,
        to=decision.to,
        action=decision.action,
        reason=reason,
        note=note,
        record=_record,
        extra_fields=extra,
    )
    notifications.after_commit(notifications.notify_opd_decision, locked.pk)
    return locked


submission_request_revision = workflow.decision_service(
    _decide, workflow.REQUEST_REVISION, doc="Return a submission to its OPD with what to change."
)
submission_approve = workflow.decision_service(
    _decide, workflow.APPROVE, doc="Approve a submission so it can feed the masterplan."
)
submission_reject = workflow.decision_service(
    _decide, workflow.REJECT, doc="Reject a submission, with the reason the OPD will read."
)


@transaction.atomic
def submission_assign(*, submission: Submission, by: User, reviewer: User | None) -> Submission:
    """Assign the submission to a Kominfo reviewer (or to nobody)."""
    _check_reviewer(by)
    if reviewer is not None and not (reviewer.is_active and access.can_review(reviewer)):
        raise ValidationError({"reviewer": _("Choose an active Kominfo admin.")})
    locked = _locked(submission)
    if not access.can_assign_reviewer(by, locked):
        _refuse_transition(locked, _("change the reviewer"))
    if locked.assigned_reviewer_id == (reviewer.pk if reviewer else None):
        return locked
    locked.assigned_reviewer = reviewer
    locked.version = F("version") + 1
    locked.save(update_fields=["assigned_reviewer", "version", "updated_at"])
    locked.refresh_from_db()
    name = (reviewer.get_full_name() or reviewer.username) if reviewer else _("nobody")
    _record(locked, by=by, action=Action.ASSIGNED, note=name)
    return locked
