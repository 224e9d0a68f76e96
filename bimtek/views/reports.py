"""The continuity report: on its page (with its recap PDFs) and as XLSX, for Kominfo and the Bupati's office."""

from functools import partial

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.downloads import spreadsheet_response
from masterplan.access import access_masterplan

from .. import selectors
from ..access import can_make_documents, reader_required
from ..exports import write_continuity_xlsx


@reader_required
@require_GET
def continuity(request, masterplan_pk: int):
    """Show per OPD whether each stage was attended by its own participants, a representative or nobody."""
    masterplan = access_masterplan(request.user, masterplan_pk)
    report = selectors.continuity_report(masterplan)
    context = {
        "masterplan": masterplan,
        "report": report,
        "labels": selectors.CELL_LABELS,
        "documents": selectors.recent_continuity_recaps(masterplan),
        "can_make_documents": can_make_documents(request.user),
    }
    return render(request, "bimtek/continuity.html", context)


@reader_required
@require_GET
def continuity_xlsx(request, masterplan_pk: int):
    masterplan = access_masterplan(request.user, masterplan_pk)
    write = partial(write_continuity_xlsx, selectors.continuity_report(masterplan))
    return spreadsheet_response(write, filename=f"kesinambungan-bimtek-{masterplan.pk}.xlsx")
