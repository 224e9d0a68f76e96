"""Reading a spreadsheet someone uploads (CSV, or XLSX for the tables an office keeps), refused whole when bad.

The importers (OPDs, the application inventory) check every row, collect every problem naming its row, and
raise `ImportRefused` so nothing is written; these helpers give them the rows, numbered as the person's
spreadsheet program numbers them (the header is row 1).
"""

import csv
import io
from collections.abc import Iterator, Mapping, Sequence

from django.utils.translation import gettext as _

YES_NO_WORDS = {
    "1": True,
    "true": True,
    "ya": True,
    "yes": True,
    "0": False,
    "false": False,
    "tidak": False,
    "no": False,
}
XLSX_MAGIC = b"PK\x03\x04"


class ImportRefused(Exception):
    """The file was refused; `errors` lists what is wrong, each naming its row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def decode_csv(data: bytes) -> str:
    """Return the text of UTF-8 CSV bytes (with or without a BOM), or refuse naming the first row that is not."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise ImportRefused(
            [_("Row %(row)d: the file is not UTF-8 encoded. Save it as “CSV UTF-8” and try again.") % {"row": row}]
        ) from None


def _check_header(header: list[str], required: Sequence[str]) -> None:
    missing = [column for column in required if column not in header]
    if missing:
        raise ImportRefused(
            [
                _("Row 1 (header): missing column(s): %(columns)s. Expected: %(expected)s.")
                % {"columns": ", ".join(missing), "expected": ", ".join(required)}
            ]
        )


def _header(names, aliases: Mapping[str, str] | None) -> list[str]:
    """Return the column titles trimmed, each alias (any case, e.g. an Indonesian title) turned into its column."""
    names = [str(name).strip() if name is not None else "" for name in names]
    return [(aliases or {}).get(name.lower(), name) for name in names]


def csv_rows(
    text: str, required: Sequence[str], *, aliases: Mapping[str, str] | None = None
) -> Iterator[tuple[int, dict | None]]:
    """Yield (row number, {column: trimmed text}) for each non-empty row; None for a row with too many values."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = _header(reader.fieldnames or [], aliases)
    _check_header(header, required)
    reader.fieldnames = header
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            yield number, None
            continue
        row = {key: (value or "").strip() for key, value in raw.items()}
        if any(row.values()):
            yield number, row


def _xlsx_rows(
    data: bytes, required: Sequence[str], aliases: Mapping[str, str] | None
) -> Iterator[tuple[int, dict | None]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or disguised file
        raise ImportRefused([_("The file is not a readable XLSX workbook. Save it again as XLSX or CSV.")]) from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        header = _header(next(rows, ()), aliases)
        _check_header(header, required)
        for number, values in enumerate(rows, start=2):
            texts = ["" if value is None else str(value).strip() for value in values]
            if len(texts) > len(header) and any(texts[len(header) :]):
                yield number, None
                continue
            row = {column: texts[index] if index < len(texts) else "" for index, column in enumerate(header) if column}
            if any(row.values()):
                yield number, row
    finally:
        workbook.close()


def spreadsheet_rows(
    data: bytes, required: Sequence[str], *, aliases: Mapping[str, str] | None = None
) -> list[tuple[int, dict | None]]:
    """Return the numbered rows of an uploaded CSV or XLSX file (told apart by content, not by name)."""
    if data.startswith(XLSX_MAGIC):
        return list(_xlsx_rows(data, required, aliases))
    return list(csv_rows(decode_csv(data), required, aliases=aliases))


def split_list(text: str) -> list[str]:
    """Return the items of a cell listing several values, separated by semicolons or commas."""
    return [item.strip() for item in text.replace(";", ",").split(",") if item.strip()]
