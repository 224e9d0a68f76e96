"""The masterplan pages: list, roadmap, editing (Kominfo), assembly from approved submissions, PDF exports."""

import tempfile
from functools import partial
from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.access import any_role_required, kominfo_required, role_required
from core.charts import gantt
from core.roles import Role
from core.views import add_service_errors, perform
from opd.models import Opd, Submission, SubmissionKind
from pillars.models import Pillar

from . import selectors, services
from .exports import write_programmes_xlsx
from .forms import AnalysisForm, MasterplanForm, ProgrammeForm, programme_initial_from
from .models import Masterplan, MasterplanExport, PillarAnalysis, Programme

reader_required = any_role_required
exporter_required = role_required(Role.KOMINFO_ADMIN, Role.EXECUTIVE)


def roadmap_chart(roadmap, programmes, title: str):
    masterplan = roadmap.masterplan
    return gantt(
        programmes,
        years=masterplan.years,
        short_term_end_year=masterplan.short_term_end_year,
        title=title,
        short_label=_("Short term"),
        long_label=_("Long term"),
        quick_win_label=_("Quick win"),
    )


@reader_required
@require_GET
def masterplan_list(request):
    masterplans = Masterplan.objects.select_related("created_by").order_by("-created_at")
    return render(request, "masterplan/masterplan_list.html", {"masterplans": masterplans})


@kominfo_required
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


@kominfo_required
def masterplan_edit(request, pk: int):
    masterplan = get_object_or_404(Masterplan, pk=pk)
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
    masterplan = get_object_or_404(Masterplan, pk=pk)
    # Each pillar's table is paginated (?GOV=2): 5,000 programmes on one page would take seconds to draw.
    roadmap = selectors.roadmap_overview(masterplan, pages=request.GET)
    pillar_charts = [
        (pillar, roadmap_chart(roadmap, pillar.programmes, _("Roadmap of %(pillar)s") % {"pillar": pillar.pillar.name}))
        for pillar in roadmap.pillars
    ]
    shown = [programme for pillar in roadmap.pillars for programme in pillar.programmes]
    everything_shown = len(shown) == roadmap.count
    can_edit = request.user.is_kominfo_admin and not masterplan.is_final
    context = {
        "masterplan": masterplan,
        "roadmap": roadmap,
        "everything_shown": everything_shown,
        "overall_chart": roadmap_chart(
            roadmap,
            shown,
            _("Roadmap of all programmes") if everything_shown else _("Roadmap of the programmes shown on this page"),
        ),
        "pillar_charts": pillar_charts,
        "exports": list(masterplan.exports.select_related("requested_by")[:20]),
        "can_edit": can_edit,
        "can_export": request.user.is_kominfo_admin or request.user.is_executive,
        # Shown on the "Build programmes" button only; at L its anti-join scans the 100,000 submissions (~90 ms).
        "unused_count": selectors.unused_approved_submission_count(masterplan) if can_edit else 0,
    }
    return render(request, "masterplan/masterplan_detail.html", context)


@kominfo_required
@require_POST
def masterplan_finalize(request, pk: int):
    masterplan = get_object_or_404(Masterplan, pk=pk)
    perform(
        request,
        partial(services.masterplan_finalize, masterplan=masterplan, by=request.user),
        _("The masterplan is final: its content is frozen."),
    )
    return redirect("masterplan:detail", pk=pk)


