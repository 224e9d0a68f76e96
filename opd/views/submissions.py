"""OPD staff draft, edit, send and withdraw submissions; everyone with a role reads them."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import allowed_if, reads_every_opd
from core.views import add_service_errors, perform, perform_form, show_errors
from opd import access, selectors
from opd.filters import SubmissionFilter, default_filter_data
from opd.forms import EvidenceForm, SubmissionForm, WithdrawForm, grouped_element_choices
from opd.models import Submission, SubmissionKind, SubmissionStatus
from opd.panels import panels_for
from opd.services import submissions as service
from opd.views.files import attach_evidence, evidence_form

PAGE_SIZE = 25
FILTER_KEYS = {"q", "pillar", "element", "opd", "kind", "status", "year", "assigned", "ordering"}


def filtered_submissions(request):
    """Return the filter set of the list page (also used by the exports), defaults applied."""
    data = request.GET if FILTER_KEYS & set(request.GET) else default_filter_data(request.user)
    return SubmissionFilter(data, queryset=selectors.submission_list(request.user), user=request.user)


@allowed_if(access.can_read_submissions)
@require_GET
def submission_list(request):
    """List the submissions the user may see, filtered, sorted and paginated."""
    filterset = filtered_submissions(request)
    queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    export_query = (
        filterset.data.urlencode()
        if hasattr(filterset.data, "urlencode")
        else "&".join(f"{key}={value}" for key, value in filterset.data.items())
    )
    return render(
        request,
        "opd/submission_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "export_query": export_query,
            "can_create": access.can_prepare_submissions(request.user),
            "can_review": access.can_review(request.user),
            "can_export": access.can_export_submissions(request.user),
            "reads_every_opd": reads_every_opd(request.user),
            # Translated once per page rather than get_FOO_display() per row, which rebuilds the choices each call.
            "kind_labels": {value: str(label) for value, label in SubmissionKind.choices},
            "status_labels": {value: str(label) for value, label in SubmissionStatus.choices},
        },
    )


@allowed_if(access.can_prepare_submissions)
def submission_create(request):
    """Start a new draft for the user's OPD, with its evidence files if any were chosen."""
    form = SubmissionForm(request.POST or None)
    evidence = evidence_form(request)
    if request.method == "POST" and _both_valid(form, evidence):
        try:
            submission = service.submission_create(by=request.user, data=form.content())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved. You can come back to it at any time before sending."))
            return _after_saving(request, submission, evidence)
    return _form_page(request, form, evidence, None)


