"""The pages of the masterplan's parts (its task list): front matter, summary, profile, RPJMD, governance, adoption."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views import add_service_errors

from .. import selectors, services
from ..access import access_masterplan, can_edit_masterplan, writer_required
from ..forms.parts import (
    AdoptionForm,
    EmblemForm,
    ExecutiveSummaryForm,
    FrontMatterForm,
    GovernanceBodyForm,
    IkuFormSet,
    MemberFormSet,
    MissionFormSet,
    ProfileForm,
    RpjmdForm,
    filled_rows,
)
from ..models import GovernanceBody, RegionProfile, Rpjmd
from .masterplans import refuse_frozen, rows_refused

PARTS = {
    "front_matter": (
        FrontMatterForm,
        gettext_lazy("Foreword and introduction"),
        gettext_lazy("The Bupati's foreword and the introduction: background, purpose, scope and methodology."),
    ),
    "executive_summary": (
        ExecutiveSummaryForm,
        gettext_lazy("Executive summary"),
        gettext_lazy(
            "“Draft from the data” writes a summary from the programmes, budgets and Quick Wins into the field; "
            "edit it, then save."
        ),
    ),
    "adoption": (
        AdoptionForm,
        gettext_lazy("Adoption (Peraturan Bupati)"),
        gettext_lazy("The Peraturan Bupati that enacts the masterplan, and the document's number."),
    ),
    "emblem": (
        EmblemForm,
        gettext_lazy("Regional emblem"),
        gettext_lazy("The region's emblem for the cover and the page header: a PNG or SVG file of at most 1 MB."),
    ),
}


def _editable(request, pk: int):
    masterplan = access_masterplan(request.user, pk, write=True)
    return masterplan, can_edit_masterplan(request.user, masterplan)


def _page(request, masterplan, key: str, title, intro, **context):
    context = {"masterplan": masterplan, "part": key, "title": title, "intro": intro, **context}
    return render(request, "masterplan/part_form.html", context)


def _saved(request, masterplan):
    messages.success(request, _("Saved."))
    return redirect("masterplan:detail", pk=masterplan.pk)


def _masterplan_part(request, pk: int, key: str):
    """Edit some fields of the masterplan's own row; the summary's form can also be filled with a draft."""
    masterplan, editable = _editable(request, pk)
    if not editable:
        return refuse_frozen(request, masterplan)
    form_class, title, intro = PARTS[key]
    drafting = request.method == "POST" and "draft" in request.POST
    if drafting:
        form = form_class(initial={"executive_summary": selectors.executive_summary_draft(masterplan)})
    else:
        form = form_class(request.POST or None, request.FILES or None, instance=masterplan)
    if request.method == "POST" and not drafting and form.is_valid():
        try:
            services.masterplan_update(masterplan=masterplan, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, masterplan)
    return _page(request, masterplan, key, title, intro, form=form, multipart=key == "emblem")


@writer_required
def part_front_matter(request, pk: int):
    return _masterplan_part(request, pk, "front_matter")


@writer_required
def part_executive_summary(request, pk: int):
    return _masterplan_part(request, pk, "executive_summary")


@writer_required
def part_adoption(request, pk: int):
    return _masterplan_part(request, pk, "adoption")


@writer_required
def part_emblem(request, pk: int):
    return _masterplan_part(request, pk, "emblem")


@writer_required
def part_profile(request, pk: int):
    masterplan, editable = _editable(request, pk)
    if not editable:
        return refuse_frozen(request, masterplan)
    profile = RegionProfile.objects.filter(masterplan=masterplan).first()
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(masterplan=masterplan, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, masterplan)
    intro = _("The regency in figures: each with its year and source, and a narrative for Buku I.")
    return _page(request, masterplan, "profile", _("Region profile"), intro, form=form)


@writer_required
def part_rpjmd(request, pk: int):
    masterplan, editable = _editable(request, pk)
    if not editable:
        return refuse_frozen(request, masterplan)
    rpjmd = Rpjmd.objects.filter(masterplan=masterplan).prefetch_related("missions", "indicators").first()
    data = request.POST if request.method == "POST" else None
    form = RpjmdForm(data, instance=rpjmd)
    missions = MissionFormSet(
        data,
        prefix="mission",
        initial=[{"number": m.number, "text": m.text} for m in rpjmd.missions.all()] if rpjmd else [],
    )
    indicators = IkuFormSet(
        data,
        prefix="iku",
        initial=[
            {"name": i.name, "unit": i.unit, "baseline": i.baseline, "target": i.target, "year": i.year}
            for i in rpjmd.indicators.all()
        ]
        if rpjmd
        else [],
    )
    if data is not None and rows_refused(request, missions, indicators):
        return redirect(request.get_full_path())
    if data is not None and all([form.is_valid(), missions.is_valid(), indicators.is_valid()]):
        try:
            services.rpjmd_save(
                masterplan=masterplan,
                by=request.user,
                data=form.cleaned_data,
                missions=[(row["number"], row["text"].strip()) for row in filled_rows(missions, "text")],
                indicators=[
                    {key: row[key] for key in ("name", "unit", "baseline", "target", "year")}
                    for row in filled_rows(indicators, "name")
                ],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _saved(request, masterplan)
    intro = _("The RPJMD the masterplan serves: its period, vision, numbered missions and key indicators (IKU).")
    formsets = [(_("Missions"), missions), (_("Key performance indicators (IKU)"), indicators)]
    return _page(request, masterplan, "rpjmd", _("RPJMD alignment"), intro, form=form, formsets=formsets)


@writer_required
def part_governance(request, pk: int):
    masterplan, editable = _editable(request, pk)
    if not editable:
        return refuse_frozen(request, masterplan)
    saved = GovernanceBody.objects.filter(masterplan=masterplan).prefetch_related("members")
    bodies = {body.kind: body for body in saved}
    data = request.POST if request.method == "POST" else None
    sections = []
    for kind, label in GovernanceBody.Kind.choices:
        body = bodies.get(kind)
        members = [
            {
                "name": m.name,
                "position": m.position,
                "role_in_body": m.role_in_body,
                "opd": m.opd_id,
                "outside_party": m.outside_party,
            }
            for m in (body.members.all() if body else [])
        ]
        sections.append(
            (
                kind,
                label,
                GovernanceBodyForm(data, instance=body, prefix=kind),
                MemberFormSet(data, prefix=f"{kind}-member", initial=members),
            )
        )
    if data is not None and rows_refused(request, *(members for _k, _l, _f, members in sections)):
        return redirect(request.get_full_path())
    valid = [form.is_valid() for _k, _l, form, _m in sections] + [m.is_valid() for _k, _l, _f, m in sections]
    if data is not None and all(valid):
        try:
            with transaction.atomic():  # both bodies or neither
                for kind, _label, form, members in sections:
                    services.governance_body_save(
                        masterplan=masterplan,
                        by=request.user,
                        kind=kind,
                        data=form.cleaned_data,
                        members=filled_rows(members, "name"),
                    )
        except ValidationError as error:
            add_service_errors(sections[0][2], error)
        else:
            return _saved(request, masterplan)
    intro = _("The Dewan Smart City and the Tim Pelaksana: the SK Bupati that sets each up, and its members.")
    return _page(
        request,
        masterplan,
        "governance",
        _("Governance: Dewan Smart City and Tim Pelaksana"),
        intro,
        sections=sections,
        form=sections[0][2],
    )
