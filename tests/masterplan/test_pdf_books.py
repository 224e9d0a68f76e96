"""The masterplan PDF as the Kominfo guide's book set: every book and chapter in order, front matter in roman
numerals, tables and figures numbered per chapter and listed with their pages, the roadmap matrix and the
financing totals against the database, and each book on its own."""

import io
import re

import pytest
from django.db.models import Sum
from django.utils import translation
from pypdf import PdfReader

from masterplan import sections
from masterplan.books import Book
from masterplan.models import ProgrammeBudget
from masterplan.pdf import document_context, render_masterplan_pdf
from masterplan.pdf.numbering import number_captions, with_numbered_captions
from masterplan.selectors import budget_totals
from opd.models import FundingSource
from tests.masterplan.factories import realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
SET_HEADINGS = [
    "Ringkasan Eksekutif",
    "Buku I Analisis Strategis",
    "Bab 1 Pendahuluan",
    "Bab 2 Dasar Hukum",
    "Bab 3 Profil Daerah",
    "Bab 4 Kesiapan dan Kesenjangan per Pilar",
    "Bab 5 Analisis SWOT dan Strategi",
    "Buku II Masterplan",
    "Bab 6 Visi, Misi dan Sasaran",
    "Bab 7 Keselarasan dengan RPJMD",
    "Bab 8 Strategi dan Program per Pilar",
    "Bab 9 Tata Kelola",
    "Lampiran: Usulan OPD yang Menjadi Dasar Masterplan",
    "Buku III Rencana Aksi dan Quick Win",
    "Bab 10 Rencana Aksi dan Quick Win",
    "Buku IV Peta Jalan",
    "Bab 11 Peta Jalan",
    "Bab 12 Pembiayaan",
]


def page_texts(pdf: bytes) -> list[str]:
    """Return each page's text, whitespace made one space and words wrapped after a hyphen ("non- tunai") joined."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return [re.sub(r"(?<=\w)- (?=\w)", "-", " ".join((page.extract_text() or "").split())) for page in pages]


@pytest.fixture
def no_other_sections(monkeypatch):
    """Only the masterplan's own chapters: sections other apps register would shift the chapter numbers."""
    monkeypatch.setattr(sections, "_providers", [])


@pytest.fixture
def plan(kominfo_admin, no_other_sections):
    return realistic_masterplan(admin=kominfo_admin, programme_count=14, submission_count=4)


@pytest.mark.django_db
def test_the_set_holds_every_book_and_chapter_in_order_its_front_matter_in_roman_numerals(plan):
    pdf, page_count = render_masterplan_pdf(plan, version=3)

    pages = page_texts(pdf)
    assert len(pages) == page_count
    assert "Buku I–IV dan Ringkasan Eksekutif" in pages[0] and "Halaman" not in pages[0]  # the cover: no number
    front = ["Lembar Pengesahan", "Kata Pengantar", "Daftar Isi", "Daftar Tabel", "Daftar Gambar"]
    starts = [next(index for index, text in enumerate(pages) if text.startswith(title)) for title in front]
    assert starts[0] == 1 and starts == sorted(starts)
    body = next(index for index, text in enumerate(pages) if text.endswith("Halaman 1"))
    for index in range(1, body):  # every front-matter page ends with its number in roman numerals
        assert pages[index].split()[-1] == ROMAN[index - 1], (index, pages[index][-60:])
    assert pages[body].startswith("MASTERPLAN SMART CITY KABUPATEN MOJOKERTO Ringkasan Eksekutif")  # its title page
    found = [next(index for index, text in enumerate(pages) if heading in text[:80]) for heading in SET_HEADINGS]
    assert found == sorted(found) and found[0] >= body
    for index in range(body, len(pages)):
        assert pages[index].endswith(f"Halaman {index - body + 1}")

    # The table of contents gives each entry the page it starts on (roman for the front matter).
    contents = " ".join(pages[starts[2] : starts[3]])
    assert "Kata Pengantar ii" in contents and "Daftar Gambar v" in contents or "Daftar Gambar vi" in contents
    for heading in ["Bab 4 Kesiapan dan Kesenjangan per Pilar", "Bab 11 Peta Jalan", "Bab 12 Pembiayaan"]:
        listed = int(re.search(re.escape(heading) + r" (\d+)", contents).group(1))
        assert pages[body + listed - 1].startswith(heading), heading
    assert "4.1 Smart Governance" in contents and "8.6 Smart Environment" in contents


