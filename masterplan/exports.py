"""XLSX export of a masterplan's programmes: one row per programme, yearly targets as columns."""

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from opd.exports import FORMULA_STARTS

from .selectors import roadmap


def _safe(value):
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def write_programmes_xlsx(masterplan, handle) -> int:
    """Write the programmes workbook to an open binary file; return the number of programme rows."""
    plan = roadmap(masterplan)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Programmes"))
    years = masterplan.years
    headers = [
        _("Pillar"),
        _("Element"),
        _("Programme"),
        _("Description"),
        _("Roadmap"),
        _("Quick win"),
        _("Start year"),
        _("End year"),
        _("Lead OPD"),
        _("Supporting OPDs"),
        _("Output indicator"),
        _("Outcome indicator"),
        _("Estimated budget (Rp)"),
        _("Funding source"),
        _("Source submissions"),
        *[_("Output target %(year)d") % {"year": year} for year in years],
        *[_("Outcome target %(year)d") % {"year": year} for year in years],
    ]
    for index, width in enumerate([18, 26, 40, 50, 14, 10, 10, 10, 26, 30, 30, 30, 20, 18, 24], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for pillar in plan.pillars:
        for programme in pillar.programmes:
            targets = {target.year: target for target in programme.targets.all()}
            budget = WriteOnlyCell(sheet, value=programme.budget)
            budget.number_format = "#,##0"
            row = [
                pillar.pillar.name,
                programme.element.name,
                programme.title,
                programme.description,
                _("Short term") if programme.is_short_term() else _("Long term"),
                _("Yes") if programme.is_quick_win else _("No"),
                programme.start_year,
                programme.end_year,
                programme.lead_opd.name,
                ", ".join(opd.name for opd in programme.supporting_opds.all()),
                programme.output_indicator,
                programme.outcome_indicator,
                budget,
                programme.get_funding_source_display(),
                ", ".join(submission.reference or "" for submission in programme.submissions.all()),
                *[targets[year].output_target if year in targets else "" for year in years],
                *[targets[year].outcome_target if year in targets else "" for year in years],
            ]
            sheet.append([_safe(value) for value in row])
            count += 1
    workbook.save(handle)
    return count
