"""Attachments: upload, remove, download through an access check."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core.access import allowed_if
from core.downloads import stored_file_response
from core.views import remove_upload, show_errors, show_form_errors, upload_one
from opd import access
from opd.forms import EvidenceForm
from opd.services import attachments as service


def attach_evidence(request, submission, uploads) -> bool:
    """Store the checked evidence files one by one through the attachment service; say what happened to each."""
    attached, refused = [], False
    for upload in uploads:
        try:
            service.attachment_add(submission=submission, by=request.user, upload=upload)
        except ValidationError as error:
            show_errors(request, error)
            refused = True
        else:
            attached.append(service.clean_original_name(upload.name))
    if attached:
        messages.success(
            request,
            ngettext("%(count)d file attached: %(names)s.", "%(count)d files attached: %(names)s.", len(attached))
            % {"count": len(attached), "names": ", ".join(attached)},
        )
    return not refused


def evidence_form(request, submission=None) -> EvidenceForm:
    """Return the evidence form of a page, bound to what was sent (counting the submission's attachments)."""
    already = submission.attachments.count() if submission is not None else 0
    if request.method == "POST":
        return EvidenceForm(request.POST, request.FILES, already_attached=already)
    return EvidenceForm(already_attached=already)


@allowed_if(access.can_prepare_submissions)
@require_POST
def evidence_upload(request, pk: int):
    """Attach several evidence files from the check page, then show it again."""
    submission = access.access_submission(request.user, pk, write=True)
    form = evidence_form(request, submission)
    if not form.is_valid():
        show_form_errors(request, form)
    elif not form.cleaned_data["files"]:
        messages.error(request, _("Choose at least one file to attach."))
    else:
        attach_evidence(request, submission, form.cleaned_data["files"])
    return redirect(f"{reverse('submissions:submit', args=[pk])}#evidence")


@allowed_if(access.can_prepare_submissions)
@require_POST
def attachment_upload(request, pk: int):
    submission = access.access_submission(request.user, pk, write=True)
    add = partial(service.attachment_add, submission=submission, by=request.user)
    return upload_one(request, add, back=f"{_detail(pk)}#attachments")


@allowed_if(access.can_prepare_submissions)
@require_POST
def attachment_delete(request, pk: int, attachment_pk: int):
    attachment = access.access_attachment(request.user, pk, attachment_pk, write=True)
    remove = partial(service.attachment_remove, attachment=attachment, by=request.user)
    return remove_upload(request, remove, attachment, back=f"{_detail(pk)}#attachments")


@allowed_if(access.can_read_submissions)
@require_GET
def attachment_download(request, pk: int, attachment_pk: int):
    """Send an attachment as a download, only to someone who may see its submission."""
    attachment = access.access_attachment(request.user, pk, attachment_pk)
    return stored_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


def _detail(pk: int) -> str:
    return reverse("submissions:detail", args=[pk])
