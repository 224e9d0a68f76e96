"""CSV and XLSX tables (core.spreadsheets): typed cells, formulas neutralised, read back as a user would."""

import csv
import datetime
import io
import tempfile

import pytest
from openpyxl import load_workbook

from core.spreadsheets import FORMULA_STARTS, THOUSANDS, neutralise, write_csv, write_xlsx

HEADERS = ["Nama", "Jumlah", "Anggaran (Rp)", "Dibuat"]
WHEN = datetime.datetime(2026, 11, 23, 14, 5)


def xlsx_of(rows, **options):
    handle = io.BytesIO()
    count = write_xlsx(handle, sheet_name="Usulan", headers=HEADERS, rows=iter(rows), **options)
    handle.seek(0)
    return count, load_workbook(handle).worksheets[0]


def csv_of(rows, **options):
    handle = io.BytesIO()
    count = write_csv(handle, headers=HEADERS, rows=iter(rows), **options)
    text = handle.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    return count, list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised_and_other_values_are_not(start):
    values = [f"{start}1+1", "a=1", "", 5, None, WHEN]
    assert [neutralise(value) for value in values] == [f"'{start}1+1", "a=1", "", 5, None, WHEN]


def test_the_xlsx_keeps_numbers_and_dates_typed_and_shows_them_the_indonesian_way():
    count, sheet = xlsx_of(
        [["Telemedisin", 3, 1_250_000_000, WHEN], ["Bank sampah", 0, 0.5, None]],
        widths=[30, 10],
        number_formats={2: THOUSANDS},
    )

    assert count == 2
    assert list(sheet.iter_rows(values_only=True)) == [
        tuple(HEADERS),
        ("Telemedisin", 3, 1_250_000_000, WHEN),
        ("Bank sampah", 0, 0.5, None),
    ]
    assert sheet.title == "Usulan" and sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1]) and not sheet["A2"].font.bold
    assert sheet["C2"].number_format == "#,##0" and sheet["D2"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet.column_dimensions["A"].width == pytest.approx(30, abs=1)


def test_xlsx_text_is_never_a_formula_a_link_or_a_number():
    dangerous = ['=HYPERLINK("http://evil.example","klik")', "+62 812 3456", "-2+3", "@SUM(A1:A2)", "\tx"]
    _, sheet = xlsx_of([[text, "https://contoh.go.id", "0012", None] for text in dangerous])

    for row, text in zip(sheet.iter_rows(min_row=2), dangerous, strict=True):
        assert [cell.data_type for cell in row[:3]] == ["s", "s", "s"]
        assert row[0].value == "'" + text and row[2].value == "0012" and row[1].hyperlink is None


def test_xlsx_text_loses_the_control_characters_xml_cannot_hold():
    _, sheet = xlsx_of([["Aplikasi\x01 <SIM> & \x0bdata\ttab\nbaris", 1, 2, None], ["\x02=1+1", 1, 2, None]])

    assert sheet["A2"].value == "Aplikasi <SIM> & data\ttab\nbaris"
    assert sheet["A3"].value == "'=1+1"


def test_the_xlsx_can_keep_columns_in_view_beside_the_headers():
    _, sheet = xlsx_of([["a", 1, 2, WHEN]], frozen_columns=3)
    assert sheet.freeze_panes == "D2"


def test_progress_is_reported_every_so_many_rows_in_both_formats():
    rows = [["x", number, number, WHEN] for number in range(7)]
    for write in (csv_of, xlsx_of):
        seen = []
        count, _ = write([list(row) for row in rows], on_row=seen.append, every=3)
        assert count == 7 and seen == [3, 6]


def test_the_csv_writes_dates_as_day_month_year_and_neutralises_formulas():
    count, rows = csv_of([["=1+1", 3, 1_250_000_000, WHEN], ["Biasa", None, 0, None]])

    assert count == 2
    assert rows == [HEADERS, ["'=1+1", "3", "1250000000", "23-11-2026 14:05"], ["Biasa", "", "0", ""]]


def test_an_xlsx_that_fails_half_way_leaves_no_scratch_files(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ["a", 1, 2, WHEN]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_xlsx(io.BytesIO(), sheet_name="Usulan", headers=HEADERS, rows=rows())

    assert list(tmp_path.iterdir()) == []
