"""Exports of submission lists to CSV and XLSX, streamed row by row so 50,000 rows stay small in memory."""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

CHUNK = 2000
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def columns() -> list[tuple[str, callable]]:
    """Return (header, value of a submission) for every exported column, in order."""
    return [
        (_("Reference number"), lambda s: s.reference or ""),
        (_("Status"), lambda s: s.get_status_display()),
        (_("Kind"), lambda s: s.get_kind_display()),
        (_("Title"), lambda s: s.title),
        (_("OPD code"), lambda s: s.opd.code),
        (_("OPD"), lambda s: s.opd.name),
        (_("Pillar"), lambda s: s.pillar.name if s.pillar else ""),
        (_("Element"), lambda s: s.element.name if s.element else ""),
        (_("Current condition / problem"), lambda s: s.current_condition),
        (_("Proposed solution or innovation"), lambda s: s.proposed_solution),
        (_("Who benefits"), lambda s: s.beneficiaries),
        (_("Expected output"), lambda s: s.expected_output),
        (_("Expected outcome"), lambda s: s.expected_outcome),
        (_("Indicator"), lambda s: s.indicator),
        (_("Suggested horizon"), lambda s: s.get_horizon_display()),
        (_("Start year"), lambda s: s.start_year),
        (_("End year"), lambda s: s.end_year),
        (_("Estimated budget (Rp)"), lambda s: s.budget),
        (_("Funding source"), lambda s: s.get_funding_source_display()),
        (_("Priority"), lambda s: s.get_priority_display()),
        (_("Related application or system"), lambda s: s.related_system),
        (_("Created by"), lambda s: _person(s.created_by)),
        (_("Created"), lambda s: _local(s.created_at)),
        (_("First sent"), lambda s: _local(s.submitted_at)),
        (_("Last sent"), lambda s: _local(s.last_submitted_at)),
        (_("Last changed"), lambda s: _local(s.updated_at)),
        (_("Reviewer"), lambda s: _person(s.assigned_reviewer)),
        (_("Last decision by"), lambda s: _person(s.decided_by)),
        (_("Last decision on"), lambda s: _local(s.decided_at)),
        (_("Reason for the last decision"), lambda s: s.decision_reason),
    ]


def export_rows(queryset):
    """Yield the header, then one list of values per submission, reading the database in chunks."""
    cols = columns()
    yield [header for header, _value in cols]
    queryset = queryset.select_related("opd", "pillar", "element", "created_by", "assigned_reviewer", "decided_by")
    for submission in queryset.iterator(chunk_size=CHUNK):
        yield [value(submission) for _header, value in cols]


class _Echo:
    def write(self, value):
        return value


def _csv_text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y %H:%M")
    text = str(value)
    # Spreadsheet programs run cells that start like a formula; a leading quote keeps them text.
    return "'" + text if text[:1] in FORMULA_STARTS else text


def csv_response(queryset, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # so Excel reads the file as UTF-8
        for row in export_rows(queryset):
            yield writer.writerow([_csv_text(value) for value in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _xlsx_value(value):
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def write_xlsx(queryset, handle) -> int:
    """Write the export as an XLSX workbook to an open binary file; return the number of rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Submissions"))
    widths = [
        16,
        18,
        12,
        40,
        14,
        36,
        18,
        30,
        *([40] * 6),
        18,
        10,
        10,
        18,
        18,
        10,
        30,
        20,
        17,
        17,
        17,
        17,
        20,
        20,
        17,
        40,
    ]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    count = 0
    bold = Font(bold=True)
    for number, row in enumerate(export_rows(queryset)):
        if number == 0:
            cells = []
            for header in row:
                cell = WriteOnlyCell(sheet, value=header)
                cell.font = bold
                cells.append(cell)
            sheet.append(cells)
            continue
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if hasattr(value, "strftime"):
                cell.number_format = "dd-mm-yyyy hh:mm"
            elif isinstance(value, int) and value > 10_000:
                cell.number_format = "#,##0"
            cells.append(cell)
        sheet.append(cells)
        count += 1
    workbook.save(handle)
    return count


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def xlsx_response(queryset, filename: str) -> FileResponse:
    """Build the workbook in a temporary file (rows are streamed to disk), then send that file."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    write_xlsx(queryset, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
