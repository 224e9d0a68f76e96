"""Comments on a submission: Kominfo's internal notes, feedback to the OPD, and the OPD's replies."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.workflow import MAX_COMMENT_LENGTH, clean_comment
from opd import access
from opd.models import Comment, Submission, User

__all__ = ["MAX_COMMENT_LENGTH", "comment_add"]


@transaction.atomic
def comment_add(*, submission: Submission, by: User, body: str, visibility: str = Comment.Visibility.OPD) -> Comment:
    """Add a comment; OPD staff always write to the shared thread, only Kominfo writes internal notes."""
    body, visibility = clean_comment(body, visibility)
    if not access.can_comment(by, submission):
        if access.can_review(by):
            raise ValidationError(_("Kominfo sees a draft only once it is sent."))
        raise PermissionDenied(_("Only the submitting OPD's staff and Kominfo comment on a submission."))
    if not access.can_use_internal_notes(by):
        visibility = Comment.Visibility.OPD
    return Comment.objects.create(submission=submission, author=by, body=body, visibility=visibility)
