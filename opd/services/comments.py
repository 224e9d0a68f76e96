"""Comments on a submission: Kominfo's internal notes, feedback to the OPD, and the OPD's replies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from opd.models import Comment, Submission, SubmissionStatus, User

MAX_COMMENT_LENGTH = 5000


@transaction.atomic
def comment_add(*, submission: Submission, by: User, body: str, visibility: str = Comment.Visibility.OPD) -> Comment:
    """Add a comment; OPD staff always write to the shared thread, only Kominfo writes internal notes."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the comment first.")})
    if len(body) > MAX_COMMENT_LENGTH:
        raise ValidationError(
            {"body": _("A comment can be at most %(limit)d characters.") % {"limit": MAX_COMMENT_LENGTH}}
        )
    if visibility not in Comment.Visibility.values:
        raise ValidationError({"visibility": _("Choose who may read the comment.")})
    if by.is_opd_staff:
        if by.opd_id != submission.opd_id:
            raise PermissionDenied
        visibility = Comment.Visibility.OPD
    elif not by.is_kominfo_admin:
        raise PermissionDenied(_("The Bupati's office reads submissions but does not comment on them."))
    if submission.status == SubmissionStatus.DRAFT and not by.is_opd_staff:
        raise ValidationError(_("Kominfo sees a draft only once it is sent."))
    return Comment.objects.create(submission=submission, author=by, body=body, visibility=visibility)
