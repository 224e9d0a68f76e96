"""The masterplan as a printable PDF (WeasyPrint), fed only by the portal's own bundled static files.

The document is always in Bahasa Indonesia: it is the regency's official text, so its wording lives
in the templates under templates/masterplan/pdf/ and the model labels are read with Indonesian active.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.charts import PILLAR_COLORS, gantt
from core.pdf import bundled_url, render_html_pdf

from . import selectors
from .models import Masterplan
from .sections import sections_for

# Templates and the stylesheet name their assets as bundled:/fonts/..., never by file path or host (core.pdf).
STYLESHEET = bundled_url("portal/css/masterplan-pdf.css")
# Rows of one Gantt drawing: as many as fit on one A4 landscape page under its heading.
GANTT_ROWS_PER_PAGE = 24
# A Gantt row's label, as charts.gantt would cut it. WeasyPrint lays out SVG text one letter at a time, far
# slower than HTML text, so the labels are printed as HTML lines over the drawing's label column instead
# (static/portal/css/masterplan-pdf.css, .gantt-labels: placed for charts.gantt's geometry).
GANTT_LABEL_LENGTH = 48


@dataclass(frozen=True)
class GanttPage:
    """One page's Gantt drawing (its bars, without labels) and the labels of its rows, one a line."""

    caption: str
    svg: SafeString
    labels: str


@dataclass(frozen=True)
class GanttRow:
    """A programme as charts.gantt reads it, its title led by its number in this document."""

    title: str
    element: object
    start_year: int
    end_year: int
    is_quick_win: bool


def render_masterplan_pdf(
    masterplan: Masterplan, *, version: int, on_progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """Render the whole masterplan document as PDF; return its bytes and its number of pages."""
    report = on_progress or (lambda percent: None)
    with translation.override("id"):
        html = document_html(masterplan, version=version, on_progress=report)
        report(40)
        pdf, page_count = render_html_pdf(html, on_layout=lambda: report(90))
    report(100)
    return pdf, page_count


def document_html(masterplan: Masterplan, *, version: int, on_progress: Callable[[int], None]) -> str:
    """Return the document's HTML; the loaded rows (context) are freed on return, before the layout starts."""
    context = document_context(masterplan, version=version)
    on_progress(10)
    return render_to_string("masterplan/pdf/document.html", context)


def document_context(masterplan: Masterplan, *, version: int) -> dict:
    """Return everything the document template shows, loaded in a fixed number of queries."""
    roadmap = selectors.roadmap(masterplan)
    annex = selectors.source_submissions_by_opd(masterplan)
    fed: dict[int, list] = {}
    for index, pillar in enumerate(roadmap.pillars, start=1):
        pillar.number = index
        # The document numbers a pillar's short-term programmes first, so each part of its roadmap reads in sequence.
        pillar.programmes = [*pillar.short_term, *pillar.long_term]
        for position, programme in enumerate(pillar.programmes, start=1):
            programme.number = f"{index}.{position}"
            programme.years_label = years_label(programme.start_year, programme.end_year)
            for submission in programme.submissions.all():
                fed.setdefault(submission.pk, []).append(programme)
    for _opd, submissions in annex:
        for submission in submissions:
            submission.fed_programmes = fed.get(submission.pk, [])
    years = masterplan.years
    # Sections other apps add (the Bimtek's drafting process) follow the pillars' analyses as 3.7, 3.8…
    extra_sections = [
        (f"3.{number}", section)
        for number, section in enumerate(sections_for(masterplan), start=len(roadmap.pillars) + 1)
    ]
    return {
        "masterplan": masterplan,
        "roadmap": roadmap,
        "version": version,
        "rendered_at": timezone.localtime(),
        "region_name": settings.REGION_NAME,
        "region_logo": bundled_url(settings.REGION_LOGO),
        "head_of_region": head_of_region(settings.REGION_NAME),
        "stylesheet": STYLESHEET,
        "short_years": (masterplan.start_year, masterplan.short_term_end_year),
        "long_years": (masterplan.short_term_end_year + 1, masterplan.end_year),
        "short_term_charts": gantt_pages(masterplan, roadmap.short_term, "Peta jalan jangka pendek"),
        "long_term_charts": gantt_pages(masterplan, roadmap.long_term, "Peta jalan jangka panjang"),
        "pillar_legend": pillar_legend([pillar.pillar for pillar in roadmap.pillars]),
        "budget_by_pillar": [(pillar, pillar.short_term_budget, pillar.long_term_budget) for pillar in roadmap.pillars],
        "budget_by_source": [
            (label, amount, amount * 100 / roadmap.budget if roadmap.budget else 0)
            for label, amount in roadmap.budget_by_source
        ],
        "quick_win_budget": roadmap.quick_win_budget,
        "budget_short_term": roadmap.short_term_budget,
        "budget_long_term": roadmap.long_term_budget,
        "year_count": len(years),
        "analysis_sections": extra_sections,
        "annex": annex,
    }


def gantt_pages(masterplan: Masterplan, programmes: list, title: str) -> list[GanttPage]:
    """Split a roadmap into Gantt drawings of one page each, their row labels apart from the drawing."""
    chunks = [programmes[i : i + GANTT_ROWS_PER_PAGE] for i in range(0, len(programmes), GANTT_ROWS_PER_PAGE)]
    pages = []
    for index, chunk in enumerate(chunks, start=1):
        caption = title if len(chunks) == 1 else f"{title} ({index}/{len(chunks)})"
        svg = gantt(
            [GanttRow("", p.element, p.start_year, p.end_year, p.is_quick_win) for p in chunk],
            years=masterplan.years,
            short_term_end_year=masterplan.short_term_end_year,
            title=caption,
            short_label="Jangka pendek",
            long_label="Jangka panjang",
            quick_win_label="Quick Win",
        )
        labels = "\n".join(gantt_label(f"{p.number} {p.title}") for p in chunk)
        pages.append(GanttPage(caption, svg, labels))
    return pages


def gantt_label(text: str) -> str:
    """Return a Gantt row's label on one line, cut to the length the drawing's label column holds."""
    text = " ".join(text.split())
    return text if len(text) <= GANTT_LABEL_LENGTH else text[: GANTT_LABEL_LENGTH - 1] + "…"


def pillar_legend(pillars: list) -> SafeString:
    """Draw the Gantt bars' pillar colours as one line of swatches, as wide as the Gantt drawing."""
    step = 900 / max(len(pillars), 1)
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" class="pillar-legend" viewBox="0 0 900 18" width="900" height="18" '
        'font-family="sans-serif" font-size="11">'
    ]
    for index, pillar in enumerate(pillars):
        x = index * step
        color = PILLAR_COLORS.get(pillar.code, "#666666")
        parts.append(f'<rect x="{x:.1f}" y="3" width="12" height="12" rx="2" fill="{color}"/>')
        parts.append(f'<text x="{x + 17:.1f}" y="13">{escape(pillar.name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # the only text, the pillar names, is escaped


def years_label(start: int, end: int) -> str:
    """Return "2024" for a one-year programme, "2024–2026" otherwise."""
    return str(start) if start == end else f"{start}–{end}"


def head_of_region(region_name: str) -> str:
    """Return who signs for the region: Bupati of a kabupaten, Wali Kota of a kota."""
    lowered = region_name.lower()
    place = region_name.split(" ", 1)[1] if " " in region_name else region_name
    if lowered.startswith("kabupaten"):
        return f"Bupati {place}"
    if lowered.startswith("kota"):
        return f"Wali Kota {place}"
    return f"Kepala Daerah {region_name}"
