"""The Laporan Monitoring dan Evaluasi Masterplan Smart City of one year as a PDF (WeasyPrint, core.pdf).

Always in Bahasa Indonesia, in the register of a Pemerintah Kabupaten: its wording lives in the templates under
templates/evaluation/pdf/. Its figures are the selectors' (selectors.figures), the same as the page's and the
spreadsheet's.
"""

from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.pdf import bundled_url, render_html_pdf

from . import charts
from .models import ReportingPeriod
from .selectors import figures

# The masterplan PDF's look, with a few additions of the evaluation's own.
STYLESHEETS = [bundled_url("portal/css/masterplan-pdf.css"), bundled_url("portal/css/evaluation-pdf.css")]


def render_evaluation_pdf(
    period: ReportingPeriod, *, on_progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """Render the period's evaluation report; return its bytes and its number of pages."""
    report = on_progress or (lambda percent: None)
    with translation.override("id"):
        html = render_to_string("evaluation/pdf/document.html", document_context(period))
        report(40)
        pdf, page_count = render_html_pdf(html, on_layout=lambda: report(90))
    report(100)
    return pdf, page_count


def document_context(period: ReportingPeriod) -> dict:
    """Return everything the document shows, loaded in a fixed number of queries."""
    data = figures.evaluation_figures(period)
    return {
        "period": period,
        "masterplan": period.masterplan,
        **data,
        "evidence": list(figures.verified_evidence(period)),
        "absorption_chart": charts.absorption_chart(data["by_source"]),
        "pillar_chart": charts.pillar_achievement_chart(data["by_pillar"]),
        "rendered_at": timezone.localtime(),
        "region_name": settings.REGION_NAME,
        "region_logo": bundled_url(settings.REGION_LOGO),
        "stylesheets": STYLESHEETS,
    }
