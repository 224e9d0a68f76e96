"""The roadmap page's programme tables, written in Python: six tables of rows cost far less than through templates."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.templatetags.portal import number, rupiah, url_for_rows, with_pk

from ..models import Term

register = template.Library()


def _page_parts(context, masterplan_pk: int, can_edit: bool) -> dict:
    """Return what every row shares (labels, address patterns, the CSRF field, buttons), made once per page."""
    parts = context.render_context.get("programme_row_parts")
    if parts is None:
        # Django's escape() is the standard library's behind a lazy-string check; every text here is a plain str.
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', context.get("csrf_token"))
        parts = {
            "head": format_html(
                '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
                '<th scope="col">{}</th><th scope="col" class="text-end">{}</th><th scope="col">{}</th>{}</tr></thead>',
                _("Programme"),
                _("Roadmap"),
                _("Years"),
                _("Lead OPD"),
                _("Budget"),
                _("Source submissions"),
                format_html('<th scope="col"><span class="visually-hidden">{}</span></th>', _("Actions"))
                if can_edit
                else "",
            ),
            "quick_win": format_html('<span class="badge text-bg-warning">{}</span> ', _("Quick Win")),
            "terms": {value: escape(str(label)) for value, label in Term.choices},
            "edit": escape(_("Edit")),
            "submission_url": url_for_rows("submissions:detail"),
            "move_url": url_for_rows("masterplan:programme_move", masterplan_pk),
            "edit_url": url_for_rows("masterplan:programme_edit", masterplan_pk),
            "delete_url": url_for_rows("masterplan:programme_delete", masterplan_pk),
            "move_buttons": format_html(
                "{}\n"
                '            <button type="submit" name="direction" value="up"'
                ' class="btn btn-sm btn-outline-secondary" title="{}">↑</button>\n'
                '            <button type="submit" name="direction" value="down"'
                ' class="btn btn-sm btn-outline-secondary" title="{}">↓</button></form>\n',
                csrf,
                _("Move up"),
                _("Move down"),
            ),
            "remove_button": format_html(
                "{}\n"
                '            <button type="submit" class="btn btn-sm btn-outline-danger" data-confirm="{}">{}</button>'
                "</form>\n",
                csrf,
                _("Remove this programme from the masterplan?"),
                _("Remove"),
            ),
        }
        context.render_context["programme_row_parts"] = parts
    return parts


@register.simple_tag(takes_context=True)
def programme_table(context, programmes: list, masterplan_pk: int, can_edit: bool) -> SafeString:
    """Return the table of a pillar's programmes on the roadmap page (from `selectors.roadmap`; every text escaped)."""
    parts = _page_parts(context, masterplan_pk, can_edit)
    rows = []
    for programme in programmes:
        supporters = ", ".join(escape(opd.short_name) for opd in programme.supporting_opd_list)
        if supporters:
            supporters = f'<br><span class="text-body-secondary">+ {supporters}</span>'
        sources = ", ".join(
            f'<a href="{with_pk(parts["submission_url"], submission.pk)}">{escape(submission.reference or "–")}</a>'
            for submission in programme.submission_list
        )
        term = parts["terms"][programme.horizon]
        actions = ""
        if can_edit:
            actions = (
                f'<td class="text-nowrap">\n'
                f'          <form method="post" action="{with_pk(parts["move_url"], programme.pk)}" class="d-inline">'
                f"{parts['move_buttons']}"
                f'          <a href="{with_pk(parts["edit_url"], programme.pk)}"'
                f' class="btn btn-sm btn-outline-primary">{parts["edit"]}</a>\n'
                f'          <form method="post" action="{with_pk(parts["delete_url"], programme.pk)}" class="d-inline">'
                f"{parts['remove_button']}"
                f"        </td>"
            )
        rows.append(
            f"      <tr>\n"
            f"        <td>{parts['quick_win'] if programme.is_quick_win else ''}"
            f'<span class="badge text-bg-light">{escape(programme.code)}</span> '
            f"<strong>{escape(programme.title)}</strong><br>"
            f'<span class="small text-body-secondary">{escape(programme.element.name)} · '
            f"{escape(', '.join(programme.funding_source_labels))}</span></td>\n"
            f'        <td class="small">{term}</td>\n'
            f'        <td class="small text-nowrap">{programme.start_year:d}–{programme.end_year:d}</td>\n'
            f'        <td class="small">{escape(programme.lead_opd.short_name)}{supporters}</td>\n'
            f'        <td class="small text-end text-nowrap">{escape(rupiah(programme.total_budget))}</td>\n'
            f'        <td class="small">{sources or "–"}</td>\n'
            f"        {actions}\n"
            f"      </tr>\n"
        )
    return mark_safe(  # every text above is escaped
        '<div class="table-responsive"><table class="table table-sm align-middle programme-table">\n'
        f"    {parts['head']}\n    <tbody>\n{''.join(rows)}    </tbody>\n  </table></div>"
    )


