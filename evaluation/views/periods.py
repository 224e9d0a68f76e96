"""Reporting periods: the list (Kominfo opens one there), a period's due programmes, closing and reopening."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import allowed_if
from core.views import add_service_errors, perform
from masterplan.models import Programme

from .. import access, selectors
from ..forms import PeriodOpenForm, ReopenForm
from ..services import periods as service
from ..services import reports as report_service


@allowed_if(access.can_read_evaluation)
@require_http_methods(["GET", "POST"])
def period_list(request):
    """List the reporting periods; Kominfo opens a new one from here."""
    form = None
    if access.can_manage_periods(request.user):
        form = PeriodOpenForm(request.POST or None, masterplans=selectors.final_masterplans())
        if request.method == "POST" and form.is_valid():
            try:
                period = service.period_open(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The %(year)d reporting period is open.") % {"year": period.year})
                return redirect("evaluation:period_detail", period_pk=period.pk)
    elif request.method == "POST":
        return redirect("evaluation:periods")
    context = {"periods": selectors.periods_list(), "form": form}
    return render(request, "evaluation/period_list.html", context)


@allowed_if(access.can_read_evaluation)
@require_GET
def period_detail(request, period_pk: int):
    """Show the programmes due in the period with their reports (an OPD's staff see their own programmes)."""
    period = access.access_period(request.user, period_pk)
    rows = selectors.period_programmes(period, request.user)
    context = {
        "period": period,
        "rows": rows,
        "can_manage": access.can_manage_periods(request.user),
        "reopen_form": ReopenForm(opds=selectors.reporting_opds(period)),
        "reads_all": access.can_read_every_report(request.user),
    }
    return render(request, "evaluation/period_detail.html", context)


@allowed_if(access.can_manage_periods)
@require_POST
def period_close(request, period_pk: int):
    period = access.access_period(request.user, period_pk)
    perform(request, partial(service.period_close, period=period, by=request.user), _("The period is closed."))
    return redirect("evaluation:period_detail", period_pk=period_pk)


@allowed_if(access.can_manage_periods)
@require_POST
def period_reopen(request, period_pk: int):
    period = access.access_period(request.user, period_pk)
    form = ReopenForm(request.POST, opds=selectors.reporting_opds(period))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("evaluation:period_detail", period_pk=period_pk)
    perform(
        request,
        partial(service.period_reopen, period=period, by=request.user, **form.cleaned_data),
        _("The period is reopened for %(opd)s.") % {"opd": form.cleaned_data["opd"].name},
    )
    return redirect("evaluation:period_detail", period_pk=period_pk)


@allowed_if(access.can_write_reports)
@require_POST
def report_start(request, period_pk: int, programme_pk: int):
    """Open the programme's report of the period, starting its draft if there is none (lead OPD only)."""
    period = access.access_period(request.user, period_pk)
    programme = get_object_or_404(
        Programme.objects.filter(lead_opd_id=request.user.opd_id), pk=programme_pk, masterplan_id=period.masterplan_id
    )
    try:
        report = report_service.report_start(period=period, programme=programme, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("evaluation:period_detail", period_pk=period_pk)
    return redirect("evaluation:report_edit", report_pk=report.pk)


@allowed_if(access.can_write_reports)
@require_GET
def my_reports(request):
    """Show the OPD's programmes due in a period, with their deadlines and reports."""
    rows = selectors.opd_due_reports(request.user.opd_id)
    return render(request, "evaluation/my_reports.html", {"rows": rows})
