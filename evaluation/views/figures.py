"""The evaluation of a period (achievement, budget absorption, programmes at risk, per pillar and per OPD),
a programme year over year, the spreadsheet of every figure and the evaluation report's PDF."""

from functools import partial

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import allowed_if
from core.downloads import spreadsheet_response

from .. import access, charts, selectors
from ..exports import write_evaluation_xlsx
from ..models import EvaluationExport
from ..selectors import figures
from ..services import exports as export_service


@allowed_if(access.can_read_every_report)
@require_GET
def evaluation(request, period_pk: int):
    """Show the period's figures, from its verified reports."""
    period = access.access_period(request.user, period_pk)
    data = figures.evaluation_figures(period)
    context = {
        "period": period,
        **data,
        "absorption_chart": charts.absorption_chart(data["by_source"]),
        "pillar_chart": charts.pillar_achievement_chart(data["by_pillar"]),
        "exports": selectors.recent_evaluation_exports(period),
        "can_export": access.can_export_evaluation(request.user),
    }
    return render(request, "evaluation/evaluation.html", context)


@allowed_if(access.can_read_every_report)
@require_GET
def programme_years(request, programme_pk: int):
    """Show one programme's verified achievement and spending, year over year."""
    programme = get_object_or_404(figures.year_over_year_programmes(), pk=programme_pk)
    years = figures.programme_years(programme)
    context = {"programme": programme, "years": years, "chart": charts.years_chart(years)}
    return render(request, "evaluation/programme_years.html", context)


@allowed_if(access.can_read_every_report)
@require_GET
def evaluation_xlsx(request, period_pk: int):
    """Download every figure of the period as a spreadsheet."""
    period = access.access_period(request.user, period_pk)
    return spreadsheet_response(partial(write_evaluation_xlsx, period), filename=f"monev-{period.year}.xlsx")


@allowed_if(access.can_export_evaluation)
@require_POST
def export_start(request, period_pk: int):
    """Queue the evaluation report's PDF; the request never waits for the render."""
    period = access.access_period(request.user, period_pk)
    export, created = export_service.evaluation_export_request(period=period, by=request.user)
    if created:
        messages.info(request, _("The evaluation report is being prepared; it appears below when it is ready."))
    else:
        messages.warning(request, _("The evaluation report is already being prepared."))
    return redirect(f"{reverse('evaluation:evaluation', args=[period_pk])}#exports")


@allowed_if(access.can_export_evaluation)
@require_GET
def export_download(request, period_pk: int, export_pk: int):
    period = access.access_period(request.user, period_pk)
    export = EvaluationExport.objects.filter(period=period, pk=export_pk).first()
    if export is None or export.status != EvaluationExport.Status.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=f"laporan-monev-{period.year}.pdf", content_type="application/pdf"
    )
