"""The Bimtek's PDFs: made on request by the worker (a session's attendance list, the continuity recap), their
progress polled by htmx, and the finished files downloaded; for Kominfo and the Bupati's office."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.downloads import stored_file_response
from masterplan.access import access_masterplan

from .. import selectors
from ..access import access_document, access_session, document_maker_required, document_reader_required
from ..models import BimtekDocument
from ..services import documents as services


@document_maker_required
@require_POST
def attendance_list_start(request, session_pk: int):
    """Queue the session's attendance list PDF and show its progress; the request never waits for the render."""
    session = access_session(request.user, session_pk)
    document, created = services.attendance_list_request(session=session, by=request.user)
    return _started(
        request,
        document,
        created,
        documents=lambda: selectors.recent_attendance_lists(session),
        page=reverse("bimtek:session_detail", args=[session.pk]),
    )


@document_maker_required
@require_POST
def continuity_recap_start(request, masterplan_pk: int):
    """Queue the masterplan's continuity recap PDF and show its progress."""
    masterplan = access_masterplan(request.user, masterplan_pk)
    document, created = services.continuity_recap_request(masterplan=masterplan, by=request.user)
    return _started(
        request,
        document,
        created,
        documents=lambda: selectors.recent_continuity_recaps(masterplan),
        page=reverse("bimtek:continuity", args=[masterplan.pk]),
    )


def _started(request, document: BimtekDocument, created: bool, *, documents, page: str):
    if request.htmx:
        return render(request, "bimtek/includes/document_rows.html", {"documents": documents()})
    if created:
        messages.info(request, _("The PDF is being prepared; it appears below when it is ready."))
    else:
        messages.warning(request, _("This PDF is already being prepared; it appears below when it is ready."))
    return redirect(f"{page}#documents")


@document_reader_required
@require_GET
def document_status(request, document_pk: int):
    """Return one document's row (htmx polls it while the PDF renders)."""
    document = access_document(request.user, document_pk)
    return render(request, "bimtek/includes/document_row.html", {"document": document})


@document_reader_required
@require_GET
def document_download(request, document_pk: int):
    document = access_document(request.user, document_pk)
    if document.status != BimtekDocument.Status.DONE:
        raise Http404
    return stored_file_response(document.file, filename=document.download_name, content_type="application/pdf")
