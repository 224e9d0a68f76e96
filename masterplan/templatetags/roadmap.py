"""The roadmap page's programme tables, written in Python: six tables of rows cost far less than through templates."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.templatetags.portal import rupiah, url_for_rows, with_pk

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
        supporters = ", ".join(escape(opd.short_name) for opd in programme.supporting_opds.all())
        if supporters:
            supporters = f'<br><span class="text-body-secondary">+ {supporters}</span>'
        sources = ", ".join(
            f'<a href="{with_pk(parts["submission_url"], submission.pk)}">{escape(submission.reference or "–")}</a>'
            for submission in programme.submissions.all()
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
