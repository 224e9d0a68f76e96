"""Requests for the Bimtek's PDFs (a session's attendance list, a masterplan's continuity recap), rendered by the
worker through core.jobs; the rendering itself is bimtek.rendering, which only the worker loads."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.pdf_jobs import pdf_job_enqueue, pdf_jobs_fail_stale
from masterplan.models import Masterplan

from ..access import can_make_documents
from ..models import BimtekDocument, Session

# The render task's registered name: it is queued by name, so this module never imports bimtek.tasks.
RENDER_TASK_NAME = "bimtek.render_document"
Kind = BimtekDocument.Kind


def attendance_list_request(*, session: Session, by) -> tuple[BimtekDocument, bool]:
    """Queue the session's attendance list PDF unless one is already on its way; return it and whether it is new."""
    return _request(kind=Kind.ATTENDANCE_LIST, masterplan=session.stage.masterplan, session=session, by=by)


def continuity_recap_request(*, masterplan: Masterplan, by) -> tuple[BimtekDocument, bool]:
    """Queue the masterplan's continuity recap PDF unless one is already on its way; return it and whether it is new."""
    return _request(kind=Kind.CONTINUITY_RECAP, masterplan=masterplan, session=None, by=by)


def _request(*, kind: str, masterplan: Masterplan, session: Session | None, by) -> tuple[BimtekDocument, bool]:
    if not can_make_documents(by):
        raise PermissionDenied(_("Only Kominfo admins and the Bupati's office make the Bimtek's PDFs."))
    pdf_jobs_fail_stale(BimtekDocument)  # a render whose worker vanished must not block new ones forever
    same = BimtekDocument.objects.filter(kind=kind, masterplan=masterplan, session=session)
    try:
        with transaction.atomic():
            # Requests for the same document wait for each other here, so a second one finds the first.
            if session is not None:
                Session.objects.select_for_update().get(pk=session.pk)
            else:
                Masterplan.objects.select_for_update().get(pk=masterplan.pk)
            running = same.filter(status__in=BimtekDocument.UNFINISHED).first()
            if running is not None:
                return running, False
            document = BimtekDocument.objects.create(kind=kind, masterplan=masterplan, session=session, requested_by=by)
            pdf_job_enqueue(BimtekDocument, document.pk, task_name=RENDER_TASK_NAME)
            return document, True
    except IntegrityError:
        # Another request created the running document a moment before us (the unique constraint said so).
        return same.get(status__in=BimtekDocument.UNFINISHED), False