@kominfo_required
@require_POST
def masterplan_copy(request, pk: int):
    masterplan = get_object_or_404(Masterplan, pk=pk)
    try:
        copy = services.masterplan_new_draft_from(masterplan=masterplan, by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("masterplan:detail", pk=pk)
    messages.success(request, _("A new draft was started from the final masterplan."))
    return redirect("masterplan:detail", pk=copy.pk)


@kominfo_required
def analysis_edit(request, pk: int, pillar_code: str):
    analysis = get_object_or_404(
        PillarAnalysis.objects.select_related("masterplan", "pillar"),
        masterplan_id=pk,
        pillar__code=pillar_code.upper(),
    )
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
            return redirect(f"{analysis.masterplan.get_absolute_url()}#pillar-{analysis.pillar.code}")
    return render(
        request,
        "masterplan/analysis_form.html",
        {"form": form, "analysis": analysis, "masterplan": analysis.masterplan},
    )


ASSEMBLY_ROW_FIELDS = (
    "reference", "title", "kind", "start_year", "end_year", "budget", "opd__short_name",
    "pillar__name_id", "pillar__name_en", "element__name_id", "element__name_en",
)  # fmt: skip


@kominfo_required
@require_GET
def assembly(request, pk: int):
    """List the approved submissions not yet used by a programme, to build programmes from them."""
    masterplan = get_object_or_404(Masterplan, pk=pk)
    submissions = selectors.unused_approved_submissions(masterplan)
    chosen = {name: request.GET.get(name, "") for name in ("pillar", "opd", "kind")}
    if (pillar_id := _row_id(chosen["pillar"])) is not None:
        submissions = submissions.filter(pillar_id=pillar_id)
    if (opd_id := _row_id(chosen["opd"])) is not None:
        submissions = submissions.filter(opd_id=opd_id)
    if chosen["kind"] in SubmissionKind.values:
        submissions = submissions.filter(kind=chosen["kind"])
    # Up to 500 rows: only the shown columns (not the long texts), the kind's label looked up once per page.
    shown = submissions.only(*ASSEMBLY_ROW_FIELDS)[:500]
    context = {
        "masterplan": masterplan,
        "submissions": list(shown),
        "kind_labels": {value: str(label) for value, label in SubmissionKind.choices},
        "pillars": Pillar.objects.all(),
        "opds": Opd.objects.filter(submissions__status="approved").distinct().order_by("name"),
        "kinds": SubmissionKind.choices,
        "chosen": chosen,
    }
    return render(request, "masterplan/assembly.html", context)


def _row_id(value: str) -> int | None:
    """Return a row id typed in a query string, or None for anything a database id column cannot hold."""
    try:
        number = int(value)
    except (TypeError, ValueError):  # "abc", but also "²", which str.isdigit() accepts
        return None
    return number if 0 < number < 2**63 else None


def _submission_choices(masterplan, programme=None):
    """Approved submissions a programme may use: the unused ones plus those it already has."""
    used_here = Q(programmes=programme) if programme else Q(pk__in=[])
    return (
        Submission.objects.filter(status="approved")
        .filter(Q(pk__in=selectors.unused_approved_submissions(masterplan).values("pk")) | used_here)
        .select_related("opd")
        .distinct()
        .order_by("reference")
    )


def _typed_targets(form, request) -> dict:
    """Return the yearly targets typed in a posted form, to show them again beside its errors."""
    if request.method != "POST":
        return {}
    return {
        year: SimpleNamespace(output_target=output, outcome_target=outcome)
        for year, (output, outcome) in form.targets(request.POST).items()
    }


@kominfo_required
def programme_create(request, pk: int):
    masterplan = get_object_or_404(Masterplan, pk=pk)
    if masterplan.is_final:
        messages.error(request, _("This masterplan is final and can no longer change."))
        return redirect("masterplan:detail", pk=pk)
    chosen_ids = [pk for value in request.GET.getlist("submission") if (pk := _row_id(value)) is not None]
    chosen = list(_submission_choices(masterplan).filter(pk__in=chosen_ids))
    form = ProgrammeForm(
        request.POST or None,
        masterplan=masterplan,
        submission_choices=_submission_choices(masterplan),
        initial=programme_initial_from(chosen),
    )
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in form.Meta.fields if name not in ("submissions", "supporting_opds")
        }
        try:
            programme = services.programme_create(
                masterplan=masterplan,
                by=request.user,
                data=data,
                submissions=form.cleaned_data["submissions"],
                supporting_opds=form.cleaned_data["supporting_opds"],
                targets=form.targets(request.POST),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Programme “%(title)s” added.") % {"title": programme.title})
            return redirect(f"{masterplan.get_absolute_url()}#pillar-{programme.element.pillar.code}")
    return render(
        request,
        "masterplan/programme_form.html",
        {"form": form, "masterplan": masterplan, "programme": None, "targets": {}},
    )


@kominfo_required
def programme_edit(request, pk: int, programme_pk: int):
    programme = get_object_or_404(
        Programme.objects.select_related("masterplan", "element__pillar"), pk=programme_pk, masterplan_id=pk
    )
    masterplan = programme.masterplan
    if masterplan.is_final:
        messages.error(request, _("This masterplan is final and can no longer change."))
        return redirect("masterplan:detail", pk=pk)
    form = ProgrammeForm(
        request.POST or None,
        instance=programme,
        masterplan=masterplan,
        submission_choices=_submission_choices(masterplan, programme),
    )
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name] for name in form.Meta.fields if name not in ("submissions", "supporting_opds")
        }
        try:
            services.programme_update(
                programme=programme,
                by=request.user,
                data=data,
                submissions=form.cleaned_data["submissions"],
                supporting_opds=form.cleaned_data["supporting_opds"],
                targets=form.targets(request.POST),
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if getattr(error, "code", None) == "stale":  # saving again now replaces the newer version with this one
                form.data = form.data.copy()
                current = Programme.objects.filter(pk=programme.pk).values_list("version", flat=True).first()
                form.data["version"] = current or ""
        else:
            messages.success(request, _("Programme saved."))
            return redirect(f"{masterplan.get_absolute_url()}#pillar-{programme.element.pillar.code}")
    targets = _typed_targets(form, request) or {target.year: target for target in programme.targets.all()}
    return render(
        request,
        "masterplan/programme_form.html",
        {"form": form, "masterplan": masterplan, "programme": programme, "targets": targets},
    )


@kominfo_required
@require_POST
def programme_move(request, pk: int, programme_pk: int):
    programme = get_object_or_404(
        Programme.objects.select_related("masterplan", "element__pillar"), pk=programme_pk, masterplan_id=pk
    )
    directions = {"up": -1, "down": 1}
    if request.POST.get("direction") not in directions:
        messages.error(request, _("Choose whether to move the programme up or down; nothing was moved."))
        return redirect(f"{programme.masterplan.get_absolute_url()}#pillar-{programme.element.pillar.code}")
    direction = directions[request.POST["direction"]]
    try:
        services.programme_move(programme=programme, by=request.user, direction=direction)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect(f"{programme.masterplan.get_absolute_url()}#pillar-{programme.element.pillar.code}")


@kominfo_required
@require_POST
def programme_delete(request, pk: int, programme_pk: int):
    programme = get_object_or_404(Programme.objects.select_related("masterplan"), pk=programme_pk, masterplan_id=pk)
    perform(
        request,
        partial(services.programme_delete, programme=programme, by=request.user),
        _("Programme “%(title)s” removed; its submissions are available again.") % {"title": programme.title},
    )
    return redirect("masterplan:detail", pk=pk)


@reader_required
@require_GET
def programmes_xlsx(request, pk: int):
    """Download the programmes as a spreadsheet (one row per programme, yearly targets as columns)."""
    masterplan = get_object_or_404(Masterplan, pk=pk)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    write_programmes_xlsx(masterplan, handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"program-masterplan-{masterplan.pk}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@exporter_required
@require_POST
def export_start(request, pk: int):
    """Queue a PDF rendering and show its progress; the request never waits for the render."""
    masterplan = get_object_or_404(Masterplan, pk=pk)
    export, created = services.masterplan_export_request(masterplan=masterplan, by=request.user)
    if request.htmx:
        exports = masterplan.exports.select_related("requested_by")[:20]
        return render(request, "masterplan/includes/export_rows.html", {"exports": exports, "masterplan": masterplan})
    if created:
        messages.info(request, _("PDF version %(version)d is being prepared.") % {"version": export.version})
    else:
        messages.warning(
            request,
            _("PDF version %(version)d is already being generated; it appears below when it is ready.")
            % {"version": export.version},
        )
    return redirect(f"{masterplan.get_absolute_url()}#exports")


@reader_required
@require_GET
def export_status(request, pk: int, export_pk: int):
    """Return one export's row (htmx polls it while the PDF renders)."""
    export = get_object_or_404(
        MasterplanExport.objects.select_related("masterplan", "requested_by"), pk=export_pk, masterplan_id=pk
    )
    return render(request, "masterplan/includes/export_row.html", {"export": export, "masterplan": export.masterplan})


@reader_required
@require_GET
def export_download(request, pk: int, export_pk: int):
    export = get_object_or_404(MasterplanExport, pk=export_pk, masterplan_id=pk, status=MasterplanExport.Status.DONE)
    try:
        handle = export.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    filename = f"masterplan-smart-city-v{export.version}.pdf"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
