"""The continuity report as a workbook: a sheet of the OPDs by stage, and one of each stage's figures."""

from django.utils import formats
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from opd.exports import FORMULA_STARTS

from .selectors import CELL_LABELS, ContinuityReport

BROKEN_FILL = PatternFill("solid", fgColor="FCE4D6")


def _safe(value):
    """Keep a spreadsheet from running text as a formula: a leading ' for = + - @ tab and CR."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def _row(sheet, values, *, bold=False, fill=None):
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=_safe(value))
        if bold:
            cell.font = Font(bold=True)
        if fill is not None:
            cell.fill = fill
        cells.append(cell)
    sheet.append(cells)


def write_continuity_xlsx(report: ContinuityReport, handle) -> int:
    """Write the report to an open binary file; return the number of OPD rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Continuity"))
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 44
    stage_names = [_("Stage %(number)d") % {"number": figure.stage.number} for figure in report.figures]
    _row(sheet, [_("OPD"), *stage_names, _("Replacements"), _("Continuity")], bold=True)
    for row in report.rows:
        _row(
            sheet,
            [
                row.opd.name,
                *(str(CELL_LABELS[cell]) for cell in row.cells),
                row.replacements,
                _("Broken") if row.broke_continuity else _("Kept"),
            ],
            fill=BROKEN_FILL if row.broke_continuity else None,
        )
    figures = workbook.create_sheet(_("Per stage"))
    figures.column_dimensions["B"].width = 40
    headers = [_("Stage"), _("Theme"), _("Dates"), _("Invited OPDs"), _("Own participants"), _("Represented")]
    _row(figures, [*headers, _("Not attended"), _("Share present with own participants (%)")], bold=True)
    for figure in report.figures:
        stage = figure.stage
        dates = formats.date_format(stage.start_date, "j F Y")
        if stage.end_date != stage.start_date:
            dates += " – " + formats.date_format(stage.end_date, "j F Y")
        counts = [figure.invited, figure.own, figure.represented, figure.absent] if figure.held else ["", "", "", ""]
        _row(figures, [stage.number, stage.theme, dates, *counts, figure.own_percent])
    workbook.save(handle)
    return len(report.rows)
