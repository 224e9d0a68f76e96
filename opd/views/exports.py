"""Exports of the submission list: start one from the list's filter, follow its progress, download it."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import allowed_if
from core.downloads import stored_file_response
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from core.views import show_errors
from opd import access
from opd.models import SubmissionExport
from opd.services import exports as service

RECENT = 20


@allowed_if(access.can_export_submissions)
@require_http_methods(["GET", "POST"])
def export_list(request):
    """GET: the user's recent exports. POST: start an export of the list with the filter it was showing."""
    if request.method == "POST":
        return _start(request)
    exports = list(access.exports_visible_to(request.user)[:RECENT])
    context = {"exports": exports, "retention_days": settings.SUBMISSION_EXPORT_RETENTION_DAYS}
    return render(request, "opd/export_list.html", context)


def _start(request):
    query = request.POST.get("query", "")
    try:
        export = service.submission_export_start(
            user=request.user, params=QueryDict(query), file_format=request.POST.get("file_format", "")
        )
    except ValidationError as error:
        show_errors(request, error)
        return redirect(f"{reverse('submissions:list')}?{query}" if query else reverse("submissions:list"))
    messages.info(request, _("Your export is being prepared; this page shows its progress."))
    return redirect(f"{reverse('submissions:exports')}#export-{export.pk}")


@allowed_if(access.can_export_submissions)
@require_GET
def export_status(request, export_pk: int):
    """Return one export's row (htmx polls it while the file is written)."""
    export = access.access_submission_export(request.user, export_pk)
    return render(request, "opd/includes/export_row.html", {"export": export})


@allowed_if(access.can_export_submissions)
@require_POST
def export_retry(request, export_pk: int):
    """Start the same export again (after a failure, or for fresh data)."""
    export = access.access_submission_export(request.user, export_pk)
    try:
        new = service.submission_export_retry(export=export, user=request.user)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("submissions:exports")
    messages.info(request, _("Your export is being prepared; this page shows its progress."))
    return redirect(f"{reverse('submissions:exports')}#export-{new.pk}")


@allowed_if(access.can_export_submissions)
@require_GET
def export_download(request, export_pk: int):
    """Send a finished export's file to the person who requested it."""
    export = access.access_submission_export(request.user, export_pk)
    if export.status != SubmissionExport.Status.DONE:
        raise Http404
    content_type = XLSX_CONTENT_TYPE if export.file_format == "xlsx" else CSV_CONTENT_TYPE
    return stored_file_response(export.file, filename=export.download_name, content_type=content_type)
