"""The masterplan PDF: its content, metadata and escaping, and a fetcher that only serves bundled static files."""

import io
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pypdf import PdfReader

from core.pdf import ResourceRefused, StaticOnlyFetcher, render_html_pdf
from core.templatetags.portal import number as number_format
from masterplan.books import Book
from masterplan.models import Programme
from masterplan.pdf import (
    GANTT_LABEL_LENGTH,
    document_context,
    head_of_region,
    render_masterplan_pdf,
    years_label,
)
from pillars.models import Pillar
from tests.masterplan.factories import MasterplanFactory, ProgrammeFactory, realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

FONT = "bundled:/fonts/noto-sans/noto-sans-latin-400-normal.woff"


def pdf_text(pdf: bytes) -> str:
    """Return the PDF's text with every run of whitespace made one space (table cells wrap lines)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def unwrapped(text: str) -> str:
    """Return PDF text with the lines that wrapped after a hyphen ("antar- OPD") joined again."""
    return re.sub(r"(?<=\w)- (?=\w)", "-", text)


def pdf_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return fonts


@pytest.mark.django_db
def test_the_document_holds_every_pillar_programme_and_source_submission(kominfo_admin):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=20)
    progress = []

    pdf, page_count = render_masterplan_pdf(masterplan, version=4, on_progress=progress.append)

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == page_count > 20
    text = pdf_text(pdf)
    assert "Masterplan Smart City Kabupaten Mojokerto" in text
    assert "Tahun 2023–2032" in text and "Versi 4" in text
    for pillar in Pillar.objects.all():
        assert pillar.name_id in text
    for programme in masterplan.programmes.all():
        assert programme.title in text, programme.title
    for heading in ["Daftar Isi", "Analisis SWOT", "Quick Win", "Peta Jalan", "Pembiayaan", "Lampiran"]:
        assert heading in text
    assert "SC-2026-0001" in text  # the annex lists the source submissions
    assert re.search(r"Rp \d{1,3}(\.\d{3})+", text)  # Rupiah in Indonesian format
    assert "Quick Wins" not in text and not re.search(r"\b\d\.0 ", text)
    assert progress == [10, 40, 90, 100]

    metadata = reader.metadata
    assert (
        metadata.title == "Masterplan Smart City Kabupaten Mojokerto 2023–2032: Dokumen Masterplan Smart City (versi 4)"
    )
    assert metadata.author == "Kabupaten Mojokerto"
    assert metadata.creation_date is not None
    outline_titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Daftar Isi" in outline_titles and "Buku I Analisis Strategis" in outline_titles
    assert all(box == [0, 0, 595, 842] for box in ([round(v) for v in p.mediabox] for p in reader.pages[:5]))
    # The bundled fonts came through the static-only fetcher; nothing fell back to a system font.
    assert {font.split("+")[-1] for font in pdf_fonts(pdf)} <= {
        "Noto-Sans",
        "Noto-Sans-Bold",
        "Noto-Sans-Italic",
        "Noto-Sans-Bold-Italic",
    }


def programmes_in_order(masterplan) -> list:
    """Return the masterplan's programmes with their codes in the document, in the document's order."""
    with translation.override("id"):
        context = document_context(masterplan, version=1)
    return [programme for pillar in context["roadmap"].pillars for programme in pillar.programmes]


@pytest.mark.django_db
def test_every_programme_prints_its_facts_indicators_and_yearly_budgets_under_its_heading(kominfo_admin):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=14, submission_count=6)
    programmes = programmes_in_order(masterplan)

    pdf, _pages = render_masterplan_pdf(masterplan, version=1, book=Book.MASTERPLAN)

    text = unwrapped(pdf_text(pdf))
    start = text.index("Bab 8 Strategi dan Program per Pilar Setiap")
    chapter = text[start : text.index("Bab 9 Tata Kelola", start)]
    headings = [f"{p.number} {p.title}{' · Quick Win' if p.is_quick_win else ''} Elemen:" for p in programmes]
    starts = [chapter.index(heading) for heading in headings]
    assert starts == sorted(starts)
    assert any(p.is_quick_win for p in programmes) and any(p.submissions.exists() for p in programmes)
    with translation.override("id"):
        for programme, start, end in zip(programmes, starts, [*starts[1:], len(chapter)], strict=True):
            block = chapter[start:end]
            supporting = "; ".join(opd.name for opd in programme.supporting_opds.all()) or "–"
            sources = "; ".join(f"{s.reference} ({s.opd.short_name})" for s in programme.submissions.all()) or "–"
            facts = [
                f"Elemen: {programme.element.name} ",
                f"Penanggung jawab: {programme.lead_opd.name} ",
                f"OPD pendukung: {supporting} ",
                f"Tahun pelaksanaan: {programme.years_label} ({programme.term.label.lower()})",
                f"Usulan asal: {sources}",
                programme.description,
                "Anggaran (Rp): "
                + "; ".join(
                    f"{year} {source} {amount:,}".replace(",", ".") for year, source, amount in programme.budget_rows
                )
                + f" · jumlah {programme.total_budget:,}".replace(",", "."),
            ]
            for indicator in programme.indicators.all():
                unit = indicator.unit
                targets = "; ".join(f"{t.year}: {number_format(t.value)}{unit}" for t in indicator.targets.all())
                baseline = (
                    "–" if indicator.baseline_value is None else f"{number_format(indicator.baseline_value)}{unit}"
                )
                if indicator.baseline_year and indicator.baseline_value is not None:
                    baseline += f" ({indicator.baseline_year})"
                facts.append(
                    f"Indikator {indicator.get_kind_display().lower()}: {indicator.name} ({unit}) · "
                    f"kondisi awal {baseline} · target {targets}"
                )
            assert programme.indicators.count() == 2 and programme.budget_sum == programme.total_budget > 0
            for fact in facts:
                assert fact in block, (programme.number, fact)


@pytest.mark.django_db
def test_the_annex_lists_every_source_submission_with_the_codes_of_its_programmes(kominfo_admin):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=8, submission_count=8)
    programmes = programmes_in_order(masterplan)

    pdf, _pages = render_masterplan_pdf(masterplan, version=1, book=Book.MASTERPLAN)

    text = unwrapped(pdf_text(pdf))
    annex = text[text.index("Lampiran: Usulan OPD yang Menjadi Dasar Masterplan Usulan") :]
    with translation.override("id"):
        for programme in programmes:
            for submission in programme.submissions.all():
                assert (
                    f"{submission.reference} {submission.title} — {submission.get_kind_display()} · "
                    f"{submission.pillar.name} / {submission.element.name} · program {programme.number}"
                ) in annex


@pytest.mark.django_db
def test_the_gantt_drawings_hold_no_text_of_their_rows_and_their_labels_are_one_a_line(kominfo_admin, monkeypatch):
    # WeasyPrint lays out SVG text a letter at a time: the rows' labels are HTML lines over the drawing.
    monkeypatch.setattr("masterplan.pdf.figures.GANTT_ROWS_PER_PAGE", 3)
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=30, submission_count=2)
    first = masterplan.programmes.order_by("order", "pk")[0]
    Programme.objects.filter(pk=first.pk).update(
        title="Program dengan judul yang sangat panjang\nsehingga tidak muat pada satu baris label Gantt"
    )
    with translation.override("id"):
        pillars = document_context(masterplan, version=1, book=Book.ROADMAP)["roadmap"].pillars
    governance = pillars[0]

    captions = [chart.caption for chart in governance.charts]
    assert captions == ["Peta jalan Smart Governance (1/3)", "Peta jalan Smart Governance (2/3)",
                        "Peta jalan Smart Governance (3/3)"]  # fmt: skip
    lines = [line for chart in governance.charts for line in chart.labels.split("\n")]
    assert len(lines) == len(governance.programmes) == 8
    assert all(0 < len(line) <= GANTT_LABEL_LENGTH for line in lines)
    assert any(line.endswith("…") and "judul yang sangat panjang" in line for line in lines)
    for pillar in pillars:
        for chart in pillar.charts:
            texts = re.findall(r"<text[^>]*>([^<]*)</text>", chart.svg)
            allowed = {"Jangka pendek", "Jangka panjang", "Quick Win", *map(str, masterplan.years)}
            assert set(texts) - {""} <= allowed
            assert texts.count("") == len(chart.labels.split("\n"))


@pytest.mark.django_db
def test_a_programme_s_details_are_laid_out_as_paragraphs_without_tables_or_inline_elements(kominfo_admin):
    # The layout is box-lean on purpose (bench/notes.md, "Masterplan PDF"): a table cell or an inline element
    # per fact made the document lay out ~2x slower per page than plain text.
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=12, submission_count=6)
    with translation.override("id"):
        html = render_to_string("masterplan/pdf/document.html", document_context(masterplan, version=1))
    blocks = re.findall(r'<div class="programme">(.*?)</div>', html, re.S)
    assert len(blocks) == 12
    for block in blocks:
        assert not re.search(r"<(table|tr|td|th|b|strong|span|a)\b", block)
        assert len(re.findall(r"<[a-z]", block)) <= 6  # heading, facts, description, indicators, budgets (+ br)


@pytest.mark.django_db
def test_text_typed_by_people_is_printed_as_text_never_as_markup(kominfo_admin):
    masterplan = MasterplanFactory(
        created_by=kominfo_admin,
        title='Masterplan <script>alert("x")</script> & Uji',
        vision='Visi <a href="file:///etc/passwd">klik</a> <img src="http://127.0.0.1:9/x.png">',
    )
    ProgrammeFactory(masterplan=masterplan, title="<b>Program tebal</b> <style>body{display:none}</style>")

    with translation.override("id"):
        html = render_to_string("masterplan/pdf/document.html", document_context(masterplan, version=1))
    pdf, _pages = render_masterplan_pdf(masterplan, version=1)

    assert "<script>" not in html and "<b>Program" not in html and 'href="file:' not in html
    assert "&lt;script&gt;" in html
    text = pdf_text(pdf)
    assert 'Masterplan <script>alert("x")</script> & Uji' in text
    assert '<a href="file:///etc/passwd">klik</a>' in text
    assert "<b>Program tebal</b> <style>body{display:none}</style>" in text
    assert b"/URI" not in pdf  # no link was made out of the typed anchor
    assert PdfReader(io.BytesIO(pdf)).metadata.title.startswith('Masterplan <script>alert("x")</script> & Uji')


@pytest.mark.django_db
def test_the_document_issues_the_same_queries_for_few_or_many_programmes(kominfo_admin):
    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=3, submission_count=2)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries, translation.override("id"):
            render_to_string("masterplan/pdf/document.html", document_context(masterplan, version=1))
        return len(queries)

    few = count_queries()
    for number in range(12):
        ProgrammeFactory(masterplan=masterplan, title=f"Tambahan {number}", start_year=2023 + number % 10)
    assert count_queries() == few


# ---- The fetcher ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1/",
        "https://example.com/x.png",
        "ftp://example.com/x.png",
        "bundled:/../../etc/passwd",
        "bundled:/fonts/../../mojokerto_portal/settings.py",
        "bundled:/%2e%2e/%2e%2e/etc/passwd",
        "bundled:/fonts/..%5c..%5cmanage.py",
        "bundled://example.com/fonts/noto-sans/LICENSE",
        "bundled:/fonts/noto-sans/not-there.woff",
        "bundled:/fonts/noto-sans/",
        "/etc/passwd",
        "fonts/noto-sans/LICENSE",
    ],
)
def test_the_fetcher_refuses_anything_but_a_bundled_static_file(url):
    with pytest.raises(ResourceRefused):
        StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_bundled_fonts_stylesheets_and_data_uris():
    fetcher = StaticOnlyFetcher()
    font = fetcher.fetch(FONT)
    assert font.read(4) == b"wOFF"
    stylesheet = fetcher.fetch("bundled:/portal/css/masterplan-pdf.css")
    assert stylesheet.content_type == "text/css"  # WeasyPrint ignores a <link> stylesheet of another type
    assert b"@font-face" in stylesheet.read()
    assert fetcher.fetch("data:text/plain;base64,SGFsbw==").read() == b"Halo"


def test_the_fetcher_refuses_a_symlink_leading_out_of_the_static_folder(tmp_path):
    root, outside = tmp_path / "static", tmp_path / "secret.txt"
    root.mkdir()
    outside.write_text("rahasia")
    (root / "kept.txt").write_text("boleh")
    (root / "link.txt").symlink_to(outside)
    fetcher = StaticOnlyFetcher(root)
    assert fetcher.fetch("bundled:/kept.txt").read() == b"boleh"
    with pytest.raises(ResourceRefused):
        fetcher.fetch("bundled:/link.txt")


@pytest.fixture
def listening_server():
    """A local HTTP server that records every request it gets (it must get none)."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_a_document_naming_forbidden_urls_renders_without_them(listening_server, monkeypatch):
    base, requests = listening_server
    asked = {}

    class RecordingFetcher(StaticOnlyFetcher):
        def fetch(self, url, headers=None):
            try:
                response = super().fetch(url, headers)
            except ResourceRefused:
                asked[url] = "refused"
                raise
            asked[url] = "served"
            return response

    monkeypatch.setattr("core.pdf.StaticOnlyFetcher", RecordingFetcher)
    html = f"""<!doctype html><html lang="id"><head><title>Uji</title>
      <link rel="stylesheet" href="bundled:/portal/css/masterplan-pdf.css">
      <link rel="stylesheet" href="{base}/gaya.css">
      <style>@import url("file:///etc/passwd"); body {{ background: url("{base}/latar.png") }}</style></head>
      <body><p>Isi dokumen tetap tercetak</p>
      <img src="file:///etc/passwd"><img src="{base}/gambar.png"><img src="https://example.com/x.png">
      <object data="file:///etc/hostname"></object><embed src="{base}/sisip.svg">
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
        <image xlink:href="{base}/svg.png" width="10" height="10"/></svg>
      <img src="bundled:/portal/img/region-logo.svg" alt="">
      </body></html>"""

    pdf, pages = render_html_pdf(html)

    assert pages == 1
    assert "Isi dokumen tetap tercetak" in pdf_text(pdf)
    assert requests == []
    assert {url for url, outcome in asked.items() if outcome == "refused"} >= {
        "file:///etc/passwd",
        f"{base}/gaya.css",
        f"{base}/latar.png",
        f"{base}/gambar.png",
        "https://example.com/x.png",
    }
    served = {url for url, outcome in asked.items() if outcome == "served"}
    assert all(url.startswith("bundled:/") for url in served)
    assert served >= {"bundled:/portal/css/masterplan-pdf.css", "bundled:/portal/img/region-logo.svg", FONT}
    assert any("Noto-Sans" in font for font in pdf_fonts(pdf))  # the allowed stylesheet and font did load