@pytest.mark.django_db
def test_tables_and_figures_are_numbered_per_chapter_and_listed_with_the_page_they_are_on(plan):
    pdf, _pages = render_masterplan_pdf(plan, version=1)

    pages = page_texts(pdf)
    body = next(index for index, text in enumerate(pages) if text.endswith("Halaman 1"))
    tables = " ".join(page for page in pages[:body] if page.startswith("Daftar Tabel") or "Tabel " in page[:12])
    listed = re.findall(r"(Tabel (?:RE|\d+)\.\d+) (.+?) (\d+)(?= Tabel | Masterplan|$)", tables)
    labels = [label for label, _caption, _page in listed]
    assert labels[:3] == ["Tabel RE.1", "Tabel RE.2", "Tabel RE.3"]
    assert "Tabel 4.1" in labels and "Tabel 5.2" in labels and "Tabel 11.1" in labels and "Tabel 12.2" in labels
    assert len(labels) == len(set(labels))
    for label, caption, page in listed:
        assert f"{label} {caption}" in pages[body + int(page) - 1], (label, caption, page)
    figures = next(page for page in pages[:body] if page.startswith("Daftar Gambar"))
    assert "Gambar 11.1 Peta jalan Smart Governance" in figures
    for label, page in re.findall(r"(Gambar 11\.\d+) .+? (\d+)", figures):
        assert label in pages[body + int(page) - 1]
    # Numbers restart with each chapter.
    text = " ".join(pages)
    assert "Tabel 5.1 Analisis SWOT Smart Governance" in text and "Tabel 5.2 Matriks strategi Smart Governance" in text
    assert "Tabel 8.1 Program Smart Governance" in text and "Tabel 11.1 Matriks peta jalan Smart Governance" in text


@pytest.mark.django_db
def test_the_roadmap_matrix_shows_each_programme_s_yearly_targets_and_budget_under_its_horizon(plan):
    pdf, _pages = render_masterplan_pdf(plan, version=1, book=Book.ROADMAP)
    with translation.override("id"):
        context = document_context(plan, version=1, book=Book.ROADMAP)

    text = " ".join(page_texts(pdf))
    chapter = text[text.index("Bab 11 Peta Jalan Peta jalan") : text.index("Bab 12 Pembiayaan Perkiraan")]
    assert "Kode Program dan penanggung jawab Jangka pendek (2023–2027) Jangka panjang (2028–2032) 2023 2024" in chapter
    rows = 0
    for pillar in context["roadmap"].pillars:
        for programme in pillar.programmes:
            cells = [
                " ".join(filter(None, ["; ".join(cell.targets), f"Rp {cell.budget:,}".replace(",", ".")]))
                for cell in programme.year_cells
                if cell.active
            ]
            mark = " QW" if programme.is_quick_win else ""
            row = f"{programme.number}{mark} {programme.title} · {programme.lead_opd.short_name} {' '.join(cells)}"
            assert row in chapter, row
            assert cells and all("Rp " in cell for cell in cells)
            rows += 1
    assert rows == 14
    assert any(p.is_quick_win for pillar in context["roadmap"].pillars for p in pillar.programmes)


