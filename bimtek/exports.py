"""The continuity report as a workbook: a sheet of the OPDs by stage, and one of each stage's figures.

Written with XlsxWriter like core.spreadsheets, but as two sheets and with the broken rows shaded, which its
one-sheet writer does not do; its `neutralise` keeps text from being run as a formula.
"""

import xlsxwriter
from django.utils import formats
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise

from .selectors import CELL_LABELS, ContinuityReport

BROKEN_FILL = "#FCE4D6"


def write_continuity_xlsx(report: ContinuityReport, handle) -> int:
    """Write the report to an open binary file; return the number of OPD rows."""
    workbook = xlsxwriter.Workbook(
        handle, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True})
    broken = workbook.add_format({"bg_color": BROKEN_FILL})

    def write_row(sheet, row: int, values, cell_format=None) -> None:
        for column, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row, column, neutralise(value), cell_format)
            elif value is None:
                sheet.write_blank(row, column, None, cell_format)
            else:
                sheet.write_number(row, column, value, cell_format)

    sheet = workbook.add_worksheet(_("Continuity")[:31])
    sheet.freeze_panes(1, 1)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, len(report.figures) + 2, 18)
    stage_names = [_("Stage %(number)d") % {"number": figure.stage.number} for figure in report.figures]
    write_row(sheet, 0, [_("OPD"), *stage_names, _("Replacements"), _("Continuity")], bold)
    for index, row in enumerate(report.rows, start=1):
        values = [
            row.opd.name,
            *(str(CELL_LABELS[cell]) for cell in row.cells),
            row.replacements,
            _("Broken") if row.broke_continuity else _("Kept"),
        ]
        write_row(sheet, index, values, broken if row.broke_continuity else None)

    figures = workbook.add_worksheet(_("Per stage")[:31])
    figures.set_column(1, 2, 36)
    headers = [_("Stage"), _("Theme"), _("Dates"), _("Invited OPDs"), _("Own participants"), _("Represented")]
    write_row(figures, 0, [*headers, _("Not attended"), _("Share present with own participants (%)")], bold)
    for index, figure in enumerate(report.figures, start=1):
        stage = figure.stage
        dates = formats.date_format(stage.start_date, "j F Y")
        if stage.end_date != stage.start_date:
            dates += " – " + formats.date_format(stage.end_date, "j F Y")
        counts = [figure.invited, figure.own, figure.represented, figure.absent] if figure.held else [None] * 4
        write_row(figures, index, [stage.number, stage.theme, dates, *counts, figure.own_percent])
    workbook.close()
    return len(report.rows)