@allowed_if(access.can_prepare_submissions)
def submission_edit(request, pk: int):
    """Edit a draft or a submission returned for revision (adding evidence files); a stale form saves nothing."""
    submission = access.access_submission(request.user, pk, write=True)
    if not access.can_edit_submission(request.user, submission):
        messages.error(
            request,
            _("This submission can no longer be edited (status: %(status)s).")
            % {"status": submission.get_status_display()},
        )
        return redirect("submissions:detail", pk=pk)
    form = SubmissionForm(request.POST or None, instance=submission)
    evidence = evidence_form(request, submission)
    if request.method == "POST" and _both_valid(form, evidence):
        try:
            service.submission_update(
                submission=submission,
                by=request.user,
                data=form.content(),
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return _after_saving(request, submission, evidence)
    return _form_page(request, form, evidence, submission)


def _both_valid(form, evidence) -> bool:
    """Validate the content and the files together, so that every error shows at once."""
    content_valid = form.is_valid()
    return evidence.is_valid() and content_valid


def _after_saving(request, submission, evidence):
    """Attach the chosen files, then go where the person asked (the check page), or to the submission."""
    if not attach_evidence(request, submission, evidence.cleaned_data["files"]):
        return redirect(f"{reverse('submissions:detail', args=[submission.pk])}#attachments")
    if "check" in request.POST:
        return redirect("submissions:submit", pk=submission.pk)
    return redirect("submissions:detail", pk=submission.pk)


def _form_page(request, form, evidence, submission):
    files_dropped = request.method == "POST" and bool(request.FILES) and evidence.is_valid()
    return render(
        request,
        "opd/submission_form.html",
        {
            "form": form,
            "evidence": evidence,
            "submission": submission,
            "attachments": list(selectors.attachments_of(submission)) if submission is not None else [],
            # A browser never keeps chosen files when a form comes back with errors: say so.
            "files_dropped": files_dropped,
        },
    )


@allowed_if(access.can_read_submissions)
@require_GET
def submission_detail(request, pk: int):
    """Show a submission with its evidence, conversation, history and the actions the user may take."""
    submission = access.access_submission(request.user, pk)
    return render_submission_detail(request, submission)


def render_submission_detail(request, submission: Submission, *, decision_form=None):
    """Render the submission's page; `decision_form`, when given, is Kominfo's refused decision with its errors."""
    user = request.user
    can = access.submission_permissions(user, submission)
    events = list(selectors.events_of(submission))
    context = {
        "submission": submission,
        "can": can,
        "attachments": list(selectors.attachments_of(submission)),
        "comments": list(selectors.comments_visible_to(user, submission)),
        "events": events,
        "revision_count": sum(1 for event in events if selectors.is_revision(event)),
        "attachment_max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "reviewers": list(selectors.kominfo_reviewers()) if can["assign"] else [],
        "decision_form": decision_form,
        "panels": panels_for(user, submission, "detail"),
    }
    return render(request, "opd/submission_detail.html", context)


@allowed_if(access.can_prepare_submissions)
def submission_submit(request, pk: int):
    """Show the check-your-answers summary, then send the submission to Kominfo."""
    submission = access.access_submission(request.user, pk, write=True)
    if not access.can_send_submission(request.user, submission):
        messages.error(
            request,
            _("This submission has already been sent (status: %(status)s).")
            % {"status": submission.get_status_display()},
        )
        return redirect("submissions:detail", pk=pk)
    errors = service.submission_content_errors(submission)
    if request.method == "POST" and not errors:
        if _int(request.POST.get("version")) is None:
            messages.error(request, _("The page was out of date; nothing was sent. Check the answers again."))
            return redirect("submissions:submit", pk=pk)
        try:
            sent = service.submission_submit(
                submission=submission, by=request.user, expected_version=_int(request.POST.get("version"))
            )
        except ValidationError as error:
            show_errors(request, error)
            return redirect("submissions:submit", pk=pk)
        messages.success(
            request, _("Sent to Kominfo with reference number %(reference)s.") % {"reference": sent.reference}
        )
        return redirect("submissions:detail", pk=pk)
    fields = []
    for name in SubmissionForm.Meta.fields:
        field = Submission._meta.get_field(name)
        value = getattr(submission, f"get_{name}_display")() if field.choices else getattr(submission, name)
        fields.append({"name": name, "label": field.verbose_name, "value": value, "errors": errors.get(name, [])})
    status = 200 if request.method == "GET" else 400
    attachments = list(selectors.attachments_of(submission))
    return render(
        request,
        "opd/submission_submit.html",
        {
            "submission": submission,
            "fields": fields,
            "errors": errors,
            "attachments": attachments,
            "evidence": EvidenceForm(already_attached=len(attachments)),
            "panels": panels_for(request.user, submission, "submit"),
        },
        status=status,
    )


@allowed_if(access.can_prepare_submissions)
@require_POST
def submission_withdraw(request, pk: int):
    """Withdraw a submission that has not been decided yet."""
    submission = access.access_submission(request.user, pk, write=True)
    withdraw = partial(service.submission_withdraw, submission=submission, by=request.user)
    perform_form(request, WithdrawForm(request.POST), withdraw, _("The submission was withdrawn."))
    return redirect("submissions:detail", pk=pk)


@allowed_if(access.can_prepare_submissions)
@require_POST
def submission_delete_draft(request, pk: int):
    """Delete a draft that was never sent."""
    submission = access.access_submission(request.user, pk, write=True)
    deleted = perform(
        request,
        partial(service.submission_delete_draft, submission=submission, by=request.user),
        _("Draft “%(title)s” deleted.") % {"title": submission.title},
    )
    return redirect("submissions:list") if deleted else redirect("submissions:detail", pk=pk)


@allowed_if(access.can_read_submissions)
@require_GET
def element_options(request):
    """Return the element options of one pillar (all, grouped, when none is chosen), for htmx."""
    pillar = selectors.pillar_by_id(request.GET.get("pillar"))
    choices = grouped_element_choices(pillar)[1:]
    groups = [(None, choices)] if pillar else choices
    return render(request, "opd/includes/element_options.html", {"groups": groups})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
