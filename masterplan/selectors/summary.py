"""The executive summary the portal drafts from the masterplan's data, for Kominfo to edit."""

from collections import Counter

from core.templatetags.portal import rupiah

from ..models import Masterplan, Programme, Term
from .budgets import budget_totals

TERM_WORDS = {Term.SHORT: "jangka pendek", Term.MEDIUM: "jangka menengah", Term.LONG: "jangka panjang"}


def executive_summary_draft(masterplan: Masterplan) -> str:
    """Return a draft Ringkasan Eksekutif: programmes per pillar and horizon, budget per source, the Quick Wins."""
    programmes = list(
        Programme.objects.filter(masterplan=masterplan)
        .select_related("element__pillar")
        .order_by("element__pillar__order", "order", "pk")
        .only("title", "code", "start_year", "is_quick_win", "element__pillar__name_id", "element__pillar__order")
    )
    totals = budget_totals(masterplan)
    horizons = masterplan.horizon_years()
    per_pillar: dict[str, Counter] = {}
    for programme in programmes:
        term = masterplan.horizon_of(programme.start_year)
        per_pillar.setdefault(programme.element.pillar.name_id, Counter())[term] += 1
    periods = ", ".join(f"{TERM_WORDS[Term(term)]} {first}–{last}" for term, _label, first, last in horizons)
    paragraphs = [
        f"{masterplan.title} disusun untuk periode {masterplan.start_year}–"
        f"{masterplan.end_year} dan dibagi atas {periods}. Masterplan memuat {len(programmes)} program "
        f"pada {len(per_pillar)} pilar smart city dengan perkiraan anggaran seluruhnya {rupiah(totals.total)}."
    ]
    lines = []
    for pillar, counts in per_pillar.items():
        parts = ", ".join(
            f"{counts[Term(term)]} {TERM_WORDS[Term(term)]}" for term, *_rest in horizons if counts[Term(term)]
        )
        lines.append(f"- {pillar}: {sum(counts.values())} program ({parts}).")
    if lines:
        paragraphs.append("Sebaran program per pilar dan horizon waktu:\n" + "\n".join(lines))
    if totals.by_source:
        sources = "; ".join(
            f"{label} {rupiah(amount)} ({f'{amount * 100 / totals.total:.1f}'.replace('.', ',')}%)"
            for _value, label, amount in totals.by_source
        )
        paragraphs.append(f"Sumber pendanaan: {sources}.")
    quick_wins = [programme for programme in programmes if programme.is_quick_win]
    if quick_wins:
        window = (
            str(masterplan.start_year)
            if masterplan.quick_win_years == 1
            else f"{masterplan.start_year}–{masterplan.quick_win_last_year}"
        )
        names = "; ".join(f"{programme.code} {programme.title}" for programme in quick_wins)
        paragraphs.append(f"Quick Win yang diselesaikan pada {window} ({len(quick_wins)} program): {names}.")
    return "\n\n".join(paragraphs)
