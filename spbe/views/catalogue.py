"""The application inventory and the data catalogue: lists, pages, forms, the import and the spreadsheet."""

import io
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import is_opd_staff, reads_every_opd
from core.imports import ImportRefused
from core.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx
from core.views import add_service_errors, perform
from opd.models import Opd

from .. import selectors
from ..access import access_application, access_dataset, can_keep_catalogue, keeper_required, owns, reader_required
from ..forms import ApplicationForm, DatasetForm, ImportForm
from ..services import catalogue as service
from ..services.imports import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, applications_import


def _opd_filter(request) -> int | None:
    if not reads_every_opd(request.user):
        return None
    try:
        return int(request.GET.get("opd") or 0) or None
    except ValueError:
        return None


@reader_required
@require_GET
def application_list(request):
    opd_id = _opd_filter(request)
    context = {
        "applications": list(selectors.application_list(request.user, opd_id=opd_id)),
        "opds": list(Opd.objects.filter(is_active=True)) if reads_every_opd(request.user) else [],
        "opd_id": opd_id,
        "can_keep": can_keep_catalogue(request.user),
    }
    return render(request, "spbe/application_list.html", context)


@reader_required
@require_GET
def application_detail(request, pk: int):
    application = access_application(request.user, pk)
    context = {
        "application": application,
        "domains": application.domains.all(),
        "can_edit": owns(request.user, application.opd_id),
        **selectors.application_relations(application),
    }
    return render(request, "spbe/application_detail.html", context)


def _application_data(form) -> dict:
    return {**form.cleaned_data, "integrations": list(form.cleaned_data.get("integrations", []))}


@keeper_required
def application_create(request):
    choose_opd = not is_opd_staff(request.user)
    form = ApplicationForm(request.POST or None, choose_opd=choose_opd)
    if request.method == "POST" and form.is_valid():
        opd = form.cleaned_data["opd"] if choose_opd else request.user.opd
        try:
            application = service.application_create(by=request.user, opd=opd, data=_application_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Application added to the inventory."))
            return redirect("spbe:application_detail", pk=application.pk)
    return render(request, "spbe/application_form.html", {"form": form, "application": None})


@keeper_required
def application_edit(request, pk: int):
    application = access_application(request.user, pk, write=True)
    form = ApplicationForm(request.POST or None, instance=application, choose_opd=False)
    if request.method == "POST" and form.is_valid():
        try:
            service.application_update(application=application, by=request.user, data=_application_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("spbe:application_detail", pk=pk)
    return render(request, "spbe/application_form.html", {"form": form, "application": application})


@keeper_required
@require_POST
def application_delete(request, pk: int):
    application = access_application(request.user, pk, write=True)
    if perform(request, partial(service.application_delete, application=application, by=request.user), _("Deleted.")):
        return redirect("spbe:application_list")
    return redirect("spbe:application_detail", pk=pk)


@keeper_required
def application_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = applications_import(data=form.cleaned_data["file"].read(), by=request.user)
        except ImportRefused as refused:
            errors = refused.errors
        except PermissionDenied:
            raise
    status = 400 if errors else 200
    context = {
        "form": form,
        "errors": errors,
        "result": result,
        "columns": [*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS],
        "required": REQUIRED_COLUMNS,
        "opd_column": not is_opd_staff(request.user),
    }
    return render(request, "spbe/application_import.html", context, status=status)


EXPORT_HEADERS = ("opd", "name", "purpose", "kind", "status", "users", "hosting", "url", "domains", "integrations")


@reader_required
@require_GET
def application_export(request, fmt: str):
    """Download the inventory the user sees in the import's own columns (formula-looking cells neutralised)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    applications = selectors.application_list(request.user, opd_id=_opd_filter(request)).prefetch_related(
        "integrations"
    )
    rows = (
        [
            app.opd.code, app.name, app.purpose, app.kind, app.status, app.users, app.hosting, app.url,
            "; ".join(domain.domain for domain in app.domains.all()),
            "; ".join(other.name for other in app.integrations.all()),
        ]
        for app in applications
    )  # fmt: skip
    buffer = io.BytesIO()
    if fmt == "xlsx":
        write_xlsx(buffer, sheet_name=_("Applications"), headers=EXPORT_HEADERS, rows=rows, widths=(14, 40, 50))
        content_type = XLSX_CONTENT_TYPE
    else:
        write_csv(buffer, headers=EXPORT_HEADERS, rows=rows)
        content_type = CSV_CONTENT_TYPE
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"aplikasi-spbe.{fmt}", content_type=content_type)


@reader_required
@require_GET
def dataset_list(request):
    opd_id = _opd_filter(request)
    context = {
        "datasets": list(selectors.dataset_list(request.user, opd_id=opd_id)),
        "opds": list(Opd.objects.filter(is_active=True)) if reads_every_opd(request.user) else [],
        "opd_id": opd_id,
        "can_keep": can_keep_catalogue(request.user),
    }
    return render(request, "spbe/dataset_list.html", context)


@reader_required
@require_GET
def dataset_detail(request, pk: int):
    dataset = access_dataset(request.user, pk)
    context = {
        "dataset": dataset,
        "applications": list(dataset.applications.select_related("opd")),
        "can_edit": owns(request.user, dataset.producer_id),
    }
    return render(request, "spbe/dataset_detail.html", context)


def _dataset_form(request, instance=None):
    staff = is_opd_staff(request.user)
    return DatasetForm(
        request.POST or None,
        instance=instance,
        choose_opd=not staff and instance is None,
        user_opd_id=request.user.opd_id if staff else None,
    )


def _dataset_data(form) -> dict:
    return {**form.cleaned_data, "applications": list(form.cleaned_data.get("applications", []))}


@keeper_required
def dataset_create(request):
    form = _dataset_form(request)
    if request.method == "POST" and form.is_valid():
        producer = form.cleaned_data.get("producer") or request.user.opd
        try:
            dataset = service.dataset_create(by=request.user, producer=producer, data=_dataset_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Dataset added to the catalogue."))
            return redirect("spbe:dataset_detail", pk=dataset.pk)
    return render(request, "spbe/dataset_form.html", {"form": form, "dataset": None})


@keeper_required
def dataset_edit(request, pk: int):
    dataset = access_dataset(request.user, pk, write=True)
    form = _dataset_form(request, instance=dataset)
    if request.method == "POST" and form.is_valid():
        try:
            service.dataset_update(dataset=dataset, by=request.user, data=_dataset_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("spbe:dataset_detail", pk=pk)
    return render(request, "spbe/dataset_form.html", {"form": form, "dataset": dataset})
