"""Comments on a submission: Kominfo's internal notes, feedback to the OPD, and the OPD's replies."""

from django.db import transaction
from django.utils.translation import gettext_lazy

from core import workflow
from core.workflow import MAX_COMMENT_LENGTH
from opd import access
from opd.models import Comment, Submission, User

__all__ = ["MAX_COMMENT_LENGTH", "comment_add"]

COMMENTING = workflow.Commenting(
    may_comment=access.can_comment,
    reviewer=access.can_use_internal_notes,
    outsider=gettext_lazy("Only the submitting OPD's staff and Kominfo comment on a submission."),
)


@transaction.atomic
def comment_add(*, submission: Submission, by: User, body: str, visibility: str = Comment.Visibility.OPD) -> Comment:
    """Add a comment; OPD staff always write to the shared thread, only Kominfo writes internal notes."""
    return workflow.comment_create(COMMENTING, submission, by=by, body=body, visibility=visibility)
