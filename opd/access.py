"""Who may do what with submissions: the predicates views, services, selectors and templates ask, and the loaders.

An OPD's staff read their OPD's submissions and change them while they are theirs to change; Kominfo admins
and the Bupati's office read every sent submission; Kominfo admins review and decide. The predicates are
pure (no queries) and answer for the submission as given: a page asks them about the row it loaded, a
service asks them again about the row it has locked. `submissions_visible_to` is the one place that
decides who sees which submission; the loaders answer 404 for anything outside it.
"""

from django.http import Http404

from core.access import has_a_role, is_kominfo_admin, is_opd_staff, reads_every_opd
from core.models import SecurityEvent
from core.security import security_event_record
from core.workflow import AWAITING_REVIEW_STATUSES, EDITABLE_STATUSES
from opd.models import Attachment, Opd, Submission, SubmissionExport, SubmissionStatus, User

Status = SubmissionStatus
# Sent and not decided yet: the OPD may still withdraw it and Kominfo may still assign a reviewer.
WITHDRAWABLE_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.REVISION_REQUESTED)
# Related rows a submission's pages show.
SUBMISSION_RELATED = ("opd", "pillar", "element", "assigned_reviewer", "created_by", "decided_by")


# --- What a role may do, whatever the submission -------------------------------------------------------


def can_read_submissions(user: User) -> bool:
    """Return whether the user reads submissions at all (every role: OPD staff their own OPD's only)."""
    return has_a_role(user)


def can_prepare_submissions(user: User) -> bool:
    """Return whether the user writes, attaches, sends and withdraws submissions (OPD staff, for their own OPD)."""
    return is_opd_staff(user)


def can_change_submissions(user: User) -> bool:
    """Return whether the user's role changes submissions at all (OPD staff and Kominfo; the Bupati only reads)."""
    return is_opd_staff(user) or is_kominfo_admin(user)


def can_review(user: User) -> bool:
    """Return whether the user reviews submissions (Kominfo admins)."""
    return is_kominfo_admin(user)


def can_use_internal_notes(user: User) -> bool:
    """Return whether the user reads and writes Kominfo's internal notes (Kominfo admins)."""
    return can_review(user)


def can_export_submissions(user: User) -> bool:
    """Return whether the user may export the submission list (every role that reads it)."""
    return is_opd_staff(user) or reads_every_opd(user)


# --- What a person may do with one submission -------------------------------------------------------------


def works_for_submitting_opd(user: User, submission: Submission) -> bool:
    """Return whether the user is staff of the OPD the submission belongs to."""
    return is_opd_staff(user) and user.opd_id == submission.opd_id


def can_read_submission(user: User, submission: Submission) -> bool:
    """Return whether the user may read the submission: its OPD's staff always, Kominfo and the Bupati once sent."""
    return works_for_submitting_opd(user, submission) or (reads_every_opd(user) and submission.reference is not None)


def can_edit_submission(user: User, submission: Submission) -> bool:
    """Return whether the user may change the content and attachments: its OPD's staff, while draft or returned."""
    return works_for_submitting_opd(user, submission) and submission.status in EDITABLE_STATUSES


def can_send_submission(user: User, submission: Submission) -> bool:
    """Return whether the user may send the submission to Kominfo (whenever they may edit it)."""
    return can_edit_submission(user, submission)


def can_withdraw_submission(user: User, submission: Submission) -> bool:
    """Return whether the user may withdraw the submission: its OPD's staff, once sent and until decided."""
    return works_for_submitting_opd(user, submission) and submission.status in WITHDRAWABLE_STATUSES


def can_delete_draft(user: User, submission: Submission) -> bool:
    """Return whether the user may delete the submission: its OPD's staff, while it is a draft never sent."""
    return (
        works_for_submitting_opd(user, submission)
        and submission.status == Status.DRAFT
        and submission.reference is None
    )


def can_review_submission(user: User, submission: Submission) -> bool:
    """Return whether the user may start reviewing the submission: Kominfo, once it is sent and not yet taken up."""
    return can_review(user) and submission.status == Status.SUBMITTED


def can_decide_submission(user: User, submission: Submission) -> bool:
    """Return whether the user may approve, reject or return the submission: Kominfo, while it awaits review."""
    return can_review(user) and submission.status in AWAITING_REVIEW_STATUSES


def can_assign_reviewer(user: User, submission: Submission) -> bool:
    """Return whether the user may choose the submission's reviewer: Kominfo, once sent and until decided."""
    return can_review(user) and submission.status in WITHDRAWABLE_STATUSES


def can_comment(user: User, submission: Submission) -> bool:
    """Return whether the user may comment: its OPD's staff always, Kominfo once it is sent."""
    return works_for_submitting_opd(user, submission) or (can_review(user) and submission.reference is not None)


