"""Compare two revisions of a submission, field by field."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import allowed_if
from opd import access, selectors


@allowed_if(access.can_read_submissions)
@require_GET
def submission_history(request, pk: int):
    """Show the revisions of a submission and compare the two chosen (default: first and latest)."""
    submission = access.access_submission(request.user, pk)
    comparison = selectors.revision_comparison(submission, request.GET.get("a"), request.GET.get("b"))
    context = {"submission": submission, "events": list(selectors.events_of(submission)), **comparison}
    return render(request, "opd/submission_history.html", context)
