"""Requests for the masterplan's PDF renderings, and the clean-up of renders whose worker vanished."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core.pdf_jobs import pdf_job_enqueue, pdf_jobs_fail_stale
from core.security import security_event_record
from opd.models import User

from .. import access
from ..books import Book
from ..models import Masterplan, MasterplanExport
from .common import MASTERPLAN_CHANGED

# The render task's registered name: it is queued by name, so this module never imports masterplan.tasks
# (nor the PDF renderer, which only the worker needs).
RENDER_TASK_NAME = "masterplan.render_export"


def masterplan_export_start(*, masterplan: Masterplan, by: User, book: str = Book.SET) -> MasterplanExport:
    """Queue the PDF of a book (after commit); a second request while one runs returns the running one."""
    return masterplan_export_request(masterplan=masterplan, by=by, book=book)[0]


def masterplan_export_request(
    *, masterplan: Masterplan, by: User, book: str = Book.SET
) -> tuple[MasterplanExport, bool]:
    """Queue the PDF of one book (or the whole set) unless that book is already queued or rendering.

    Return the export and whether it is new. Each book counts its own versions; a finished version never changes.
    """
    if not access.can_export_pdf(by, masterplan):
        raise PermissionDenied(
            _("Only Kominfo admins and the Bupati's office generate the PDF; ask them for a new version.")
        )
    if book not in Book.values:
        raise ValidationError(_("Choose one of the books of the masterplan to generate."))
    running = MasterplanExport.UNFINISHED
    masterplan_exports_fail_stale()  # a render whose worker vanished must not block new ones forever
    try:
        with transaction.atomic():
            Masterplan.objects.select_for_update().get(pk=masterplan.pk)
            exports = MasterplanExport.objects.filter(masterplan=masterplan, book=book)
            existing = exports.filter(status__in=running).first()
            if existing is not None:
                return existing, False
            last = exports.aggregate(Max("version"))["version__max"]
            export = MasterplanExport.objects.create(
                masterplan=masterplan, book=book, version=(last or 0) + 1, requested_by=by
            )
            security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=export, action="export_started")
            pdf_job_enqueue(MasterplanExport, export.pk, task_name=RENDER_TASK_NAME)
            return export, True
    except IntegrityError:
        # Another request created the running export a moment before us: that one is ours too.
        return MasterplanExport.objects.get(masterplan=masterplan, book=book, status__in=running), False


def masterplan_exports_fail_stale(*, now=None) -> int:
    """Mark failed the renders no worker will finish, so they no longer block new exports; return how many."""
    return pdf_jobs_fail_stale(MasterplanExport, now=now)
