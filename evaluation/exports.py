"""Every figure of a period's evaluation as one XLSX workbook (core.spreadsheets), a sheet per figure."""

from django.utils import translation
from django.utils.translation import gettext as _

from core.spreadsheets import Sheet, write_xlsx_sheets

from .selectors import figures

PERCENT = "0.0"
RUPIAH = "#,##0"


def _number(value):
    return float(value) if value is not None else None


def write_evaluation_xlsx(period, handle) -> int:
    """Write the period's figures (from selectors.figures) to an open binary file; return the rows written."""
    with translation.override("id"):
        data = figures.evaluation_figures(period)
        summary_headers = [_("Programmes"), _("Sent"), _("Verified"), _("At risk"), _("Achievement (%)")]
        money_headers = [_("Planned (Rp)"), _("Spent (Rp)"), _("Absorption (%)")]

        def summary(line):
            return [line["programmes"], line["sent"], line["verified"], line["at_risk"], _number(line["achievement"])]

        def money(line):
            return [line["planned"], line["spent"], _number(line["absorption"])]

        sheets = [
            Sheet(
                _("Achievement"),
                [
                    _("Pillar"),
                    _("Code"),
                    _("Programme"),
                    _("Indicator"),
                    _("Unit"),
                    _("Target"),
                    _("Realised"),
                    _("Achievement (%)"),
                ],
                (
                    [
                        group["pillar"].name,
                        line["programme"].code,
                        line["programme"].title,
                        line["indicator"].indicator.name,
                        line["indicator"].indicator.unit,
                        _number(line["indicator"].target),
                        _number(line["indicator"].realised),
                        _number(line["indicator"].achievement),
                    ]
                    for group in data["achievement"]
                    for line in group["lines"]
                ),
                widths=[22, 10, 40, 40, 12, 12, 12, 14],
            ),
            Sheet(
                _("Budget by source"),
                [_("Funding source"), *money_headers],
                ([str(line["label"]), *money(line)] for line in data["by_source"]),
                widths=[26, 18, 18, 14],
                number_formats={1: RUPIAH, 2: RUPIAH, 3: PERCENT},
            ),
            Sheet(
                _("Budget by pillar"),
                [_("Pillar"), *money_headers],
                ([line["pillar"].name, *money(line)] for line in data["budget_by_pillar"]),
                widths=[26, 18, 18, 14],
                number_formats={1: RUPIAH, 2: RUPIAH, 3: PERCENT},
            ),
            Sheet(
                _("At risk"),
                [_("Code"), _("Programme"), _("Pillar"), _("Lead OPD"), _("Why")],
                (
                    [
                        row.programme.code,
                        row.programme.title,
                        row.pillar.name,
                        row.programme.lead_opd.name,
                        "; ".join(str(risk) for risk in row.risks),
                    ]
                    for row in data["at_risk"]
                ),
                widths=[10, 40, 22, 36, 40],
            ),
            Sheet(
                _("By pillar"),
                [_("Pillar"), *summary_headers, *money_headers],
                ([line["pillar"].name, *summary(line), *money(line)] for line in data["by_pillar"]),
                widths=[26, 12, 10, 12, 10, 16, 18, 18, 14],
            ),
            Sheet(
                _("By OPD"),
                [_("OPD"), *summary_headers, *money_headers],
                ([line["opd"].name, *summary(line), *money(line)] for line in data["by_opd"]),
                widths=[40, 12, 10, 12, 10, 16, 18, 18, 14],
            ),
        ]
        return sum(write_xlsx_sheets(handle, sheets))
