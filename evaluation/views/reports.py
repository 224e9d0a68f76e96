"""A programme's report: read it, write it, check and send it; supporting parts, evidence, Kominfo's verification."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import allowed_if
from core.forms import AttachmentForm, CommentForm, ReasonForm
from core.views import (
    add_service_errors,
    comment_add,
    decide,
    decision_of,
    perform,
    perform_form,
    remove_upload,
    upload_one,
)

from .. import access, selectors
from ..forms import ContributionForm, ReportForm
from ..services import evidence as evidence_service
from ..services import reports as service

DECISIONS = {
    "request_revision": (service.report_request_revision, gettext_lazy("Revision requested; the OPD sees why.")),
    "approve": (service.report_approve, gettext_lazy("Verified: the report's figures are frozen.")),
}


def _detail(report_pk: int, anchor: str = "") -> str:
    return reverse("evaluation:report_detail", args=[report_pk]) + (f"#{anchor}" if anchor else "")


@allowed_if(access.can_read_evaluation)
@require_GET
def report_detail(request, report_pk: int):
    """Show the report: its figures, what it still lacks, the supporting parts, evidence, comments, history."""
    report = access.access_report(request.user, report_pk)
    can = access.report_permissions(request.user, report)
    context = {
        "report": report,
        "can": can,
        **selectors.report_content(report, request.user),
        "missing": service.report_missing(report) if can["edit"] else [],
        "reason_form": ReasonForm(initial={"version": report.version}),
        "comment_form": CommentForm(),
        "attachment_form": AttachmentForm(),
        "contribution_form": ContributionForm(),
    }
    return render(request, "evaluation/report_detail.html", context)


@allowed_if(access.can_write_reports)
@require_http_methods(["GET", "POST"])
def report_edit(request, report_pk: int):
    """Write the report's figures and words; saving keeps it a draft until it is sent."""
    report = access.access_report(request.user, report_pk, write=True)
    if not access.can_edit_report(request.user, report):
        messages.error(request, _("This report cannot be changed now."))
        return redirect(_detail(report_pk))
    targets, budgets = list(selectors.year_targets(report)), list(selectors.year_budgets(report))
    initial = {
        "progress_status": report.progress_status,
        "progress_percent": report.progress_percent,
        "obstacles": report.obstacles,
        "follow_up": report.follow_up,
        "version": report.version,
        **{f"realised_{r.target_id}": r.value.normalize() for r in report.realisations.all()},
        **{f"spent_{b.budget_id}": b.amount for b in report.budget_realisations.all()},
        **{f"spent_note_{b.budget_id}": b.note for b in report.budget_realisations.all()},
    }
    form = ReportForm(request.POST or None, initial=initial, targets=targets, budgets=budgets)
    if request.method == "POST" and form.is_valid():
        try:
            service.report_update(report=report, by=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved. Check the answers, then send the report."))
            return redirect(_detail(report_pk))
    return render(request, "evaluation/report_form.html", {"report": report, "form": form})


@allowed_if(access.can_write_reports)
@require_POST
def report_submit(request, report_pk: int):
    report = access.access_report(request.user, report_pk, write=True)
    form = ReasonForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    perform(
        request,
        partial(service.report_submit, report=report, by=request.user, expected_version=version),
        _("Sent to Kominfo for verification."),
    )
    return redirect(_detail(report_pk))


@allowed_if(access.can_verify_reports)
@require_POST
def report_decide(request, report_pk: int, decision: str):
    action = decision_of(DECISIONS, decision)
    report = access.access_report(request.user, report_pk, write=True)
    return decide(request, action, back=_detail(report_pk), report=report)


@allowed_if(access.can_take_part)
@require_POST
def report_comment(request, report_pk: int):
    report = access.access_report(request.user, report_pk, write=True)
    add = partial(service.report_comment_add, report=report, by=request.user)
    return comment_add(request, add, back=_detail(report_pk, "comments"))


@allowed_if(access.can_write_reports)
@require_POST
def report_contribute(request, report_pk: int):
    report = access.access_report(request.user, report_pk, write=True)
    save = partial(service.contribution_save, report=report, by=request.user)
    perform_form(request, ContributionForm(request.POST), save, _("Your OPD's part is saved."))
    return redirect(_detail(report_pk, "contributions"))


@allowed_if(access.can_write_reports)
@require_POST
def evidence_upload(request, report_pk: int):
    report = access.access_report(request.user, report_pk, write=True)
    add = partial(evidence_service.evidence_add, report=report, by=request.user)
    return upload_one(request, add, back=_detail(report_pk, "evidence"))


@allowed_if(access.can_write_reports)
@require_POST
def evidence_delete(request, report_pk: int, evidence_pk: int):
    report = access.access_report(request.user, report_pk, write=True)
    evidence = report.evidence.filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    remove = partial(evidence_service.evidence_remove, evidence=evidence, by=request.user)
    return remove_upload(request, remove, evidence, back=_detail(report_pk, "evidence"))


@allowed_if(access.can_read_evaluation)
@require_GET
def evidence_download(request, report_pk: int, evidence_pk: int):
    """Send an evidence file, only to someone who may read its report."""
    report = access.access_report(request.user, report_pk)
    evidence = report.evidence.filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@allowed_if(access.can_verify_reports)
@require_GET
def verification_queue(request):
    """Kominfo's queue: the reports sent and awaiting verification, oldest first."""
    return render(request, "evaluation/queue.html", {"reports": selectors.verification_queue()})
