"""Each horizon with its years: the masterplan page's header, its Gantt drawings and the PDF's Buku IV."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from masterplan.books import Book
from masterplan.models import Masterplan
from masterplan.pdf import document_context, render_masterplan_pdf
from masterplan.templatetags.roadmap import horizons_line
from tests.masterplan.factories import realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


def with_medium_term(masterplan, short: int = 2026, medium: int | None = 2029):
    Masterplan.objects.filter(pk=masterplan.pk).update(short_term_end_year=short, medium_term_end_year=medium)
    masterplan.refresh_from_db()
    return masterplan


def header(client, masterplan) -> str:
    page = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    return re.search(r'data-testid="masterplan-horizons">([^<]*)<', page).group(1), page


def test_the_header_names_each_horizon_with_its_years(client, executive, masterplan):
    client.force_login(executive)
    with_medium_term(masterplan)
    line, page = header(client, masterplan)
    assert line == "Jangka pendek 2023–2026 · Jangka menengah 2027–2029 · Jangka panjang 2030–2032"
    assert "periode 2023–2032" in page


def test_the_header_without_a_medium_term_names_two_horizons_and_a_one_year_term_once(client, executive, masterplan):
    client.force_login(executive)
    line, _page = header(client, masterplan)
    assert line == "Jangka pendek 2023–2027 · Jangka panjang 2028–2032"
    with_medium_term(masterplan, short=2023, medium=None)
    assert horizons_line(masterplan) == "Jangka pendek 2023 · Jangka panjang 2024–2032"


def test_the_page_s_gantt_draws_the_medium_band_only_when_there_is_a_medium_term(client, executive, masterplan):
    client.force_login(executive)
    _line, page = header(client, masterplan)
    assert "horizon-short" in page and "horizon-long" in page
    assert "horizon-medium" not in page
    with_medium_term(masterplan)
    _line, page = header(client, masterplan)
    assert page.count('class="horizon horizon-medium"') == page.count('class="horizon horizon-short"') >= 1
    assert '<text x="540.0" y="13" font-weight="bold">Jangka menengah</text>' in page


def test_the_pdf_s_roadmap_names_the_three_horizons_in_its_text_and_its_gantt(kominfo_admin):
    masterplan = with_medium_term(realistic_masterplan(admin=kominfo_admin, programme_count=6, submission_count=1))
    pdf, _pages = render_masterplan_pdf(masterplan, version=1, book=Book.ROADMAP)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)

    assert "jangka pendek 2023–2026, jangka menengah 2027–2029, jangka panjang 2030–2032" in text
    assert "Jangka pendek (2023–2026) Jangka menengah (2027–2029) Jangka panjang (2030–2032)" in text
    charts = [chart for pillar in document_context(masterplan, version=1, book=Book.ROADMAP)["roadmap"].pillars
              for chart in pillar.charts]  # fmt: skip
    assert charts and all(
        re.findall(r'<text[^>]*font-weight="bold"[^>]*>([^<]*)</text>', chart.svg)
        == ["Jangka pendek", "Jangka menengah", "Jangka panjang"]
        for chart in charts
    )
