"""The evaluation report's PDF: requested here, rendered in the background by the one job path (core.jobs)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.models import SecurityEvent
from core.pdf_jobs import pdf_job_enqueue, pdf_jobs_fail_stale
from core.security import security_event_record

from .. import access
from ..models import EvaluationExport, ReportingPeriod

RENDER_TASK_NAME = "evaluation.render_export"


def evaluation_export_request(*, period: ReportingPeriod, by) -> tuple[EvaluationExport, bool]:
    """Queue a rendering unless one is already queued or rendering; return the export and whether it is new."""
    if not access.can_export_evaluation(by):
        raise PermissionDenied(_("Only Kominfo admins and the Bupati's office generate the evaluation report."))
    running = EvaluationExport.UNFINISHED
    pdf_jobs_fail_stale(EvaluationExport)  # a render whose worker vanished must not block new ones forever
    try:
        with transaction.atomic():
            ReportingPeriod.objects.select_for_update().get(pk=period.pk)
            existing = EvaluationExport.objects.filter(period=period, status__in=running).first()
            if existing is not None:
                return existing, False
            export = EvaluationExport.objects.create(period=period, requested_by=by)
            security_event_record(
                kind=SecurityEvent.Kind.MASTERPLAN_CHANGED, user=by, target=export, action="evaluation_export_started"
            )
            pdf_job_enqueue(EvaluationExport, export.pk, task_name=RENDER_TASK_NAME)
            return export, True
    except IntegrityError:
        # Another request created the running export a moment before us: that one is ours too.
        return EvaluationExport.objects.get(period=period, status__in=running), False
