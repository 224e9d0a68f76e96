"""XLSX export of a masterplan's programmes: one row per programme, yearly targets as columns."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from core.spreadsheets import THOUSANDS, write_xlsx

from .selectors import roadmap

WIDTHS = [18, 26, 40, 50, 14, 10, 10, 10, 26, 30, 40, 20, 18, 24]
BUDGET_COLUMN = 11


def _headers(years: list[int]) -> list[str]:
    return [
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
        _("Indicators"),
        _("Estimated budget (Rp)"),
        _("Funding source"),
        _("Source submissions"),
    ]


def _rows(plan, years: list[int]) -> Iterator[list]:
    for pillar in plan.pillars:
        for programme in pillar.programmes:
            yield [
                pillar.pillar.name,
                programme.element.name,
                programme.title,
                programme.description,
                programme.get_horizon_display(),
                _("Yes") if programme.is_quick_win else _("No"),
                programme.start_year,
                programme.end_year,
                programme.lead_opd.name,
                ", ".join(opd.name for opd in programme.supporting_opds.all()),
                "; ".join(f"{indicator.name} ({indicator.unit})" for indicator in programme.indicators.all()),
                programme.total_budget,
                ", ".join(programme.funding_source_labels),
                ", ".join(submission.reference or "" for submission in programme.submissions.all()),
            ]


def write_programmes_xlsx(masterplan, handle) -> int:
    """Write the programmes workbook to an open binary file; return the number of programme rows."""
    years = masterplan.years
    return write_xlsx(
        handle,
        sheet_name=_("Programmes"),
        headers=_headers(years),
        rows=_rows(roadmap(masterplan), years),
        widths=WIDTHS,
        number_formats={BUDGET_COLUMN: THOUSANDS},
        frozen_columns=3,
    )