@pytest.mark.django_db
def test_the_financing_totals_add_up_to_the_database_per_pillar_year_and_source(plan):
    pdf, _pages = render_masterplan_pdf(plan, version=1, book=Book.ROADMAP)
    with translation.override("id"):
        context = document_context(plan, version=1, book=Book.ROADMAP)
        totals = budget_totals(plan)

    text = " ".join(page_texts(pdf))
    chapter = text[text.index("Bab 12 Pembiayaan Perkiraan") :]

    def shown(amount: int) -> str:
        return f"{amount:,}".replace(",", ".") if amount else "–"

    def printed(row) -> str:
        return f"{row.label} {' '.join(shown(amount) for amount in row.amounts)} {shown(row.total)}"

    in_database = ProgrammeBudget.objects.filter(programme__masterplan=plan).aggregate(total=Sum("amount"))["total"]
    total = context["financing_total"]
    assert total.total == totals.total == in_database > 0
    assert printed(total) in chapter
    labels = dict(FundingSource.choices)
    for pillar, rows in context["financing"]:
        for row in rows[:-1]:  # each source of the pillar, year by year, as the selector and the database say
            value = next(value for value, label in FundingSource.choices if str(label) == row.label)
            for year, amount in zip(plan.years, row.amounts, strict=True):
                expected = ProgrammeBudget.objects.filter(
                    programme__masterplan=plan, programme__element__pillar=pillar.pillar, year=year, source=value
                ).aggregate(total=Sum("amount"))["total"]
                assert amount == totals.amount(pillar.pillar.pk, year, value) == (expected or 0)
            assert printed(row) in chapter, printed(row)
        subtotal = rows[-1]
        sources = [row.amounts for row in rows[:-1]] or [[0] * len(plan.years)]
        assert [sum(column) for column in zip(*sources, strict=True)] == subtotal.amounts
        assert printed(subtotal) in chapter
    assert {row.label for row in context["financing_per_source"]} <= {str(label) for label in labels.values()}
    assert sum(row.total for row in context["financing_per_source"]) == in_database


@pytest.mark.django_db
def test_each_book_alone_holds_its_own_chapters_with_the_numbers_they_have_in_the_set(plan):
    pdf, _pages = render_masterplan_pdf(plan, version=2, book=Book.ACTION_PLAN)

    pages = page_texts(pdf)
    text = " ".join(pages)
    assert "Buku III Rencana Aksi dan Quick Win" in pages[0]
    assert "Bab 1 Pendahuluan" in text and "Bab 10 Rencana Aksi dan Quick Win" in text
    assert "Tabel 10.1 Program Quick Win beserta target dan anggarannya" in text
    assert "Tabel 10.2 Rencana aksi tahun 2023" in text and "Tabel 10.6 Rencana aksi tahun 2027" in text
    for other in ["Bab 4 ", "Bab 8 ", "Bab 11 ", "Tabel RE.", "Tabel 8.1"]:
        assert other not in text, other
    assert PdfReader(io.BytesIO(pdf)).metadata.title.endswith(": Buku III Rencana Aksi dan Quick Win (versi 2)")

    summary, _pages = render_masterplan_pdf(plan, version=2, book=Book.SUMMARY)
    text = " ".join(page_texts(summary))
    assert "Tabel RE.1 Jumlah program per pilar dan jangka waktu" in text and "Bab 1 Pendahuluan" not in text


@pytest.mark.django_db
def test_a_section_another_app_adds_becomes_a_chapter_of_the_book_it_names(plan):
    from django.utils.safestring import mark_safe

    sections.register_section(lambda masterplan: None)
    sections.register_section(
        lambda masterplan: sections.Section(
            "spbe", "Arsitektur SPBE dan Satu Data",
            mark_safe('<table><caption class="numbered">Aplikasi per OPD</caption><tr><td>x</td></tr></table>'),
            book=Book.MASTERPLAN,
        )
    )  # fmt: skip
    sections.register_section(lambda masterplan: sections.Section("proses", "Proses Penyusunan", mark_safe("<p>B</p>")))

    with translation.override("id"):
        chapters = document_context(plan, version=1)["chapters"]

    headings = [chapter.heading for chapter in chapters]
    assert headings.index("Bab 6 Proses Penyusunan") == headings.index("Bab 5 Analisis SWOT dan Strategi") + 1
    assert (
        headings.index("Bab 10 Arsitektur SPBE dan Satu Data")
        == headings.index("Bab 9 Strategi dan Program per Pilar") + 1
    )
    assert "Bab 11 Tata Kelola" in headings
    with pytest.raises(ValueError, match="Buku I or Buku II"):
        sections.register_section(lambda masterplan: sections.Section("x", "X", mark_safe(""), book=Book.ROADMAP))
        sections.sections_for(plan)


# ---- Numbering (no rendering) ----------------------------------------------------------------------------------