def test_the_pdf_stylesheet_survives_collectstatic_with_hashed_names(settings, tmp_path):
    # Production hashes static file names and rewrites url() in CSS: bundled: URLs must be left alone.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = (tmp_path / "portal" / "css" / "masterplan-pdf.css").read_text()
    assert 'url("bundled:/fonts/noto-sans/noto-sans-latin-400-normal.woff")' in collected


@pytest.mark.parametrize(
    ("region", "signatory"),
    [
        ("Kabupaten Mojokerto", "Bupati Mojokerto"),
        ("Kota Mojokerto", "Wali Kota Mojokerto"),
        ("Provinsi Jawa Timur", "Kepala Daerah Provinsi Jawa Timur"),
    ],
)
def test_the_approval_sheet_names_who_signs_for_the_region(region, signatory):
    assert head_of_region(region) == signatory


def test_a_one_year_programme_shows_one_year():
    assert years_label(2026, 2026) == "2026" and years_label(2026, 2028) == "2026–2028"


def test_tables_and_numbered_lists_render_with_their_numbers():
    pdf, pages = render_html_pdf("<table><tr><td>Sel</td></tr></table><ol><li>Satu</li><li>Dua</li></ol>")

    assert pages == 1
    assert {"Sel", "Satu", "Dua", "1.", "2."} <= set(pdf_text(pdf).split())
