"""The programme pages of a draft masterplan: assembly from approved submissions, adding, editing, moving, removing."""

from functools import partial
from types import SimpleNamespace

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
from ..forms import ProgrammeForm, programme_initial_from
from .masterplans import refuse_frozen


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
    """Return the programme's own fields from a valid form (its submissions and supporting OPDs go apart)."""
    return {
        name: form.cleaned_data[name] for name in form.Meta.fields if name not in ("submissions", "supporting_opds")
    }


def typed_targets(form, request) -> dict:
    """Return the yearly targets typed in a posted form, to show them again beside its errors."""
    if request.method != "POST":
        return {}
    return {
        year: SimpleNamespace(output_target=output, outcome_target=outcome)
        for year, (output, outcome) in form.targets(request.POST).items()
    }


@writer_required
def programme_create(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    if not can_assemble(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    chosen_ids = [pk for value in request.GET.getlist("submission") if (pk := row_id(value)) is not None]
    choices = selectors.submission_choices(masterplan)
    form = ProgrammeForm(
        request.POST or None,
        masterplan=masterplan,
        submission_choices=choices,
        initial=programme_initial_from(list(choices.filter(pk__in=chosen_ids))),
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                masterplan=masterplan,
                by=request.user,
                data=programme_data(form),
                submissions=form.cleaned_data["submissions"],
                supporting_opds=form.cleaned_data["supporting_opds"],
                targets=form.targets(request.POST),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme “%(title)s” added.") % {"title": programme.title})
            return redirect(pillar_anchor(programme))
    return render(
        request,
        "masterplan/programme_form.html",
        {"form": form, "masterplan": masterplan, "programme": None, "targets": {}},
    )


@writer_required
def programme_edit(request, pk: int, programme_pk: int):
    programme = access_programme(request.user, pk, programme_pk, write=True)
    masterplan = programme.masterplan
    if not can_edit_masterplan(request.user, masterplan):
        return refuse_frozen(request, masterplan)
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        masterplan=masterplan,
        submission_choices=selectors.submission_choices(masterplan, programme),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(
                programme=programme,
                by=request.user,
                data=programme_data(form),
                submissions=form.cleaned_data["submissions"],
                supporting_opds=form.cleaned_data["supporting_opds"],
                targets=form.targets(request.POST),
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
    targets = typed_targets(form, request) or {target.year: target for target in programme.targets.all()}
    return render(
        request,
        "masterplan/programme_form.html",
        {"form": form, "masterplan": masterplan, "programme": programme, "targets": targets},
    )


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
