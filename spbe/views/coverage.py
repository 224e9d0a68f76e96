"""The coverage views and the masterplan's chapter "Integrasi SPBE dan Satu Data" on the web."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from masterplan.access import access_masterplan
from masterplan.models import Masterplan

from .. import selectors
from ..access import coverage_required, reader_required


@coverage_required
@require_GET
def coverage(request):
    """Applications and datasets per pillar and SPBE domain, and what no programme covers, for one masterplan."""
    masterplan = selectors.current_masterplan(
        request.GET.get("masterplan") if request.GET.get("masterplan", "").isdigit() else None
    )
    context = {
        "coverage": selectors.coverage(masterplan),
        "masterplans": list(Masterplan.objects.only("pk", "title", "start_year", "end_year", "status")),
        "figures": selectors.inventory_figures(),
    }
    return render(request, "spbe/coverage.html", context)


@reader_required
@require_GET
def masterplan_chapter(request, pk: int):
    """Show the chapter the masterplan's PDF carries: applications and datasets per programme, the matrix, the gaps."""
    masterplan = access_masterplan(request.user, pk)
    return render(
        request, "spbe/masterplan_chapter.html", {"masterplan": masterplan, "coverage": selectors.coverage(masterplan)}
    )
