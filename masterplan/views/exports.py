"""The masterplan's exports: the programmes spreadsheet, and the PDF renderings with their progress and files."""

from functools import partial

from django.contrib import messages
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.downloads import spreadsheet_response, stored_file_response

from .. import selectors, services
from ..access import (
    access_masterplan,
    access_masterplan_export,
    exporter_required,
    masterplan_permissions,
    reader_required,
)
from ..books import FILE_SLUGS, Book
from ..exports import write_programmes_xlsx
from ..models import MasterplanExport


@reader_required
@require_GET
def programmes_xlsx(request, pk: int):
    """Download the programmes as a spreadsheet (one row per programme, yearly targets as columns)."""
    masterplan = access_masterplan(request.user, pk)
    filename = f"program-masterplan-{masterplan.pk}.xlsx"
    return spreadsheet_response(partial(write_programmes_xlsx, masterplan), filename=filename)


@exporter_required
@require_POST
def export_start(request, pk: int):
    """Queue the PDF of one book (or the whole set) and show its progress; the request never waits for the render."""
    masterplan = access_masterplan(request.user, pk)
    try:
        book = request.POST.get("book") or Book.SET
    except MultiPartParserError:  # a body no browser sends: nothing names a book, so the whole set, as before
        book = Book.SET
    if book not in Book.values:
        messages.error(request, _("Choose one of the books of the masterplan to generate."))
        if request.htmx:
            return _export_rows(request, masterplan, status=400)
        return redirect(f"{masterplan.get_absolute_url()}#exports")
    export, created = services.masterplan_export_request(masterplan=masterplan, by=request.user, book=book)
    if request.htmx:
        return _export_rows(request, masterplan)
    names = {"book": export.get_book_display(), "version": export.version}
    if created:
        messages.info(request, _("%(book)s, PDF version %(version)d, is being prepared.") % names)
    else:
        messages.warning(
            request,
            _("%(book)s, PDF version %(version)d, is already being generated; it appears below when it is ready.")
            % names,
        )
    return redirect(f"{masterplan.get_absolute_url()}#exports")


def _export_rows(request, masterplan, *, status: int = 200):
    context = {
        "exports": selectors.recent_exports(masterplan),
        "masterplan": masterplan,
        "can": masterplan_permissions(request.user, masterplan),
    }
    return render(request, "masterplan/includes/export_rows.html", context, status=status)


@reader_required
@require_GET
def export_status(request, pk: int, export_pk: int):
    """Return one export's row (htmx polls it while the PDF renders)."""
    export = access_masterplan_export(request.user, pk, export_pk)
    context = {
        "export": export,
        "masterplan": export.masterplan,
        "can": masterplan_permissions(request.user, export.masterplan),
    }
    return render(request, "masterplan/includes/export_row.html", context)


@reader_required
@require_GET
def export_download(request, pk: int, export_pk: int):
    """Download a finished PDF: any role that reads the masterplan; each version stays as it was rendered."""
    export = access_masterplan_export(request.user, pk, export_pk)
    if export.status != MasterplanExport.Status.DONE:
        raise Http404
    filename = f"masterplan-smart-city-{FILE_SLUGS[export.book]}-v{export.version}.pdf"
    return stored_file_response(export.file, filename=filename, content_type="application/pdf")
