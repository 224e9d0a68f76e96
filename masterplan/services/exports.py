"""Requests for the masterplan's PDF renderings, and the clean-up of renders whose worker vanished."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core import jobs
from core.security import security_event_record
from opd.models import User

from .. import access
from ..models import Masterplan, MasterplanExport
from .common import MASTERPLAN_CHANGED

# The render task's registered name: it is queued by name, so this module never imports masterplan.tasks
# (nor the PDF renderer, which only the worker needs).
RENDER_TASK_NAME = "masterplan.render_export"


def masterplan_export_start(*, masterplan: Masterplan, by: User) -> MasterplanExport:
    """Queue a PDF rendering (after commit); a second request while one runs returns the running one."""
    return masterplan_export_request(masterplan=masterplan, by=by)[0]


def masterplan_export_request(*, masterplan: Masterplan, by: User) -> tuple[MasterplanExport, bool]:
    """Queue a PDF rendering unless one is already queued or rendering; return the export and whether it is new."""
    if not access.can_export_pdf(by, masterplan):
        raise PermissionDenied(
            _("Only Kominfo admins and the Bupati's office generate the PDF; ask them for a new version.")
        )
    running = MasterplanExport.UNFINISHED
    masterplan_exports_fail_stale()  # a render whose worker vanished must not block new ones forever
    try:
        with transaction.atomic():
            Masterplan.objects.select_for_update().get(pk=masterplan.pk)
            existing = MasterplanExport.objects.filter(masterplan=masterplan, status__in=running).first()
            if existing is not None:
                return existing, False
            last = MasterplanExport.objects.filter(masterplan=masterplan).aggregate(Max("version"))["version__max"]
            export = MasterplanExport.objects.create(masterplan=masterplan, version=(last or 0) + 1, requested_by=by)
            security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=export, action="export_started")
            jobs.job_enqueue(
                MasterplanExport,
                export.pk,
                task_name=RENDER_TASK_NAME,
                queue_down=_("The PDF could not be put in the rendering queue (%(error)s). Try again later."),
            )
            return export, True
    except IntegrityError:
        # Another request created the running export a moment before us: that one is ours too.
        return MasterplanExport.objects.get(masterplan=masterplan, status__in=running), False


def masterplan_exports_fail_stale(*, now=None) -> int:
    """Mark failed the renders whose worker vanished, or that no worker took, long ago; return how many.

    While such a render looks unfinished no new export of its masterplan can start.
    """
    return jobs.jobs_fail_stale(
        MasterplanExport,
        time_limit=settings.CELERY_PDF_TIME_LIMIT,
        running_reason=_(
            "The PDF rendering stopped without finishing. Try again; if it happens again, tell the portal "
            "administrator."
        ),
        queued_reason=_(
            "No worker took the PDF from the queue. Try again; if it happens again, tell the portal administrator."
        ),
        now=now,
    )
