"""The masterplan pages: the list, the roadmap, editing a draft and its analysis, making it final, copying it."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.charts import gantt
from core.views import add_service_errors, perform, show_errors

from .. import selectors, services
from ..access import (
    access_analysis,
    access_masterplan,
    can_edit_masterplan,
    can_write_masterplans,
    masterplan_permissions,
    reader_required,
    writer_required,
)
from ..forms import AnalysisForm, MasterplanForm
from ..pages import page_links_for


def refuse_frozen(request, masterplan):
    """Send the person back to a final masterplan, saying why nothing in it can change."""
    messages.error(
        request, _("This masterplan is final and can no longer change. Start a new draft from it to make changes.")
    )
    return redirect("masterplan:detail", pk=masterplan.pk)


def rows_refused(request, *formsets) -> bool:
    """Say so when a formset's row counts are missing, malformed or over the limit: only an altered page sends them.

    The caller then redirects to the page afresh, whose row counts are right again; nothing was saved.
    """
    problems = [message for formset in formsets for message in formset.row_count_errors()]
    for message in dict.fromkeys(problems):
        messages.error(request, message)
    return bool(problems)


def roadmap_chart(masterplan, programmes, title: str):
    """Draw the Gantt chart of some of the masterplan's programmes."""
    return gantt(
        programmes,
        years=masterplan.years,
        horizons=masterplan.horizon_years(),
        title=title,
        quick_win_label=_("Quick Win"),
    )


@reader_required
@require_GET
def masterplan_list(request):
    context = {"masterplans": selectors.masterplan_list(), "can_create": can_write_masterplans(request.user)}
    return render(request, "masterplan/masterplan_list.html", context)


@writer_required
def masterplan_create(request):
    form = MasterplanForm(
        request.POST or None, initial={"start_year": 2023, "end_year": 2032, "short_term_end_year": 2027}
    )
    if request.method == "POST" and form.is_valid():
        try:
            masterplan = services.masterplan_create(by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Masterplan created. Add programmes from the approved submissions."))
            return redirect("masterplan:detail", pk=masterplan.pk)
    return render(request, "masterplan/masterplan_form.html", {"form": form, "masterplan": None})


@writer_required
def masterplan_edit(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    if not can_edit_masterplan(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    form = MasterplanForm(request.POST or None, instance=masterplan)
    if request.method == "POST" and form.is_valid():
        try:
            services.masterplan_update(masterplan=masterplan, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("masterplan:detail", pk=pk)
    return render(request, "masterplan/masterplan_form.html", {"form": form, "masterplan": masterplan})


@reader_required
@require_GET
def masterplan_detail(request, pk: int):
    """Show the masterplan: vision, the roadmap per pillar with its timeline, budgets, and the PDFs."""
    masterplan = access_masterplan(request.user, pk)
    # Each pillar's table is paginated (?GOV=2), so the page costs the same however many programmes there are.
    roadmap = selectors.roadmap(masterplan, pages=request.GET)
    can = masterplan_permissions(request.user, masterplan)
    overall_title = (
        _("Roadmap of all programmes")
        if roadmap.everything_shown
        else _("Roadmap of the programmes shown on this page")
    )
    context = {
        "masterplan": masterplan,
        "roadmap": roadmap,
        "overall_chart": roadmap_chart(masterplan, roadmap.programmes, overall_title),
        "pillar_charts": [
            (
                pillar,
                roadmap_chart(
                    masterplan, pillar.programmes, _("Roadmap of %(pillar)s") % {"pillar": pillar.pillar.name}
                ),
            )
            for pillar in roadmap.pillars
        ],
        "exports": selectors.recent_exports(masterplan),
        "can": can,
        # The task list is Kominfo's, while the draft can change: which parts are done, which are still missing.
        "parts": selectors.masterplan_parts(masterplan) if can["edit"] else [],
        # Only on the "Build programmes" button: the count reads every approved submission.
        "unused_count": selectors.unused_approved_submission_count(masterplan) if can["assemble"] else 0,
        "page_links": page_links_for(request.user, masterplan),
    }
    return render(request, "masterplan/masterplan_detail.html", context)


@writer_required
@require_POST
def masterplan_finalize(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    perform(
        request,
        partial(services.masterplan_finalize, masterplan=masterplan, by=request.user),
        _("The masterplan is final: its content is frozen."),
    )
    return redirect("masterplan:detail", pk=pk)


@writer_required
@require_POST
def masterplan_copy(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    try:
        copy = services.masterplan_new_draft_from(masterplan=masterplan, by=request.user)
    except ValidationError as error:
        show_errors(request, error)
        return redirect("masterplan:detail", pk=pk)
    messages.success(request, _("A new draft was started from the final masterplan."))
    return redirect("masterplan:detail", pk=copy.pk)


@writer_required
def analysis_edit(request, pk: int, pillar_code: str):
    analysis = access_analysis(request.user, pk, pillar_code, write=True)
    masterplan = analysis.masterplan
    if not can_edit_masterplan(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    form = AnalysisForm(request.POST or None, instance=analysis)
    if request.method == "POST" and form.is_valid():
        try:
            services.analysis_update(
                analysis=analysis,
                by=request.user,
                data={name: form.cleaned_data[name] for name in AnalysisForm.Meta.fields},
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Analysis of %(pillar)s saved.") % {"pillar": analysis.pillar.name})
            return redirect(f"{masterplan.get_absolute_url()}#pillar-{analysis.pillar.code}")
    return render(
        request, "masterplan/analysis_form.html", {"form": form, "analysis": analysis, "masterplan": masterplan}
    )
