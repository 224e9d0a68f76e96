"""Small server-side SVG charts: no JavaScript, the same drawing on screen and in a PDF."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    label: str
    color: str


def stacked_bars(
    rows: list[tuple[str, list[int]]], series: list[Series], *, title: str, width: int = 720, label_width: int = 230
) -> SafeString:
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
    return mark_safe("".join(parts))  # every text above is escaped
