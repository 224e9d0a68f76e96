"""Small server-side SVG charts: no JavaScript, the same drawing on screen and in a PDF."""

import html
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe


def escape(text) -> str:
    """Escape a text as django.utils.html.escape does, without its lazy-string check (a chart escapes hundreds)."""
    return html.escape(str(text))


@dataclass(frozen=True)
class Chart:
    """A drawn chart: the title naming it, the width it is drawn at (px) and its SVG.

    It shows as its SVG wherever it is written into a template (`{{ chart }}`, a page or a PDF);
    templates/includes/chart.html puts it in a frame that scrolls sideways, named after it, on a narrow screen.
    """

    title: str
    width: int
    svg: SafeString

    def __html__(self) -> SafeString:
        return self.svg

    def __str__(self) -> str:
        return self.svg


@dataclass(frozen=True)
class Series:
    label: str
    color: str


def stacked_bars(
    rows: list[tuple[str, list[int]]], series: list[Series], *, title: str, width: int = 720, label_width: int = 230
) -> Chart:
    """Draw horizontal stacked bars, one row per (label, values by series), with a legend above."""
    bar_height, gap = 22, 8
    legend_lines, x = 1, 0
    for item in series:
        step = 24 + 7 * len(item.label)
        if x + step > width:
            legend_lines, x = legend_lines + 1, 0
        x += step
    top = 12 + 20 * legend_lines
    plot_width = width - label_width - 50
    biggest = max([sum(values) for _label, values in rows] + [1])
    height = top + len(rows) * (bar_height + gap) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    x, y = 0, 6
    for item in series:  # legend, wrapped onto as many lines as it needs
        step = 24 + 7 * len(item.label)
        if x + step > width:
            x, y = 0, y + 20
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{item.color}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 10}">{escape(item.label)}</text>')
        x += step
    for index, (label, values) in enumerate(rows):
        y = top + index * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end">{escape(label)}</text>'
        )
        x = float(label_width)
        for value, item in zip(values, series, strict=True):
            if value:
                length = plot_width * value / biggest
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{bar_height}" fill="{item.color}">'
                    f"<title>{escape(label)} · {escape(item.label)}: {value}</title></rect>"
                )
                x += length
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_height * 0.7:.1f}">{sum(values)}</text>')
    parts.append("</svg>")
    return Chart(title, width, mark_safe("".join(parts)))  # every text above is escaped


PILLAR_COLORS = {
    "GOV": "#0b5394",
    "BRD": "#b45f06",
    "ECO": "#38761d",
    "LIV": "#a61c00",
    "SOC": "#674ea7",
    "ENV": "#134f5c",
}


def _diamond(cx: float, cy: float, size: float = 6) -> str:
    return f"M{cx:.1f} {cy - size:.1f} L{cx + size:.1f} {cy:.1f} L{cx:.1f} {cy + size:.1f} L{cx - size:.1f} {cy:.1f} Z"


def _truncate(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# The horizon bands over a Gantt's years, by the masterplan's term keys; a band of another key is grey.
HORIZON_COLORS = {"short": "#dbe7f3", "medium": "#e0eed8", "long": "#f3e6d6"}


def gantt(
    programmes: list,
    *,
    years: list[int],
    horizons: list[tuple[str, str, int, int]],
    title: str,
    quick_win_label: str,
    width: int = 900,
) -> Chart:
    """Draw programmes as bars across the years of the period (a Gantt-like roadmap).

    `horizons` are the bands over the years, in order: (term key, label, first year, last year), as
    `Masterplan.horizon_years()` gives them (short, medium when the masterplan has one, long). Bars take their
    pillar's colour; a diamond marks a Quick Win; a dashed line separates one horizon from the next. Every text
    is escaped, so programme names typed by people are safe.
    """
    label_width, row_height, header = 300, 20, 44
    column = (width - label_width - 10) / max(len(years), 1)
    height = header + row_height * max(len(programmes), 1) + 24
    first = years[0] if years else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
    ]
    boundaries = []
    for key, band_label, band_first, band_last in horizons:
        label = str(band_label)
        left = label_width + column * (max(band_first, first) - first)
        right = label_width + column * (min(band_last, years[-1] if years else band_last) - first + 1)
        if right <= left:
            continue
        if left > label_width:
            boundaries.append(left)
        parts.append(
            f'<rect class="horizon horizon-{escape(key)}" x="{left:.1f}" y="0" width="{right - left:.1f}" height="18" '
            f'fill="{HORIZON_COLORS.get(key, "#e6e6e6")}"/>'
        )
        # A band too narrow for its label squeezes the label rather than letting it run into the next band.
        fit = (
            f' textLength="{right - left - 8:.1f}" lengthAdjust="spacingAndGlyphs"'
            if len(label) * 6.5 > right - left - 8
            else ""
        )
        parts.append(f'<text x="{left + 4:.1f}" y="13" font-weight="bold"{fit}>{escape(label)}</text>')
    for index, year in enumerate(years):
        x = label_width + column * index
        parts.append(f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 20}" stroke="#e0e0e0"/>')
        parts.append(f'<text x="{x + column / 2:.1f}" y="36" text-anchor="middle">{year}</text>')
    for index, programme in enumerate(programmes):
        y = header + index * row_height
        pillar_code = programme.element.pillar.code
        color = PILLAR_COLORS.get(pillar_code, "#666666")
        label = escape(_truncate(programme.title, 48))
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{label}</text>')
        start = max(programme.start_year, first)
        end = min(programme.end_year, years[-1]) if years else programme.end_year
        x = label_width + column * (start - first) + 2
        bar = max(column * (end - start + 1) - 4, 4)
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 4}" width="{bar:.1f}" height="{row_height - 8}" rx="3" fill="{color}">'
            f"<title>{escape(programme.title)}: {programme.start_year}–{programme.end_year}</title></rect>"
        )
        if programme.is_quick_win:
            parts.append(
                f'<path d="{_diamond(x + 7, y + row_height / 2)}" fill="#f1c232" stroke="#7f6000">'
                f"<title>{escape(quick_win_label)}</title></path>"
            )
    for boundary in boundaries:
        parts.append(
            f'<line x1="{boundary:.1f}" y1="20" x2="{boundary:.1f}" y2="{height - 20}" stroke="#333333" '
            f'stroke-dasharray="4 3"/>'
        )
    legend_y = height - 6
    parts.append(f'<path d="{_diamond(label_width + 6, legend_y - 4)}" fill="#f1c232" stroke="#7f6000"/>')
    parts.append(f'<text x="{label_width + 18}" y="{legend_y}">{escape(quick_win_label)}</text>')
    parts.append("</svg>")
    return Chart(title, width, mark_safe("".join(parts)))  # every text above is escaped
