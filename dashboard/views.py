"""The three dashboards (OPD staff, Kominfo admin, the Bupati's office): the portal's home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bimtek.selectors import continuity_summary
from core.charts import Series, stacked_bars
from evaluation.selectors import opd_due_reports
from masterplan.access import can_export_pdf
from masterplan.selectors import current_masterplan
from opd import selectors as submission_selectors
from opd.models import Opd, SubmissionStatus

from . import selectors

STATUS_COLORS = {
    SubmissionStatus.SUBMITTED: "#0b5394",
    SubmissionStatus.IN_REVIEW: "#2b6cb0",
    SubmissionStatus.REVISION_REQUESTED: "#e69138",
    SubmissionStatus.APPROVED: "#38761d",
    SubmissionStatus.REJECTED: "#a61c00",
    SubmissionStatus.WITHDRAWN: "#666666",
}


def pillar_chart(table: dict):
    """Draw the pillar × status table as stacked bars."""
    series = [Series(str(label), STATUS_COLORS[value]) for value, label in table["statuses"]]
    rows = [(row["pillar"].name, row["counts"]) for row in table["rows"]]
    return stacked_bars(rows, series, title=_("Submissions by pillar and status"))


def participation_chart(participation: list) -> str:
    """Draw, per kind of OPD, how many OPDs have sent something and how many have not."""
    kinds: dict = {}
    # One lookup table rather than get_kind_display() per OPD, which re-hashes the choices every call.
    labels = {value: str(label) for value, label in Opd.Kind.choices}
    for opd in participation:
        label = labels.get(opd.kind, opd.kind)
        sent, silent = kinds.setdefault(label, [0, 0])
        kinds[label] = [sent + (opd.sent > 0), silent + (opd.sent == 0)]
    series = [Series(_("OPDs that have sent"), "#38761d"), Series(_("OPDs with nothing sent"), "#cc0000")]
    return stacked_bars(list(kinds.items()), series, title=_("OPD participation"))


@login_required
@require_GET
def home(request):
    """Show the dashboard of the user's role."""
    user = request.user
    context = {}
    if user.is_opd_staff:
        template = "dashboard/opd_staff.html"
        context |= {
            "opd": user.opd,
            "mine": submission_selectors.opd_dashboard(user.opd),
            # Translated once per page rather than get_status_display() per row, which rebuilds the choices each call.
            "status_labels": dict(SubmissionStatus.choices),
            "due_reports": opd_due_reports(user.opd_id),
            "pillars": selectors.pillars_with_elements(),
        }
    else:
        figures = submission_selectors.review_dashboard(user)
        context |= {
            "figures": figures,
            "pillar_chart": pillar_chart(figures["pillar_table"]),
            "participation_chart": participation_chart(figures["participation"]),
            "opds": selectors.opd_overview(),
            "bimtek": continuity_summary(),
            "masterplan": current_masterplan(),
        }
        context["can_export_masterplan"] = context["masterplan"] is not None and can_export_pdf(
            user, context["masterplan"]
        )
        if user.is_kominfo_admin:
            template = "dashboard/kominfo_admin.html"
            context["accounts"] = selectors.account_counts()
        else:
            template = "dashboard/executive.html"
            context["pillars"] = selectors.pillars_with_elements()
    return render(request, template, context)
