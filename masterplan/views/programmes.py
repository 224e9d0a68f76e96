"""The programme pages of a draft masterplan: assembly from approved submissions, adding, editing, moving, removing."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import add_service_errors, perform, show_errors
from opd.models import SubmissionKind
from pillars.models import Pillar

from .. import selectors, services
from ..access import access_masterplan, access_programme, can_assemble, can_edit_masterplan, writer_required
from ..forms import (
    BudgetFormSet,
    IndicatorFormSet,
    ProgrammeForm,
    budget_initial,
    budgets_from,
    indicator_initial,
    indicators_from,
    initial_parts_from,
    programme_initial_from,
)
from .masterplans import refuse_frozen, rows_refused


def row_id(value: str) -> int | None:
    """Return a row id typed in a query string, or None for anything a database id column cannot hold."""
    try:
        number = int(value)
    except (TypeError, ValueError):  # "abc", but also "²", which str.isdigit() accepts
        return None
    return number if 0 < number < 2**63 else None


def pillar_anchor(programme) -> str:
    """Return the address of the programme's pillar on the roadmap page."""
    return f"{programme.masterplan.get_absolute_url()}#pillar-{programme.element.pillar.code}"


@writer_required
@require_GET
def assembly(request, pk: int):
    """List the approved submissions not yet used by a programme, to build programmes from them."""
    masterplan = access_masterplan(request.user, pk, write=True)
    if not can_assemble(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    chosen = {name: request.GET.get(name, "") for name in ("pillar", "opd", "kind")}
    submissions = selectors.assembly_submissions(
        masterplan, pillar_id=row_id(chosen["pillar"]), opd_id=row_id(chosen["opd"]), kind=chosen["kind"]
    )
    context = {
        "masterplan": masterplan,
        "submissions": submissions,
        "kind_labels": {value: str(label) for value, label in SubmissionKind.choices},
        "pillars": Pillar.objects.all(),
        "opds": selectors.opds_with_approved_submissions(),
        "kinds": SubmissionKind.choices,
        "chosen": chosen,
    }
    return render(request, "masterplan/assembly.html", context)


def programme_data(form) -> dict:
    """Return the programme's own fields from a valid form (its many-to-many choices go apart)."""
    many = ("submissions", "supporting_opds", "rpjmd_missions")
    return {name: form.cleaned_data[name] for name in form.Meta.fields if name not in many}


def programme_forms(request, masterplan, programme=None, *, initial=None, parts=None):
    """Return the programme form and its indicator and budget formsets, bound to the POST when there is one."""
    data = request.POST if request.method == "POST" else None
    choices = selectors.submission_choices(masterplan, programme)
    form = ProgrammeForm(
        data, instance=programme, masterplan=masterplan, submission_choices=choices, initial=initial or {}
    )
    indicator_rows, budget_rows = parts or (
        (indicator_initial(programme), budget_initial(programme)) if programme else ([], [])
    )
    years = masterplan.years
    indicators = IndicatorFormSet(data, prefix="indicator", years=years, initial=indicator_rows)
    budgets = BudgetFormSet(data, prefix="budget", years=years, initial=budget_rows)
    return form, indicators, budgets


def programme_page(request, masterplan, programme, form, indicators, budgets):
    """Render the programme form, the years of the programme marked so its rows can show only those years."""
    start = form["start_year"].value() or (programme.start_year if programme else None)
    end = form["end_year"].value() or (programme.end_year if programme else None)
    context = {
        "form": form,
        "indicators": indicators,
        "budgets": budgets,
        "masterplan": masterplan,
        "programme": programme,
        "programme_years": programme_years(masterplan, start, end),
    }
    return render(request, "masterplan/programme_form.html", context)


def programme_years(masterplan, start, end) -> list[int]:
    """Return the programme's years as typed (all the masterplan's years while they are not known)."""
    try:
        first, last = int(start), int(end)
    except (TypeError, ValueError):
        return masterplan.years
    years = [year for year in masterplan.years if first <= year <= last]
    return years or masterplan.years


def years_of(form) -> tuple[int, int]:
    return form.cleaned_data["start_year"], form.cleaned_data["end_year"]


def all_valid(*forms) -> bool:
    results = [form.is_valid() for form in forms]  # every form validated, so every one shows its errors
    return all(results)


@writer_required
def programme_create(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    if not can_assemble(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    chosen_ids = [pk for value in request.GET.getlist("submission") if (pk := row_id(value)) is not None]
    chosen = list(selectors.submission_choices(masterplan).filter(pk__in=chosen_ids))
    form, indicators, budgets = programme_forms(
        request, masterplan, initial=programme_initial_from(chosen), parts=initial_parts_from(chosen)
    )
    if request.method == "POST" and rows_refused(request, indicators, budgets):
        return redirect(request.get_full_path())
    if request.method == "POST" and all_valid(form, indicators, budgets):
        try:
            programme = services.programme_create(
                masterplan=masterplan,
                by=request.user,
                data=programme_data(form),
                submissions=form.cleaned_data["submissions"],
                supporting_opds=form.cleaned_data["supporting_opds"],
                rpjmd_missions=form.cleaned_data["rpjmd_missions"],
                indicators=indicators_from(indicators, *years_of(form)),
                budgets=budgets_from(budgets),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme “%(title)s” added.") % {"title": programme.title})
            return redirect(pillar_anchor(programme))
    return programme_page(request, masterplan, None, form, indicators, budgets)


@writer_required
def programme_edit(request, pk: int, programme_pk: int):
    programme = access_programme(request.user, pk, programme_pk, write=True)
    masterplan = programme.masterplan
    if not can_edit_masterplan(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    form, indicators, budgets = programme_forms(request, masterplan, programme)
    if request.method == "POST" and rows_refused(request, indicators, budgets):
        return redirect(request.get_full_path())
    if request.method == "POST" and all_valid(form, indicators, budgets):
        try:
            services.programme_update(
                programme=programme,
                by=request.user,
                data=programme_data(form),
                submissions=form.cleaned_data["submissions"],
                supporting_opds=form.cleaned_data["supporting_opds"],
                rpjmd_missions=form.cleaned_data["rpjmd_missions"],
                indicators=indicators_from(indicators, *years_of(form)),
                budgets=budgets_from(budgets),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) == "stale":  # saving again now replaces the newer version with this one
                form.data = form.data.copy()
                form.data["version"] = selectors.programme_version(programme) or ""
        else:
            messages.success(request, _("Programme saved."))
            return redirect(pillar_anchor(programme))
    return programme_page(request, masterplan, programme, form, indicators, budgets)


@writer_required
@require_POST
def programme_move(request, pk: int, programme_pk: int):
    programme = access_programme(request.user, pk, programme_pk, write=True)
    directions = {"up": -1, "down": 1}
    if request.POST.get("direction") not in directions:
        messages.error(request, _("Choose whether to move the programme up or down; nothing was moved."))
        return redirect(pillar_anchor(programme))
    try:
        services.programme_move(programme=programme, by=request.user, direction=directions[request.POST["direction"]])
    except ValidationError as error:
        show_errors(request, error)
    return redirect(pillar_anchor(programme))


@writer_required
@require_POST
def programme_delete(request, pk: int, programme_pk: int):
    programme = access_programme(request.user, pk, programme_pk, write=True)
    perform(
        request,
        partial(services.programme_delete, programme=programme, by=request.user),
        _("Programme “%(title)s” removed; its submissions are available again.") % {"title": programme.title},
    )
    return redirect("masterplan:detail", pk=pk)