def _target_text(value, unit: str) -> str:
    return f"{number(value)} {unit}".strip()


@register.simple_tag
def roadmap_matrix(programmes: list, masterplan) -> SafeString:
    """Return a pillar's roadmap as Buku IV shows it: programmes as rows, the years as columns under horizon bands.

    A cell of a programme's year holds its indicators' targets with their units and its budget that year; a
    Quick Win is marked. Every text is escaped; the programmes come from `selectors.roadmap` (all prefetched).
    """
    years = masterplan.years
    bands = "".join(
        f'<th scope="colgroup" colspan="{last - first + 1}" class="horizon horizon-{term} text-center small">'
        f"{escape(str(label))}</th>"
        for term, label, first, last in masterplan.horizon_years()
        if last >= first
    )
    year_heads = "".join(f'<th scope="col" class="text-center small">{year:d}</th>' for year in years)
    quick_win = escape(_("Quick Win"))
    rows = []
    for programme in programmes:
        targets: dict[int, list[str]] = {}
        for indicator in programme.indicator_list:
            for target in indicator.target_list:
                targets.setdefault(target.year, []).append(_target_text(target.value, indicator.unit))
        budgets: dict[int, int] = {}
        for budget in programme.budget_list:
            budgets[budget.year] = budgets.get(budget.year, 0) + budget.amount
        cells = []
        for year in years:
            if programme.start_year <= year <= programme.end_year:
                lines = "".join(f"<div>{escape(text)}</div>" for text in targets.get(year, []))
                money = (
                    f'<div class="text-nowrap text-body-secondary">{escape(rupiah(budgets[year]))}</div>'
                    if year in budgets
                    else ""
                )
                cells.append(f'<td class="small active-year">{lines}{money}</td>')
            else:
                cells.append('<td class="small"></td>')
        badge = f' <span class="badge text-bg-warning">{quick_win}</span>' if programme.is_quick_win else ""
        rows.append(
            f'<tr><th scope="row" class="small"><span class="text-body-secondary">{escape(programme.code)}</span> '
            f"{escape(programme.title)}{badge}</th>{''.join(cells)}</tr>"
        )
    return mark_safe(  # every text above is escaped
        '<div class="table-responsive"><table class="table table-sm table-bordered roadmap-matrix">'
        f'<thead><tr><td></td>{bands}</tr><tr><th scope="col" class="small">{escape(_("Programme"))}</th>'
        f"{year_heads}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


@register.simple_tag
def budget_totals_table(totals) -> SafeString:
    """Return the budget per pillar x year x funding source with its row and column totals (from `budget_totals`)."""
    years = totals.years
    head = "".join(f'<th scope="col" class="text-end small">{year:d}</th>' for year in years)

    def amounts(values, total, css=""):
        cells = "".join(
            f'<td class="text-end text-nowrap small{css}">{escape(rupiah(v)) if v else "–"}</td>' for v in values
        )
        return f'{cells}<td class="text-end text-nowrap small fw-bold">{escape(rupiah(total))}</td>'

    rows = []
    for pillar in totals.pillars:
        if not pillar.total:
            continue
        for _value, label, values, total in pillar.by_source:
            rows.append(
                f'<tr><td class="small">{escape(pillar.pillar.name)}</td><td class="small">{escape(label)}</td>'
                f"{amounts(values, total)}</tr>"
            )
        rows.append(
            f'<tr class="table-light"><th scope="row" colspan="2" class="small">{escape(_("Total"))} '
            f"{escape(pillar.pillar.name)}</th>{amounts(pillar.by_year, pillar.total)}</tr>"
        )
    for _value, label, values, total in totals.by_source_and_year:
        rows.append(
            f'<tr class="table-secondary"><th scope="row" colspan="2" class="small">{escape(_("Total"))} '
            f"{escape(label)}</th>{amounts(values, total)}</tr>"
        )
    rows.append(
        f'<tr class="table-dark"><th scope="row" colspan="2" class="small">{escape(_("Grand total"))}</th>'
        f"{amounts(totals.by_year, totals.total)}</tr>"
    )
    return mark_safe(  # every text above is escaped
        '<div class="table-responsive"><table class="table table-sm budget-totals" data-testid="budget-totals">'
        f'<thead><tr><th scope="col" class="small">{escape(_("Pillar"))}</th>'
        f'<th scope="col" class="small">{escape(_("Funding source"))}</th>{head}'
        f'<th scope="col" class="text-end small">{escape(_("Total"))}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


@register.simple_tag
def horizons_line(masterplan) -> str:
    """Return each horizon of the masterplan with its years: "Jangka pendek 2023–2026 · Jangka panjang 2027–2032"."""
    return " · ".join(
        f"{label} {first}" if first == last else f"{label} {first}–{last}"
        for _term, label, first, last in masterplan.horizon_years()
    )
