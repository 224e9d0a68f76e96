"""Everything the document's templates show, loaded in a fixed number of queries and computed once."""

import base64
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core.pdf import bundled_url

from .. import selectors
from ..books import DOCUMENT_TITLES, Book
from .chapters import SUMMARY_NUMBER, book_parts, chapter_plan, chapters_of
from .facts import describe, horizons_of
from .figures import gantt_pages, pillar_legend
from .region import alignment_rows, governance_bodies, profile_figures, profile_of, rpjmd_of

STYLESHEET = bundled_url("portal/css/masterplan-pdf.css")


@dataclass
class BudgetRow:
    """A row of the financing table: a funding source of a pillar, a pillar's subtotal, or the total."""

    label: str
    amounts: list[int]
    total: int
    kind: str  # "source", "subtotal" or "total"


@dataclass
class SummaryRow:
    """A pillar in the executive summary: programmes per horizon, quick wins, budget."""

    label: str
    counts: list[int]
    quick_wins: int
    count: int
    budget: int


def document_context(masterplan, *, version: int, book: str = Book.SET) -> dict:
    """Return everything the document template shows for one book (or the set), in a fixed number of queries."""
    plan = chapter_plan(masterplan)
    chapters = chapters_of(plan, book)
    anchors = {chapter.anchor for chapter in chapters}
    roadmap = selectors.roadmap(masterplan)
    horizons = horizons_of(masterplan)
    years = masterplan.years
    for index, pillar in enumerate(roadmap.pillars, start=1):
        pillar.number = index
        for position, programme in enumerate(pillar.programmes, start=1):
            describe(programme, pillar_code=pillar.pillar.code, position=position, masterplan=masterplan,
                     horizons=horizons)  # fmt: skip
        pillar.horizon_counts = [
            sum(1 for programme in pillar.programmes if programme.term == horizon) for horizon in horizons
        ]
        pillar.quick_wins = [programme for programme in pillar.programmes if programme.is_quick_win]
    totals = financing(roadmap)
    summary = summary_rows(roadmap, horizons)
    profile = profile_of(masterplan)
    rpjmd = rpjmd_of(masterplan)
    quick_wins = [programme for pillar in roadmap.pillars for programme in pillar.quick_wins]
    context = {
        "masterplan": masterplan,
        "book": book,
        "book_title": DOCUMENT_TITLES[book],
        "is_set": book == Book.SET,
        "parts": book_parts(chapters, book),
        "chapters": chapters,
        "version": version,
        "rendered_at": timezone.localtime(),
        "region_name": settings.REGION_NAME,
        "emblem": emblem_url(masterplan),
        "is_demo": bool(getattr(masterplan, "is_demo", False)),
        "head_of_region": head_of_region(settings.REGION_NAME),
        "stylesheet": STYLESHEET,
        "roadmap": roadmap,
        "horizons": horizons,
        "years": years,
        "summary_number": SUMMARY_NUMBER,
        "summary_rows": summary,
        "horizon_totals": list(zip(horizons, summary[-1].counts, strict=True)),
        "quick_wins": quick_wins,
        "budget_total": totals["total"],
        "budget_by_source": totals["by_source"],
        "financing": totals["blocks"],
        "financing_total": totals["total_row"],
        "financing_per_source": totals["per_source"],
        "quick_win_total": sum(programme.budget_sum for programme in quick_wins),
        "action_years": action_years(roadmap, horizons[0]),
        "profile": profile,
        "profile_figures": profile_figures(profile),
        "rpjmd": rpjmd,
        "alignment": alignment_rows(rpjmd, roadmap),
        "governance_bodies": governance_bodies(masterplan),
        "analysis_sections": [chapter.section for chapter in plan if chapter.section],
    }
    if "bab-peta-jalan" in anchors:
        for pillar in roadmap.pillars:
            pillar.charts = gantt_pages(masterplan, pillar.programmes, f"Peta jalan {pillar.pillar.name}")
        context["pillar_legend"] = pillar_legend([pillar.pillar for pillar in roadmap.pillars])
    if "lampiran" in anchors:
        context["annex"] = annex(masterplan, roadmap)
    return context


