"""Kominfo admins review: start, request a revision, approve, reject, assign; comments from both sides."""

from functools import partial

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import allowed_if
from core.views import comment_add, decide, decision_of, perform
from opd import access, selectors
from opd.forms import AssignForm
from opd.services import comments as comment_service
from opd.services import submissions as service
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
    action = decision_of(DECISIONS, decision)
    submission = access.access_submission(request.user, pk, write=True)
    return decide(
        request,
        action,
        back=reverse("submissions:detail", args=[pk]),
        on_reason_error=lambda form: render_submission_detail(request, submission, decision_form=form),
        submission=submission,
    )


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
    return comment_add(
        request,
        partial(comment_service.comment_add, submission=submission, by=request.user),
        back=f"{reverse('submissions:detail', args=[pk])}#comments",
    )
