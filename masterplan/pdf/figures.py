"""The document's drawings: the Gantt of each pillar's programmes (one page per drawing) and its pillar legend."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.charts import PILLAR_COLORS, gantt

from .facts import HORIZON_NAMES

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
    """A programme as charts.gantt reads it, its title led by its code."""

    title: str
    element: object
    start_year: int
    end_year: int
    is_quick_win: bool


def gantt_pages(masterplan, programmes: list, title: str) -> list[GanttPage]:
    """Split programmes into Gantt drawings of one page each, their row labels apart from the drawing."""
    chunks = [programmes[i : i + GANTT_ROWS_PER_PAGE] for i in range(0, len(programmes), GANTT_ROWS_PER_PAGE)]
    # The bands carry the document's own names of the horizons (Jangka pendek, menengah, panjang).
    horizons = [(term, HORIZON_NAMES[term][1], first, last) for term, _label, first, last in masterplan.horizon_years()]
    pages = []
    for index, chunk in enumerate(chunks, start=1):
        caption = title if len(chunks) == 1 else f"{title} ({index}/{len(chunks)})"
        svg = gantt(
            [GanttRow("", p.element, p.start_year, p.end_year, p.is_quick_win) for p in chunk],
            years=masterplan.years,
            horizons=horizons,
            title=caption,
            quick_win_label="Quick Win",
        ).svg
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