def financing(roadmap) -> dict:
    """Return the budget per pillar x source x year as the financing table's rows (selectors.budget_totals)."""
    totals = roadmap.budget_totals
    pillars = {row.pillar.pk: row for row in totals.pillars}
    blocks = []
    for pillar in roadmap.pillars:
        figures = pillars[pillar.pillar.pk]
        rows = [BudgetRow(str(label), amounts, total, "source") for _value, label, amounts, total in figures.by_source]
        rows.append(BudgetRow(f"Jumlah {pillar.pillar.name}", figures.by_year, figures.total, "subtotal"))
        pillar.budget_total = figures.total
        blocks.append((pillar, rows))
    per_source = [
        BudgetRow(str(label), amounts, total, "source") for _value, label, amounts, total in totals.by_source_and_year
    ]
    total = totals.total
    return {
        "blocks": blocks,
        "total_row": BudgetRow("Jumlah seluruh pilar", totals.by_year, total, "total"),
        "per_source": per_source,
        "by_source": [(row.label, row.total, row.total * 100 / total if total else 0) for row in per_source],
        "total": total,
    }


def action_years(roadmap, horizon) -> list[tuple[int, list, int]]:
    """Return, for each year of the first horizon, the programmes running that year with their cell and the total."""
    first_year = roadmap.masterplan.start_year
    result = []
    for year in horizon.years:
        rows = [
            (programme, programme.year_cells[year - first_year])
            for programme in roadmap.programmes
            if programme.start_year <= year <= programme.end_year
        ]
        result.append((year, rows, sum(cell.budget for _programme, cell in rows)))
    return result


def summary_rows(roadmap, horizons) -> list[SummaryRow]:
    """Return the executive summary's rows: one per pillar, then the total."""
    rows = [
        SummaryRow(
            pillar.pillar.name,
            pillar.horizon_counts,
            len(pillar.quick_wins),
            len(pillar.programmes),
            sum(programme.budget_sum for programme in pillar.programmes),
        )  # fmt: skip
        for pillar in roadmap.pillars
    ]
    rows.append(
        SummaryRow(
            "Jumlah",
            [sum(row.counts[index] for row in rows) for index in range(len(horizons))],
            sum(row.quick_wins for row in rows),
            sum(row.count for row in rows),
            sum(row.budget for row in rows),
        )
    )
    return rows


def annex(masterplan, roadmap) -> list[tuple[object, list]]:
    """Return the submissions behind the programmes per OPD, each with the codes of the programmes it fed."""
    fed: dict[int, list] = {}
    for programme in roadmap.programmes:
        for submission in programme.submission_list:
            fed.setdefault(submission.pk, []).append(programme)
    grouped = selectors.source_submissions_by_opd(masterplan)
    for _opd, submissions in grouped:
        for submission in submissions:
            submission.fed_programmes = fed.get(submission.pk, [])
    return grouped


def emblem_url(masterplan) -> str:
    """Return the region's emblem for the cover and the header: the one Kominfo uploaded, or the bundled one."""
    emblem = masterplan.emblem
    if emblem:
        try:
            with emblem.open("rb") as handle:
                content = handle.read()
        except (OSError, ValueError):
            content = b""
        if content:
            kind = "image/svg+xml" if content.lstrip()[:5] in (b"<?xml", b"<svg ") else None
            kind = kind or mimetypes.guess_type(emblem.name)[0] or "image/png"
            return f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"
    return bundled_url(settings.REGION_LOGO)


def head_of_region(region_name: str) -> str:
    """Return who signs for the region: Bupati of a kabupaten, Wali Kota of a kota."""
    lowered = region_name.lower()
    place = region_name.split(" ", 1)[1] if " " in region_name else region_name
    if lowered.startswith("kabupaten"):
        return f"Bupati {place}"
    if lowered.startswith("kota"):
        return f"Wali Kota {place}"
    return f"Kepala Daerah {region_name}"
