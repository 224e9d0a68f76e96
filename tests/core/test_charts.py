"""The Gantt drawing's horizon bands: short and long always, medium only when the masterplan has one."""

import re
from types import SimpleNamespace

from core.charts import Series, gantt, stacked_bars

YEARS = list(range(2023, 2033))
SHORT_AND_LONG = [("short", "Jangka pendek", 2023, 2026), ("long", "Jangka panjang", 2027, 2032)]
THREE = [
    ("short", "Jangka pendek", 2023, 2026),
    ("medium", "Jangka menengah", 2027, 2029),
    ("long", "Jangka panjang", 2030, 2032),
]


def programme(start: int, end: int):
    pillar = SimpleNamespace(code="GOV")
    return SimpleNamespace(title="Program <uji>", element=SimpleNamespace(pillar=pillar), start_year=start,
                           end_year=end, is_quick_win=False)  # fmt: skip


def draw(horizons) -> str:
    return gantt([programme(2024, 2028)], years=YEARS, horizons=horizons, title="Peta jalan", quick_win_label="QW").svg


def bands(svg: str) -> list[tuple[str, float, float]]:
    """Return each band's key, left edge and width, in the order drawn."""
    found = re.findall(r'<rect class="horizon horizon-(\w+)" x="([\d.]+)" y="0" width="([\d.]+)"', svg)
    return [(key, float(x), float(width)) for key, x, width in found]


def dashed_lines(svg: str) -> list[float]:
    return [float(x) for x in re.findall(r'<line x1="([\d.]+)"[^>]*stroke-dasharray', svg)]


def test_a_masterplan_with_a_medium_term_gets_three_bands_side_by_side():
    svg = draw(THREE)
    drawn = bands(svg)
    assert [key for key, _x, _w in drawn] == ["short", "medium", "long"]
    column = (900 - 300 - 10) / 10
    assert [round(width / column) for _key, _x, width in drawn] == [4, 3, 3]
    assert all(abs(left + width - drawn[i + 1][1]) < 0.2 for i, (_k, left, width) in enumerate(drawn[:-1]))
    assert re.findall(r'<text[^>]*font-weight="bold"[^>]*>([^<]*)</text>', svg) == [
        "Jangka pendek", "Jangka menengah", "Jangka panjang"
    ]  # fmt: skip
    assert dashed_lines(svg) == [drawn[1][1], drawn[2][1]]


def test_without_a_medium_term_there_is_no_medium_band():
    svg = draw(SHORT_AND_LONG)
    assert [key for key, _x, _w in bands(svg)] == ["short", "long"]
    assert "horizon-medium" not in svg and "Jangka menengah" not in svg
    assert len(dashed_lines(svg)) == 1


def test_a_band_label_too_long_for_its_band_is_squeezed_into_it_and_escaped():
    svg = draw([("short", "Jangka <pendek> sekali", 2023, 2023), ("long", "Jangka panjang", 2024, 2032)])
    assert "Jangka &lt;pendek&gt; sekali" in svg and "<pendek>" not in svg
    assert re.search(r'textLength="51\.0" lengthAdjust="spacingAndGlyphs">Jangka &lt;pendek', svg)
    assert "Program &lt;uji&gt;" in svg


def test_the_drawing_declares_the_size_it_is_drawn_at_so_a_page_can_show_it_unscaled():
    """portal.css shows a chart at its declared width and scrolls it on a phone: width, height and viewBox agree."""
    chart = gantt([programme(2024, 2028), programme(2025, 2026)], years=YEARS, horizons=THREE, title="Peta jalan",
                  quick_win_label="QW")  # fmt: skip
    assert (chart.title, chart.width) == ("Peta jalan", 900)
    opening = re.match(r"<svg [^>]*>", chart.svg).group(0)
    assert 'viewBox="0 0 900 108" width="900" height="108"' in opening  # header 44 + 2 rows of 20 + legend 24
    assert 'font-size="11"' in opening
    wide = gantt([programme(2024, 2028)], years=YEARS, horizons=THREE, title="Peta jalan", quick_win_label="QW",
                 width=1200)  # fmt: skip
    assert 'viewBox="0 0 1200 88" width="1200" height="88"' in wide.svg and wide.width == 1200
    bars = stacked_bars([("Smart Governance", [3, 1])], [Series("a", "#000"), Series("b", "#fff")], title="Per pilar")
    assert (bars.title, bars.width) == ("Per pilar", 720)
    assert 'viewBox="0 0 720 ' in bars.svg and 'font-size="12"' in bars.svg


def test_a_chart_shows_as_its_drawing_in_a_template():
    """{{ chart }} writes the SVG unescaped (a page, a PDF); the chart include names its frame after the chart."""
    from django.template import engines

    chart = stacked_bars([("OPD <A>", [2])], [Series("Terkirim", "#000")], title="Partisipasi & OPD")
    django_engine = engines["django"]
    assert django_engine.from_string("{{ chart }}").render({"chart": chart}) == chart.svg
    framed = django_engine.from_string('{% include "includes/chart.html" %}').render({"chart": chart})
    assert 'class="chart-frame chart-frame-720"' in framed
    assert 'role="region" aria-label="Partisipasi &amp; OPD"' in framed and chart.svg in framed
