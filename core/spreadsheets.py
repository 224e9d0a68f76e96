"""Tables written as CSV or XLSX files, row by row, safe to open in a spreadsheet program.

The callers give the headers (translated in the active language) and an iterator of rows whose values
are text, whole numbers, naive local datetimes or None. Text that a spreadsheet program would run as a
formula gets a leading quote in both formats. XLSX is written by XlsxWriter in constant-memory mode:
each row goes to disk once the next begins, so memory stays flat whatever the number of rows.
"""

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

import xlsxwriter

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd-mm-yyyy hh:mm"
THOUSANDS = "#,##0"
# Control characters other than tab and line breaks: XML cannot hold them, so they are left out of XLSX cells.
CONTROL_CHARACTERS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
# How often the progress callback hears the number of rows written, unless the caller says otherwise.
EVERY = 5000

ProgressCallback = Callable[[int], None]


def neutralise(value):
    """Return the value, with a quote before text that a spreadsheet program would run as a formula."""
    if value.__class__ is str and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _csv_cell(value):
    if value.__class__ is datetime.datetime:
        return f"{value.day:02d}-{value.month:02d}-{value.year} {value.hour:02d}:{value.minute:02d}"
    return neutralise(value)


def write_csv(
    handle,
    *,
    headers: Sequence[str],
    rows: Iterable[list],
    on_row: ProgressCallback | None = None,
    every: int = EVERY,
) -> int:
    """Write UTF-8 CSV (with a BOM, so Excel reads it) to an open binary file; return the number of rows.

    Datetimes are written as dd-mm-yyyy hh:mm, the way people in the regency write them.
    """
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=False)
    try:
        text.write("\ufeff")
        writer = csv.writer(text)
        writer.writerow(headers)
        count = 0
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            count += 1
            if on_row is not None and count % every == 0:
                on_row(count)
        text.flush()
    finally:
        text.detach()  # the caller owns and closes the binary file
    return count


@dataclass
class Sheet:
    """One sheet of a workbook: its name, headers, rows and how its columns look (see `write_xlsx`)."""

    name: str
    headers: Sequence[str]
    rows: Iterable[list]
    widths: Sequence[int] = ()
    number_formats: dict[int, str] | None = None
    frozen_columns: int = 0


def write_xlsx(
    handle,
    *,
    sheet_name: str,
    headers: Sequence[str],
    rows: Iterable[list],
    widths: Sequence[int] = (),
    number_formats: dict[int, str] | None = None,
    frozen_columns: int = 0,
    on_row: ProgressCallback | None = None,
    every: int = EVERY,
) -> int:
    """Write one sheet as an XLSX workbook to an open binary file; return the number of rows.

    The header row is bold and stays in view; `widths` set the first columns' widths and
    `number_formats` ({column index: Excel format}) how those columns' numbers are shown.
    """
    sheet = Sheet(sheet_name, headers, rows, widths, number_formats, frozen_columns)
    return write_xlsx_sheets(handle, [sheet], on_row=on_row, every=every)[0]


def write_xlsx_sheets(
    handle, sheets: Sequence[Sheet], *, on_row: ProgressCallback | None = None, every: int = EVERY
) -> list[int]:
    """Write several sheets, one after the other, as one XLSX workbook; return each sheet's number of rows."""
    # XlsxWriter keeps the sheet's rows in a scratch file until close(); the folder goes even on an error.
    with tempfile.TemporaryDirectory(prefix="xlsx-") as scratch:
        workbook = xlsxwriter.Workbook(
            handle,
            {
                "constant_memory": True,
                "tmpdir": scratch,
                # Every value is written as what it is: no text is ever turned into a formula, link or number.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        date = workbook.add_format({"num_format": DATE_FORMAT})
        bold = workbook.add_format({"bold": True})
        counts = [_write_sheet(workbook, spec, date, bold, on_row, every) for spec in sheets]
        workbook.close()
    return counts


def _write_sheet(workbook, spec: Sheet, date, bold, on_row, every) -> int:
    sheet = workbook.add_worksheet(spec.name[:31])
    widths = spec.widths
    formats = {
        column: workbook.add_format({"num_format": code}) for column, code in (spec.number_formats or {}).items()
    }
    for column in sorted(set(range(len(widths))) | set(formats)):
        sheet.set_column(column, column, widths[column] if column < len(widths) else None, formats.get(column))
    sheet.freeze_panes(1, spec.frozen_columns)
    for column, header in enumerate(spec.headers):
        sheet.write_string(0, column, str(header), bold)
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    count = 0
    for count, row in enumerate(spec.rows, start=1):
        for column, value in enumerate(row):
            kind = value.__class__
            if kind is str:
                if value:
                    write_string(count, column, neutralise(value.translate(CONTROL_CHARACTERS)))
            elif kind is int or kind is float:
                write_number(count, column, value)
            elif kind is Decimal:
                write_number(count, column, float(value))
            elif kind is datetime.datetime:
                write_datetime(count, column, value, date)
            elif value is not None:
                write_string(count, column, str(value))
        if on_row is not None and count % every == 0:
            on_row(count)
    return count