def test_captions_are_numbered_per_chapter_and_the_lists_filled():
    html = (
        "<!--table-of-contents--><!--list-of-tables--><!--list-of-figures-->"
        '<h1 class="front-title" id="daftar-isi">Daftar Isi</h1>'
        '<h1 class="chapter-title" data-chapter="RE" id="bab-ringkasan">Ringkasan Eksekutif</h1>'
        '<table><caption class="numbered">Satu &amp; dua</caption></table>'
        '<h1 class="chapter-title" data-chapter="4" id="bab-kesiapan">Bab 4 Kesiapan</h1>'
        '<h2 class="toc" id="kesiapan-gov">4.1 Smart Governance</h2>'
        '<table><caption class="numbered">Skor</caption></table><table><caption class="numbered">Gap</caption></table>'
        '<figure><figcaption class="numbered">Peta</figcaption></figure>'
    )
    numbered, headings, tables, figures = number_captions(html)

    assert [t.label for t in tables] == ["Tabel RE.1", "Tabel 4.1", "Tabel 4.2"]
    assert [f.label for f in figures] == ["Gambar 4.1"] and figures[0].anchor == "gambar-4-1"
    assert [(h.text, h.kind) for h in headings] == [
        ("Ringkasan Eksekutif", "toc-chapter"),
        ("Bab 4 Kesiapan", "toc-chapter"),
        ("4.1 Smart Governance", "toc-section"),
    ]
    assert (
        '<caption class="numbered" id="tabel-re-1"><span class="caption-label">Tabel RE.1</span> Satu &amp; dua'
        in numbered
    )
    filled = with_numbered_captions(html)
    assert '<a href="#tabel-4-2"><span class="caption-label">Tabel 4.2</span> Gap</a>' in filled
    assert '<li class="toc-section"><a href="#kesiapan-gov">4.1 Smart Governance</a></li>' in filled
    assert "<!--list-of" not in filled and "<!--table-of" not in filled


# ---- A masterplan ready for adoption: every part filled ---------------------------------------------------------