def submission_permissions(user: User, submission: Submission) -> dict[str, bool]:
    """Return what the user may do with the submission, as the `can` flags of its templates."""
    return {
        "edit": can_edit_submission(user, submission),
        "send": can_send_submission(user, submission),
        "withdraw": can_withdraw_submission(user, submission),
        "delete_draft": can_delete_draft(user, submission),
        "review": can_review_submission(user, submission),
        "decide": can_decide_submission(user, submission),
        "assign": can_assign_reviewer(user, submission),
        "comment": can_comment(user, submission),
        "internal_notes": can_use_internal_notes(user),
    }


# --- Which submissions a person sees, and the loaders -------------------------------------------------------


def submissions_visible_to(user: User):
    """Return the submissions the user may see: their OPD's for staff; all sent ones for Kominfo and the Bupati."""
    queryset = Submission.objects.all()
    if is_opd_staff(user):
        return queryset.filter(opd_id=user.opd_id)
    if reads_every_opd(user):
        # A draft is the OPD's own working copy until it is sent.
        return queryset.filter(reference__isnull=False)
    return queryset.none()


def access_submission(user: User, pk, *, write: bool = False) -> Submission:
    """Return a submission the user may see (and, with write, whose role changes submissions), else answer 404."""
    if write and not can_change_submissions(user):
        _log_refusal(user, f"opd.Submission #{pk}", "submission_write")
        raise Http404
    try:
        return submissions_visible_to(user).select_related(*SUBMISSION_RELATED).get(pk=pk)
    except (Submission.DoesNotExist, ValueError, TypeError):
        _log_refusal(user, f"opd.Submission #{pk}", "submission_read")
        raise Http404 from None


def access_attachment(user: User, submission_pk, pk, *, write: bool = False) -> Attachment:
    """Return an attachment of a submission the user may see (see access_submission), else answer 404."""
    submission = access_submission(user, submission_pk, write=write)
    try:
        return submission.attachments.get(pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def can_use_export(user: User, export: SubmissionExport) -> bool:
    """Return whether the user may follow, download or repeat an export: only the person who requested it."""
    return user.is_authenticated and export.requested_by_id == user.pk


def exports_visible_to(user: User):
    """Return the exports the user may see (their own, even to an admin), newest first."""
    return SubmissionExport.objects.filter(requested_by_id=user.pk)


def access_submission_export(user: User, pk) -> SubmissionExport:
    """Return an export of the submission list the user requested; anyone else's (even to an admin) is a 404."""
    try:
        return exports_visible_to(user).get(pk=pk)
    except (SubmissionExport.DoesNotExist, ValueError, TypeError):
        _log_refusal(user, f"opd.SubmissionExport #{pk}", "submission_export_read")
        raise Http404 from None


# --- OPDs and accounts: Kominfo's pages (the Django admin is for the superuser only) ----------------------


def can_manage_accounts(user: User) -> bool:
    """Return whether the user lists OPDs and accounts, adds operators and imports the OPD list (Kominfo only)."""
    return is_kominfo_admin(user)


def can_add_operator(user: User, opd: Opd) -> bool:
    """Return whether the user may add an operator account to the OPD: Kominfo, for an active OPD."""
    return can_manage_accounts(user) and opd.is_active


def can_change_account(user: User, account: User) -> bool:
    """Return whether the user may change someone's account: Kominfo, never their own nor a superuser's."""
    return can_manage_accounts(user) and account.pk != user.pk and not account.is_superuser


def can_deactivate_account(user: User, account: User) -> bool:
    """Return whether the user may deactivate the account (an active one they may change)."""
    return can_change_account(user, account) and account.is_active


def can_activate_account(user: User, account: User) -> bool:
    """Return whether the user may activate the account again (an inactive one they may change)."""
    return can_change_account(user, account) and not account.is_active


def can_reset_password(user: User, account: User) -> bool:
    """Return whether the user may void the account's password and make a new one-time link (an active account)."""
    return can_change_account(user, account) and account.is_active


def can_unlock_account(user: User, account: User) -> bool:
    """Return whether the user may lift a lockout after failed logins (any account they may change)."""
    return can_change_account(user, account)


def account_permissions(user: User, account: User) -> dict[str, bool]:
    """Return what the user may do with the account, as the `can` flags of its page."""
    return {
        "deactivate": can_deactivate_account(user, account),
        "activate": can_activate_account(user, account),
        "reset_password": can_reset_password(user, account),
        "unlock": can_unlock_account(user, account),
    }


def access_opd(user: User, pk) -> Opd:
    """Return an OPD for someone who manages accounts, else answer 404."""
    if not can_manage_accounts(user):
        _log_refusal(user, f"opd.Opd #{pk}", "opd_read")
        raise Http404
    try:
        return Opd.objects.get(pk=pk)
    except (Opd.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def access_account(user: User, pk) -> User:
    """Return an account for someone who manages accounts, else answer 404."""
    if not can_manage_accounts(user):
        _log_refusal(user, f"opd.User #{pk}", "account_read")
        raise Http404
    try:
        return User.objects.select_related("opd").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def _log_refusal(user: User, what: str, action: str) -> None:
    """Write to the security log that the user asked for an object outside their reach (or none at all)."""
    security_event_record(kind=SecurityEvent.Kind.NOT_VISIBLE, user=user, action=action, detail=what)
