from .accounts import Opd, User
from .exports import SubmissionExport
from .submissions import (
    Attachment,
    Comment,
    FundingSource,
    Horizon,
    Priority,
    ReferenceCounter,
    Submission,
    SubmissionEvent,
    SubmissionKind,
    SubmissionStatus,
)

__all__ = [
    "Attachment",
    "Comment",
    "FundingSource",
    "Horizon",
    "Opd",
    "Priority",
    "ReferenceCounter",
    "Submission",
    "SubmissionEvent",
    "SubmissionExport",
    "SubmissionKind",
    "SubmissionStatus",
    "User",
]
