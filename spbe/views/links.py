"""Linking a submission (its OPD) and a programme (Kominfo) to applications and datasets."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.access import allowed_if, has_a_role
from core.views import perform, show_form_errors
from masterplan.access import access_programme
from opd.access import access_submission

from .. import selectors
from ..access import can_link_programmes, can_link_submission
from ..forms import DomainsForm, LinkApplicationForm, LinkDatasetForm, NotesForm, ProposeApplicationForm
from ..models import Application, Dataset
from ..overlap import similar_applications
from ..services import links as service

role_required = allowed_if(has_a_role)


def _datasets():
    return Dataset.objects.select_related("producer")


def _unlink_target(request):
    try:
        return request.POST.get("link_kind", ""), int(request.POST.get("pk", ""))
    except ValueError:
        return "", 0


@role_required
def submission_links(request, pk: int):
    """Show what a submission links to; its OPD links applications and data, or proposes a new application."""
    submission = access_submission(request.user, pk)
    can_link = can_link_submission(request.user, submission)
    own_applications = Application.objects.filter(opd_id=submission.opd_id).select_related("opd")
    propose = ProposeApplicationForm()
    similar = None
    if request.method == "POST" and not can_link:
        raise PermissionDenied
    if request.method == "POST":
        action, by = request.POST.get("action"), request.user
        done = _("Saved.")
        if action == "link_application":
            form = LinkApplicationForm(request.POST, applications=own_applications)
            call = form.is_valid() and partial(
                service.submission_link_application, application=form.cleaned_data["application"]
            )
        elif action == "link_dataset":
            form = LinkDatasetForm(request.POST, datasets=_datasets())
            call = form.is_valid() and partial(
                service.submission_link_dataset, dataset=form.cleaned_data["dataset"], role=form.cleaned_data["role"]
            )
        elif action == "unlink":
            form, (kind, link_pk) = None, _unlink_target(request)
            call = partial(service.submission_unlink, link_kind=kind, pk=link_pk)
        elif action == "notes":
            form = NotesForm(request.POST)
            call = form.is_valid() and partial(service.submission_notes_update, notes=form.cleaned_data["notes"])
        elif action == "propose":
            form = propose = ProposeApplicationForm(request.POST)
            call = False
            if form.is_valid():
                data = form.cleaned_data
                similar = similar_applications(name=data["name"], purpose=data["purpose"])
                # Shown first; sent again with "confirm" once the person has seen the similar applications.
                if not similar or request.POST.get("confirm"):
                    call = partial(service.submission_propose_application, data=data)
                    done = _("The new application is in your OPD's inventory as planned, linked to this submission.")
        else:
            form, call = None, False
        if call:
            if perform(request, partial(call, submission=submission, by=by), done):
                return redirect("spbe:submission_links", pk=pk)
        elif form is not None and form.errors:
            show_form_errors(request, form)
    context = {
        "submission": submission,
        "links": selectors.submission_links(submission),
        "can_link": can_link,
        "application_form": LinkApplicationForm(applications=own_applications),
        "dataset_form": LinkDatasetForm(datasets=_datasets()),
        "propose_form": propose,
        "similar": similar,
    }
    return render(request, "spbe/submission_links.html", context)


@role_required
def programme_links(request, masterplan_pk: int, pk: int):
    """Show a programme's applications, datasets and SPBE domains; Kominfo links them while the plan is a draft."""
    programme = access_programme(request.user, masterplan_pk, pk)
    can_link = can_link_programmes(request.user, programme.masterplan)
    applications = Application.objects.select_related("opd")
    if request.method == "POST" and not can_link:
        raise PermissionDenied
    if request.method == "POST":
        action, form = request.POST.get("action"), None
        if action == "link_application":
            form = LinkApplicationForm(request.POST, applications=applications)
            call = form.is_valid() and partial(
                service.programme_link_application, application=form.cleaned_data["application"]
            )
        elif action == "link_dataset":
            form = LinkDatasetForm(request.POST, datasets=_datasets())
            call = form.is_valid() and partial(
                service.programme_link_dataset, dataset=form.cleaned_data["dataset"], role=form.cleaned_data["role"]
            )
        elif action == "unlink":
            kind, link_pk = _unlink_target(request)
            call = partial(service.programme_unlink, link_kind=kind, pk=link_pk)
        elif action == "domains":
            form = DomainsForm(request.POST)
            call = form.is_valid() and partial(service.programme_set_domains, domains=form.cleaned_data["domains"])
        else:
            call = False
        if call:
            if perform(request, partial(call, programme=programme, by=request.user), _("Saved.")):
                return redirect("spbe:programme_links", masterplan_pk=masterplan_pk, pk=pk)
        elif form is not None and form.errors:
            show_form_errors(request, form)
    links = selectors.programme_links(programme)
    context = {
        "programme": programme,
        "masterplan": programme.masterplan,
        "links": links,
        "can_link": can_link,
        "suggestions": selectors.programme_suggestions(programme) if can_link else [],
        "application_form": LinkApplicationForm(applications=applications),
        "dataset_form": LinkDatasetForm(datasets=_datasets()),
        "domains_form": DomainsForm(initial={"domains": sorted(links.set_domains)}),
    }
    return render(request, "spbe/programme_links.html", context)


@role_required
@require_GET
def index(request):
    return redirect("spbe:application_list")
