"""The Bupati's office generates each book of a final masterplan and downloads it: Ringkasan Eksekutif, Buku I–IV
and the whole set, each a PDF of its own with the chapters of its book.

A real browser on the live server; the renders are done in the test's process, as the worker would do them
(masterplan_export_render), so this runs without Redis or PostgreSQL. test_masterplan_flow.py runs a real worker.
"""

import io
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from core.roles import Role
from masterplan.books import BOOKS_IN_ORDER, DOCUMENT_TITLES, Book
from masterplan.models import Masterplan, MasterplanExport
from masterplan.rendering import masterplan_export_render
from tests.factories import UserFactory
from tests.masterplan.factories import realistic_masterplan
from tests.services import CHROMIUM_PATH, need

PASSWORD = "demo-browser-2026"
# A line each book's PDF holds: its own first chapter or its cover's title.
EXPECTED = {
    Book.SET: ["Buku I–IV dan Ringkasan Eksekutif", "Bab 12 Pembiayaan", "Tabel RE.1"],
    Book.SUMMARY: ["Ringkasan Eksekutif", "Tabel RE.1"],
    Book.ANALYSIS: ["Buku I Analisis Strategis", "Bab 4 Kesiapan dan Kesenjangan per Pilar"],
    Book.MASTERPLAN: ["Buku II Masterplan", "Bab 8 Strategi dan Program per Pilar"],
    Book.ACTION_PLAN: ["Buku III Rencana Aksi dan Quick Win", "Tabel 10.1"],
    Book.ROADMAP: ["Buku IV Peta Jalan", "Tabel 11.1 Matriks peta jalan Smart Governance", "Bab 12 Pembiayaan"],
}

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def final_masterplan(transactional_db, settings, tmp_path, monkeypatch):
    need(Path(CHROMIUM_PATH).exists(), f"Chromium is not installed at {CHROMIUM_PATH}")
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("masterplan.sections._providers", [])  # the chapter numbers of the masterplan alone
    UserFactory(username="pimpinan", role=Role.EXECUTIVE, password=PASSWORD)
    masterplan = realistic_masterplan(admin=UserFactory(role=Role.KOMINFO_ADMIN), programme_count=6)
    Masterplan.objects.filter(pk=masterplan.pk).update(status=Masterplan.Status.FINAL, finalized_at=timezone.now())
    return masterplan


def render_queued() -> int:
    """Render every queued export, as the worker would; return how many."""
    queued = list(MasterplanExport.objects.filter(status=MasterplanExport.Status.QUEUED).values_list("pk", flat=True))
    for export_id in queued:
        masterplan_export_render(export_id=export_id)
    return len(queued)


def test_the_bupatis_office_generates_and_downloads_each_book_of_a_final_masterplan(
    browser, live_server, final_masterplan, screenshot
):
    masterplan = final_masterplan
    context = browser.new_context(
        base_url=live_server.url, accept_downloads=True, viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto("/")
    page.fill("#id_username", "pimpinan")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_test_id("user-menu").wait_for()
    page.goto(f"/masterplan/{masterplan.pk}/")

    books = [Book.SET, *BOOKS_IN_ORDER]
    for book in books:
        page.get_by_test_id(f"generate-{book}").click()
        expect(page.locator(f"tr[data-book='{book}'] progress")).to_be_visible()
    screenshot(page, "masterplan-books-1-rendering")
    assert render_queued() == 6
    for book in books:  # the rows poll until their PDF is ready
        expect(page.locator(f"tr[data-book='{book}'] [data-testid=export-download]")).to_be_visible(timeout=30_000)
    screenshot(page, "masterplan-books-2-done")

    for book in books:
        with page.expect_download() as download_info:
            page.locator(f"tr[data-book='{book}'] [data-testid=export-download]").click()
        download = download_info.value
        assert (
            download.suggested_filename.startswith("masterplan-smart-city-")
            and "-v1.pdf" in download.suggested_filename
        )
        content = Path(download.path()).read_bytes()
        reader = PdfReader(io.BytesIO(content))
        text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
        assert reader.metadata.title.endswith(f"{DOCUMENT_TITLES[book]} (versi 1)"), book
        for expected in EXPECTED[book]:
            assert expected in text, (book, expected)
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "masterplan-books-3-phone")
    context.close()
