"""The masterplan's PDF tells how it was drafted: a section on the Bimtek stages (dates, mode, place, participation
per stage) closing its strategic analysis, added by the Bimtek through masterplan.sections."""

import datetime
import io
import re

import pytest
from django.utils import translation
from pypdf import PdfReader

from bimtek.masterplan_section import ANCHOR, TITLE, drafting_process_section
from bimtek.models import Attendance
from bimtek.services import stages as stage_services
from masterplan.pdf import document_context, render_masterplan_pdf
from masterplan.sections import sections_for
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

from .conftest import session_data, stage_data

pytestmark = pytest.mark.django_db


def pdf_pages(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture
def held(masterplan, kominfo_admin, session, dinkes, dlh, dinkes_participants, dlh_participant):
    """Tahap 1 (6 June 2022, Command Center): Dinkes with its own people, DLH through a representative.
    Tahap 2 (6–7 July 2022) online, nobody recorded; Tahap 3 ahead."""
    load_pillars(Pillar, Element)
    Attendance.objects.create(
        session=session, opd=dinkes, participant=dinkes_participants[0], status="present", recorded_via="checkin"
    )
    Attendance.objects.create(
        session=session,
        opd=dlh,
        status="represented",
        representative_name="Wakil",
        representative_position="Staf",
        recorded_via="checkin",
    )
    online = {"mode": "daring", "place": "", "meeting_link": "https://zoom.us/j/123456789"}
    stage_two = stage_services.stage_create(
        masterplan=masterplan,
        by=kominfo_admin,
        data=stage_data(2, datetime.date(2022, 7, 6), datetime.date(2022, 7, 7), **online),
    )
    stage_services.session_create(stage=stage_two, by=kominfo_admin, data=session_data(stage_two.start_date))
    stage_services.stage_create(
        masterplan=masterplan, by=kominfo_admin, data=stage_data(3, datetime.date.today() + datetime.timedelta(60))
    )
    return masterplan


def test_the_masterplan_pdf_holds_the_drafting_process_after_the_pillars_analyses(held):
    pdf, _page_count = render_masterplan_pdf(held, version=1)

    pages = pdf_pages(pdf)
    text = " ".join(pages)
    start = text.index(f"Bab 6 {TITLE} Masterplan ini disusun")
    section = text[start : text.index("Buku II Masterplan", start)]
    assert "Bab 5 Analisis SWOT dan Strategi" in text[:start]  # the last chapter of Buku I, after the SWOT
    assert "3 tahap direncanakan, 2 di antaranya telah dilaksanakan" in section
    assert (
        "1 Analisis strategis Senin, 6 Juni 2022 · Luring (tatap muka) · Command Center Kabupaten Mojokerto 2 1 1 0 50%"
    ) in section
    assert "2 Analisis kesenjangan dan SWOT 6 Juli – 7 Juli 2022 · Daring · Daring (https://" in section
    assert re.search(r"2 Analisis kesenjangan dan SWOT .* 2 0 0 2 0%", section)
    assert "3 Peta jalan" in section and "Belum dilaksanakan" in section
    assert "Dari 2 OPD yang diundang, 0 OPD hadir dengan peserta tetapnya" in section
    # The table of contents lists it with the page it starts on (pages count from the first page after the lists).
    contents = " ".join(page for page in pages if page.startswith("Daftar Isi") or "Bab " in page[:6])
    listed = int(re.search(rf"Bab 6 {re.escape(TITLE)} (\d+)", contents).group(1))
    body = next(index for index, page in enumerate(pages) if page.endswith("Halaman 1"))
    assert pages[body + listed - 1].startswith(f"Bab 6 {TITLE}")


def test_without_bimtek_stages_the_masterplan_pdf_has_no_such_section(masterplan):
    load_pillars(Pillar, Element)

    pdf, _page_count = render_masterplan_pdf(masterplan, version=1)

    assert TITLE not in " ".join(pdf_pages(pdf))
    assert drafting_process_section(masterplan) is None
    assert document_context(masterplan, version=1)["analysis_sections"] == []


def test_the_bimtek_registers_its_section_once_when_the_app_starts(held):
    with translation.override("id"):
        sections = sections_for(held)

    assert [(section.anchor, section.title) for section in sections] == [(ANCHOR, TITLE)]
    assert "<table" in sections[0].html
