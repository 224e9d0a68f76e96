"""XLSX export of a masterplan: the programmes (yearly budgets per source and numeric targets as columns) and a
sheet for each table of the books: indicators, budget totals, region profile, RPJMD alignment, governance."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from core.spreadsheets import THOUSANDS, Sheet, write_xlsx_sheets
from pillars.models import Pillar

from .models import GovernanceBody, RegionProfile, Rpjmd
from .selectors import budget_totals, roadmap

PROGRAMME_WIDTHS = [18, 10, 26, 40, 14, 50, 14, 10, 10, 10, 26, 30, 24, 18, 24, 18]
TOTAL_BUDGET_COLUMN = 13
FIRST_BUDGET_COLUMN = 16


def _programme_sheet(plan, totals) -> Sheet:
    years, sources = totals.years, totals.sources
    headers = [
        _("Pillar"),
        _("Code"),
        _("Element"),
        _("Programme"),
        _("RPJMD/SIPD code"),
        _("Description"),
        _("Horizon"),
        _("Quick Win"),
        _("Start year"),
        _("End year"),
        _("Lead OPD"),
        _("Supporting OPDs"),
        _("RPJMD missions"),
        _("Estimated budget (Rp)"),
        _("Funding source"),
        _("Source submissions"),
        *[f"{_('Budget')} {year} {label}" for year in years for _value, label in sources],
    ]

    def rows() -> Iterator[list]:
        for pillar in plan.pillars:
            for programme in pillar.programmes:
                amounts = {(budget.year, budget.source): budget.amount for budget in programme.budget_list}
                yield [
                    pillar.pillar.name,
                    programme.code,
                    programme.element.name,
                    programme.title,
                    programme.rpjmd_code,
                    programme.description,
                    programme.get_horizon_display(),
                    _("Yes") if programme.is_quick_win else _("No"),
                    programme.start_year,
                    programme.end_year,
                    programme.lead_opd.name,
                    ", ".join(opd.name for opd in programme.supporting_opd_list),
                    ", ".join(str(mission.number) for mission in programme.mission_list),
                    programme.total_budget,
                    ", ".join(programme.funding_source_labels),
                    ", ".join(submission.reference or "" for submission in programme.submission_list),
                    *[amounts.get((year, value)) for year in years for value, _label in sources],
                ]

    formats = {TOTAL_BUDGET_COLUMN: THOUSANDS}
    formats.update({FIRST_BUDGET_COLUMN + index: THOUSANDS for index in range(len(years) * len(sources))})
    return Sheet(_("Programmes"), headers, rows(), PROGRAMME_WIDTHS, formats, frozen_columns=4)


def _indicator_sheet(plan, years: list[int]) -> Sheet:
    headers = [
        _("Code"),
        _("Programme"),
        _("Indicator"),
        _("Kind"),
        _("Unit"),
        _("Baseline value"),
        _("Baseline year"),
        _("Data source"),
        _("Note"),
        *[_("Target %(year)d") % {"year": year} for year in years],
    ]

    def rows() -> Iterator[list]:
        for programme in plan.programmes:
            for indicator in programme.indicator_list:
                targets = {target.year: target.value for target in indicator.target_list}
                yield [
                    programme.code,
                    programme.title,
                    indicator.name,
                    indicator.get_kind_display(),
                    indicator.unit,
                    indicator.baseline_value,
                    indicator.baseline_year,
                    indicator.data_source,
                    indicator.note,
                    *[targets.get(year) for year in years],
                ]

    return Sheet(_("Indicators"), headers, rows(), [10, 30, 40, 10, 14, 12, 10, 20, 30], frozen_columns=3)


def budget_total_rows(totals) -> Iterator[list]:
    """Yield the budget totals table's rows: per pillar and source, each pillar's total, each source's, the whole."""
    for pillar in totals.pillars:
        for _value, label, amounts, total in pillar.by_source:
            yield [pillar.pillar.name, label, *amounts, total]
        yield [pillar.pillar.name, _("Total"), *pillar.by_year, pillar.total]
    for _value, label, amounts, total in totals.by_source_and_year:
        yield [_("Total"), label, *amounts, total]
    yield [_("Grand total"), "", *totals.by_year, totals.total]


