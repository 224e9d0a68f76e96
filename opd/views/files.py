"""Attachments: upload, remove, download through an access check."""

from functools import partial

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import allowed_if
from core.forms import AttachmentForm
from core.views import perform, show_form_errors
from opd import access
from opd.services import attachments as service


@allowed_if(access.can_prepare_submissions)
@require_POST
def attachment_upload(request, pk: int):
    submission = access.access_submission(request.user, pk, write=True)
    if len(request.FILES.getlist("file")) > 1:
        # The form takes one file; keeping only the last of several would drop the others silently.
        messages.error(request, _("Attach one file at a time; nothing was attached."))
        return redirect(f"{_detail(pk)}#attachments")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect(f"{_detail(pk)}#attachments")
    upload = form.cleaned_data["file"]
    perform(
        request,
        partial(
            service.attachment_add,
            submission=submission,
            by=request.user,
            upload=upload,
            description=form.cleaned_data.get("description", ""),
        ),
        _("“%(name)s” attached.") % {"name": service.clean_original_name(upload.name)},
    )
    return redirect(f"{_detail(pk)}#attachments")


@allowed_if(access.can_prepare_submissions)
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    attachment = access.access_attachment(request.user, pk, attachment_pk, write=True)
    perform(
        request,
        partial(service.attachment_remove, attachment=attachment, by=request.user),
        _("“%(name)s” removed.") % {"name": attachment.original_name},
    )
    return redirect(f"{_detail(pk)}#attachments")


@allowed_if(access.can_read_submissions)
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    """Send an attachment as a download, only to someone who may see its submission."""
    attachment = access.access_attachment(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _detail(pk: int) -> str:
    return reverse("submissions:detail", args=[pk])
