"""The masterplan document's section on its drafting process: the Bimtek stages held, their dates, mode and place,
and how the invited OPDs took part. Registered with masterplan.sections in BimtekConfig.ready(), since the
masterplan (a layer below) never imports the Bimtek."""

from django.conf import settings
from django.template.loader import render_to_string

from masterplan.sections import Section

from .selectors import continuity_report

ANCHOR = "proses-penyusunan"
TITLE = "Proses Penyusunan (Bimtek)"


def drafting_process_section(masterplan) -> Section | None:
    """Return the section for the masterplan's PDF, or None when the masterplan has no Bimtek stage."""
    report = continuity_report(masterplan)
    if not report.figures:
        return None
    held = report.held_figures
    context = {
        "report": report,
        "held": held,
        "kept": len(report.rows) - report.broken_count,
        "organiser": settings.BIMTEK_ORGANISER,
        "region_name": settings.REGION_NAME,
    }
    return Section(anchor=ANCHOR, title=TITLE, html=render_to_string("bimtek/pdf/masterplan_section.html", context))