def _budget_sheet(totals) -> Sheet:
    headers = [_("Pillar"), _("Funding source"), *[str(year) for year in totals.years], _("Total")]
    formats = dict.fromkeys(range(2, len(headers)), THOUSANDS)
    return Sheet(_("Budget totals"), headers, budget_total_rows(totals), [30, 24], formats, frozen_columns=2)


def _profile_sheet(masterplan) -> Sheet:
    profile = RegionProfile.objects.filter(masterplan=masterplan).first()
    figures = [
        ("area_km2", None, "area_source"),
        ("kecamatan_count", None, "area_source"),
        ("desa_count", None, "area_source"),
        ("kelurahan_count", None, "area_source"),
        ("population", "population_year", "population_source"),
        ("grdp", "grdp_year", "grdp_source"),
        ("grdp_growth", "grdp_year", "grdp_source"),
        ("hdi", "hdi_year", "hdi_source"),
        ("poverty_rate", "poverty_rate_year", "poverty_rate_source"),
        ("internet_coverage", "internet_coverage_year", "ict_source"),
        ("application_count", "application_count_year", "ict_source"),
        ("has_data_centre", None, "ict_source"),
        ("has_command_centre", None, "ict_source"),
    ]
    rows = []
    if profile is not None:
        for name, year, source in figures:
            value = getattr(profile, name)
            if isinstance(value, bool):
                value = _("Yes") if value else _("No")
            label = str(RegionProfile._meta.get_field(name).verbose_name)
            rows.append(
                [
                    label[:1].upper() + label[1:],
                    value,
                    getattr(profile, year) if year else None,
                    getattr(profile, source),
                ]
            )
    return Sheet(_("Region profile"), [_("Figure"), _("Value"), _("Year"), _("Source")], rows, [40, 18, 8, 40])


def _rpjmd_sheet(masterplan, plan) -> Sheet:
    pillars = list(Pillar.objects.all())
    rpjmd = Rpjmd.objects.filter(masterplan=masterplan).prefetch_related("missions").first()
    served: dict[tuple[int, int], list[str]] = {}
    for programme in plan.programmes:
        for mission in programme.mission_list:
            served.setdefault((mission.pk, programme.element.pillar_id), []).append(programme.code)
    rows = [
        [mission.number, mission.text, *[", ".join(served.get((mission.pk, pillar.pk), [])) for pillar in pillars]]
        for mission in (rpjmd.missions.all() if rpjmd else [])
    ]
    headers = [_("No."), _("RPJMD mission"), *[pillar.name for pillar in pillars]]
    return Sheet(_("RPJMD alignment"), headers, rows, [6, 50, *[18] * len(pillars)], frozen_columns=2)


def _governance_sheet(masterplan) -> Sheet:
    rows = [
        [
            body.get_kind_display(),
            body.decree_number,
            body.decree_date.isoformat() if body.decree_date else "",
            member.name,
            member.position,
            member.role_in_body,
            member.opd.name if member.opd else member.outside_party,
        ]
        for body in GovernanceBody.objects.filter(masterplan=masterplan).prefetch_related("members__opd")
        for member in body.members.all()
    ]
    headers = [_("Body"), _("SK Bupati number"), _("SK Bupati date"), _("Name"), _("Position"), _("Role"), _("From")]
    return Sheet(_("Governance"), headers, rows, [30, 20, 12, 30, 30, 20, 30])


def write_programmes_xlsx(masterplan, handle) -> int:
    """Write the masterplan's workbook to an open binary file; return the number of programme rows."""
    plan = roadmap(masterplan)
    totals = plan.budget_totals or budget_totals(masterplan)
    counts = write_xlsx_sheets(
        handle,
        [
            _programme_sheet(plan, totals),
            _indicator_sheet(plan, totals.years),
            _budget_sheet(totals),
            _profile_sheet(masterplan),
            _rpjmd_sheet(masterplan, plan),
            _governance_sheet(masterplan),
        ],
    )
    return counts[0]