PNG_EMBLEM = (  # a 2 x 2 red PNG: the region's own emblem as Kominfo uploads it
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x02\x08\x02\x00\x00\x00\xfd\xd4\x9as"
    b"\x00\x00\x00\x16IDATx\x9cc\xf8\xcf\xc0\xc0\xf0\x9f\x81\x81\x81\x01\x00\x0e\xfd\x02\xfe\xa3\x8a\xe2\x0e"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def adopted(masterplan):
    """Fill every part the document prints: front matter, adoption, emblem, profile, RPJMD, governance."""
    from datetime import date
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from masterplan.models import GovernanceBody, GovernanceMember, RegionProfile, Rpjmd, RpjmdIndicator, RpjmdMission

    masterplan.foreword = "Dengan rahmat Tuhan, masterplan ini kami tetapkan sebagai pedoman bersama."
    masterplan.background = "Latar belakang khusus Mojokerto."
    masterplan.executive_summary = "Ringkasan yang ditulis oleh Diskominfo."
    masterplan.regulation_number, masterplan.regulation_date = "12 Tahun 2024", date(2024, 3, 5)
    masterplan.document_number = "050/123/416-101/2024"
    masterplan.emblem.save("lambang.png", ContentFile(PNG_EMBLEM), save=False)
    masterplan.save()
    RegionProfile.objects.create(
        masterplan=masterplan, area_km2=Decimal("969.36"), kecamatan_count=18, desa_count=299, kelurahan_count=5,
        area_source="BPS", population=1_126_540, population_year=2023, population_source="BPS 2024",
        grdp=72_500_000_000_000, grdp_growth=Decimal("5.12"), grdp_year=2023, hdi=Decimal("75.71"), hdi_year=2023,
        poverty_rate=Decimal("9.6"), poverty_rate_year=2023, internet_coverage=Decimal("87.5"),
        internet_coverage_year=2023, has_command_centre=True, application_count=142, application_count_year=2023,
        ict_source="Diskominfo", narrative="Kabupaten di jantung Majapahit.",
    )  # fmt: skip
    rpjmd = Rpjmd.objects.create(masterplan=masterplan, start_year=2021, end_year=2026, vision="Mojokerto maju")
    missions = [RpjmdMission.objects.create(rpjmd=rpjmd, number=n, text=f"Misi RPJMD ke-{n}") for n in (1, 2)]
    RpjmdIndicator.objects.create(rpjmd=rpjmd, name="Indeks SPBE", unit="indeks", baseline=Decimal("2.1"),
                                  target=Decimal("3.5"), year=2026)  # fmt: skip
    for index, programme in enumerate(masterplan.programmes.order_by("pk")):
        programme.rpjmd_missions.set(missions[: 1 + index % 2] if index % 3 else [])
    dewan = GovernanceBody.objects.create(
        masterplan=masterplan, kind="dewan", decree_number="188.45/77/HK/416-012/2024", decree_date=date(2024, 2, 1)
    )
    GovernanceMember.objects.create(body=dewan, name="Dr. Ikfina Fahmawati", position="Bupati Mojokerto",
                                    role_in_body="Ketua", outside_party="")  # fmt: skip
    GovernanceMember.objects.create(body=dewan, name="Prof. Ahli Kota", position="Guru Besar",
                                    role_in_body="Anggota", outside_party="Universitas Airlangga")  # fmt: skip
    return masterplan


@pytest.mark.django_db
def test_an_adopted_masterplan_prints_its_adoption_profile_rpjmd_alignment_and_governance(plan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    masterplan = adopted(plan)

    pdf, _pages = render_masterplan_pdf(masterplan, version=1)
    with translation.override("id"):
        context = document_context(masterplan, version=1)

    pages = page_texts(pdf)
    text = " ".join(pages)
    approval = next(page for page in pages if page.startswith("Lembar Pengesahan"))
    assert "Peraturan Bupati Mojokerto Nomor 12 Tahun 2024" in approval and "5 Maret 2024" in approval
    assert "050/123/416-101/2024" in approval
    assert "Kata Pengantar Dengan rahmat Tuhan, masterplan ini kami tetapkan" in text
    assert "1.1 Latar Belakang Latar belakang khusus Mojokerto." in text
    assert "Ringkasan Eksekutif Ringkasan yang ditulis oleh Diskominfo." in text
    assert "Tabel 3.1 Data pokok Kabupaten Mojokerto" in text
    for figure in ["Luas wilayah 969,36 km²", "Jumlah penduduk 1.126.540 jiwa 2023 BPS 2024",
                   "Pertumbuhan ekonomi 5,12% 2023", "Aplikasi yang digunakan 142 aplikasi 2023 Diskominfo",
                   "Command center Ada"]:  # fmt: skip
        assert figure in text, figure
    assert (
        "Tabel 7.1 Indikator Kinerja Utama (IKU) RPJMD" in text and "Indeks SPBE 2,1 indeks 3,5 indeks (2026)" in text
    )
    rows = {row.label: row.cells for row in context["alignment"]}
    matrix = text[text.index("Tabel 7.2 Matriks keselarasan") :]
    for label, cells in rows.items():
        expected = " ".join(", ".join(codes) or "–" for codes in cells)
        assert f"{label} {expected}" in matrix, (label, expected)
    assert any(codes for codes in rows["Misi 1: Misi RPJMD ke-1"]) and "Belum dikaitkan dengan misi RPJMD" in rows
    governance = text[text.index("Bab 9 Tata Kelola Pelaksanaan") :]
    assert (
        "9.1 Dewan Smart City Ditetapkan dengan Keputusan Bupati Mojokerto Nomor 188.45/77/HK/416-012/2024"
        in governance
    )
    assert "1 Dr. Ikfina Fahmawati Bupati Mojokerto Ketua –" in governance
    assert "2 Prof. Ahli Kota Guru Besar Anggota Universitas Airlangga" in governance
    assert context["emblem"].startswith("data:image/png;base64,")
    cover_images = list(PdfReader(io.BytesIO(pdf)).pages[0].images)
    assert cover_images  # the region's own emblem on the cover


@pytest.mark.django_db
def test_every_amount_fits_its_table_cell_even_when_the_totals_run_into_trillions(plan):
    """A Kabupaten's ten-year plan can total Rp 1 trillion and more: no amount may run into the next column."""
    from django.db.models import F

    from core.templatetags.portal import format_thousands
    from masterplan.models import ProgrammeBudget
    from tests.pdf_layout import overlapping_words

    budgets = ProgrammeBudget.objects.filter(programme__masterplan=plan)
    budgets.update(amount=F("amount") * 200)
    total = sum(budgets.values_list("amount", flat=True))
    pdf, _pages = render_masterplan_pdf(plan, version=3)
    assert total >= 10**12 and format_thousands(total) in " ".join(page_texts(pdf))  # the grand total is printed
    assert not overlapping_words(pdf), [(a.page, a.text, b.text) for a, b in overlapping_words(pdf)][:10]
