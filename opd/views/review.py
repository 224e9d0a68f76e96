"""Kominfo admins review: start, request a revision, approve, reject, assign; comments from both sides."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import allowed_if
from core.forms import CommentForm, ReasonForm
from core.views import add_service_errors, perform, show_errors, show_form_errors
from opd import access, selectors
from opd.forms import AssignForm
from opd.services import comments as comment_service
from opd.services import submissions as service
from opd.services.comments import MAX_COMMENT_LENGTH
from opd.views.submissions import render_submission_detail

DECISIONS = {
    "request_revision": (
        service.submission_request_revision,
        gettext_lazy("Revision requested; the OPD has been told."),
    ),
    "approve": (service.submission_approve, gettext_lazy("Approved.")),
    "reject": (service.submission_reject, gettext_lazy("Rejected; the OPD has been told.")),
}


@allowed_if(access.can_review)
@require_POST
def submission_start_review(request, pk: int):
    submission = access.access_submission(request.user, pk, write=True)
    perform(
        request,
        partial(service.submission_start_review, submission=submission, by=request.user),
        _("Review started; the submission is assigned to you."),
    )
    return redirect("submissions:detail", pk=pk)


@allowed_if(access.can_review)
@require_POST
def submission_decide(request, pk: int, decision: str):
    """Apply one of Kominfo's decisions; a refused one (race, missing reason) explains why."""
    if decision not in DECISIONS:
        raise Http404
    submission = access.access_submission(request.user, pk, write=True)
    action, done = DECISIONS[decision]
    form = ReasonForm(request.POST)
    if not form.is_valid():
        if "reason" in form.errors:
            # Too long, or a NUL character pasted from another program: shown on the field itself.
            return render_submission_detail(request, submission, decision_form=form)
        messages.error(request, _("The page was out of date; nothing was changed. Look again and decide."))
        return redirect("submissions:detail", pk=pk)
    try:
        action(
            submission=submission,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data.get("version"),
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "reason" in error.error_dict:
            # A missing reason: the error summary at the top links to the field, which is marked too (GOV.UK).
            add_service_errors(form, error)
            return render_submission_detail(request, submission, decision_form=form)
        show_errors(request, error)
        return redirect("submissions:detail", pk=pk)
    messages.success(request, str(done))
    return redirect("submissions:detail", pk=pk)


@allowed_if(access.can_review)
@require_POST
def submission_assign(request, pk: int):
    submission = access.access_submission(request.user, pk, write=True)
    form = AssignForm(request.POST, reviewers=selectors.kominfo_reviewers())
    if not form.is_valid():
        messages.error(request, _("Choose a reviewer from the list."))
        return redirect("submissions:detail", pk=pk)
    perform(
        request,
        partial(
            service.submission_assign, submission=submission, by=request.user, reviewer=form.cleaned_data["reviewer"]
        ),
        _("Reviewer updated."),
    )
    return redirect("submissions:detail", pk=pk)


@allowed_if(access.can_change_submissions)
@require_POST
def comment_create(request, pk: int):
    submission = access.access_submission(request.user, pk, write=True)
    form = CommentForm(request.POST)
    if form.has_error("body", "null_characters_not_allowed"):
        show_form_errors(request, form)
    elif not form.is_valid():
        limit = {"limit": MAX_COMMENT_LENGTH}
        messages.error(request, _("Write the comment first (at most %(limit)d characters).") % limit)
    else:
        perform(
            request,
            partial(
                comment_service.comment_add,
                submission=submission,
                by=request.user,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data.get("visibility") or "opd",
            ),
            _("Comment added."),
        )
    return redirect(f"{reverse('submissions:detail', args=[pk])}#comments")
