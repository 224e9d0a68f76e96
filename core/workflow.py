"""The review workflow shared by what an OPD sends to Kominfo (submissions, programme reports).

Draft → sent → (in review) → revision requested → sent again → approved or rejected. A thing that follows
it is a model with `status` (core.models.ReviewStatus), `version` (the optimistic lock every write bumps),
`updated_at` and the decision fields `decided_by`, `decided_at` and `decision_reason`; its history is a
concrete core.models.ReviewEvent and its thread a concrete core.models.ReviewComment. The app's services
check who may do what and call these inside their transaction: the lock, the stale-form check, the move
with its recorded event, the decision and the comment's validation are written once, here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import ReviewComment, ReviewStatus

Status = ReviewStatus
EDITABLE_STATUSES = (Status.DRAFT, Status.REVISION_REQUESTED)
AWAITING_REVIEW_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW)
DECIDED_STATUSES = (Status.APPROVED, Status.REJECTED)
MAX_COMMENT_LENGTH = 5000

# record(locked, *, by, action, from_status, note) writes the event (and the security log line) of one step.
Recorder = Callable[..., object]


@dataclass(frozen=True)
class Decision:
    """One of Kominfo's decisions: the status it moves to, the action it records, whether the OPD must be told why,
    and the verb a refusal names (“Cannot approve: …”)."""

    to: str
    action: str
    reason_required: bool
    label: str


REQUEST_REVISION = Decision(Status.REVISION_REQUESTED, "revision_requested", True, gettext_lazy("request a revision"))
APPROVE = Decision(Status.APPROVED, "approved", False, gettext_lazy("approve"))
REJECT = Decision(Status.REJECTED, "rejected", True, gettext_lazy("reject"))


class ReviewQuerySet(models.QuerySet):
    def awaiting_review(self):
        """Return the rows sent and not decided yet: Kominfo's queue."""
        return self.filter(status__in=AWAITING_REVIEW_STATUSES)


def lock(row):
    """Return the row again, locked until the transaction ends."""
    return type(row).objects.select_for_update().get(pk=row.pk)


def check_version(locked, expected_version: int | None, *, message: str) -> None:
    """Refuse a form opened on an older version of the row (someone else changed it since)."""
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(message, code="stale")


def refuse_transition(locked, *, message: str, **params):
    """Raise the refusal of a step the row's current status does not allow; `message` names `%(status)s`."""
    raise ValidationError(message % {**params, "status": locked.get_status_display()}, code="illegal_transition")


def clean_reason(reason: str | None, *, required: bool) -> str:
    """Return the decision's reason stripped; refuse an empty one where the OPD must be told what to do."""
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError({"reason": _("Write the reason, so the OPD knows what to do.")}, code="reason_required")
    return reason


def move(locked, *, by, to: str, action: str, record: Recorder, note: str = "", extra_fields: Iterable[str] = ()):
    """Move the locked row to a new status, bump its version, save and record the step; return it fresh."""
    previous = locked.status
    locked.status = to
    locked.version = F("version") + 1
    locked.save(update_fields=["status", "version", "updated_at", *extra_fields])
    locked.refresh_from_db()
    record(locked, by=by, action=action, from_status=previous, note=note)
    return locked


def decide(
    locked,
    *,
    by,
    to: str,
    action: str,
    reason: str,
    record: Recorder,
    note: str | None = None,
    extra_fields: Iterable[str] = (),
):
    """Record Kominfo's decision (who, when, why) on the locked row and move it; return it fresh.

    The history records the reason, or `note` when the decision has more on record than the reason the OPD reads.
    """
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.decision_reason = reason
    extra = ["decided_by", "decided_at", "decision_reason", *extra_fields]
    note = reason if note is None else note
    return move(locked, by=by, to=to, action=action, record=record, note=note, extra_fields=extra)


def decision_service(decide: Callable[..., object], decision: Decision, *, doc: str) -> Callable[..., object]:
    """Return the service of one decision: the app's `decide(**keywords, decision=decision)` in one transaction.

    An app writes its checks once, in `decide`, and names each decision it offers with a line of its own.
    """

    @transaction.atomic
    def service(**keywords):
        return decide(**keywords, decision=decision)

    service.__doc__ = doc
    return service


def already_decided_message(locked, *, label: str) -> str:
    """Return why a second decision is refused: who decided what, and when."""
    return _("Cannot %(action)s: %(who)s already decided “%(status)s” at %(when)s.") % {
        "action": label,
        "who": locked.decided_by.get_full_name() or locked.decided_by.username,
        "status": locked.get_status_display(),
        "when": timezone.localtime(locked.decided_at).strftime("%d-%m-%Y %H:%M"),
    }


def clean_comment(body: str | None, visibility: str) -> tuple[str, str]:
    """Return a comment's body and visibility checked, or raise the error the writer reads."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the comment first.")})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"body": _("A comment can be at most %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH}}
        )
    if visibility not in ReviewComment.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read the comment.")})
    return body, visibility


@dataclass(frozen=True)
class Commenting:
    """Who writes in the comment thread (`row.comments`) of one kind of reviewed row."""

    may_comment: Callable[[object, object], bool]  # (user, row): whether the user writes in this row's thread
    reviewer: Callable[[object], bool]  # (user): Kominfo, who writes internal notes and sees a draft once it is sent
    outsider: str  # the refusal anyone else who may not comment reads


def comment_create(rules: Commenting, row, *, by, body: str | None, visibility: str):
    """Check a comment and add it to the row's thread; return it.

    Only a reviewer writes internal notes: anyone else always writes to the thread the OPD shares. A reviewer who may
    not comment is looking at a draft; anyone else who may not is refused with the rules' `outsider` message.
    """
    body, visibility = clean_comment(body, visibility)
    reviewer = rules.reviewer(by)
    if not rules.may_comment(by, row):
        if reviewer:
            raise ValidationError(_("Kominfo sees a draft only once it is sent."))
        raise PermissionDenied(str(rules.outsider))
    if not reviewer:
        visibility = ReviewComment.Visibility.OPD
    return row.comments.create(author=by, body=body, visibility=visibility)
