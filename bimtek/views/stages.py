"""Stages and sessions: everyone reads the schedule; Kominfo creates and changes it and shows the check-in code."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import add_service_errors, perform
from masterplan.access import access_masterplan

from .. import selectors
from ..access import (
    access_session,
    access_stage,
    can_make_documents,
    can_organise,
    can_read_attendance,
    can_see_checkin_code,
    organiser_required,
    reader_required,
    schedule_reader_required,
)
from ..forms import SessionForm, StageForm
from ..services import stages as services


@schedule_reader_required
@require_GET
def index(request):
    """Show the Bimtek's start page: the stages of each masterplan, and the way to each page of the role."""
    context = {"masterplans": list(selectors.masterplans_with_stages())}
    if request.user.is_opd_staff:
        opd = request.user.opd
        context |= {
            "participants": selectors.participants_of(opd)["active"],
            "stages": selectors.stages_invited(opd),
        }
    return render(request, "bimtek/index.html", context)


@schedule_reader_required
@require_GET
def stage_list(request, masterplan_pk: int):
    masterplan = access_masterplan(request.user, masterplan_pk)
    stages = selectors.stages_of(masterplan)
    return render(
        request,
        "bimtek/stage_list.html",
        {"masterplan": masterplan, "stages": stages, "can_organise": can_organise(request.user)},
    )


@organiser_required
def stage_create(request, masterplan_pk: int):
    masterplan = access_masterplan(request.user, masterplan_pk)
    taken = set(masterplan.bimtek_stages.values_list("number", flat=True))
    initial = {"number": next((n for n in (1, 2, 3, 4) if n not in taken), None), "mode": "luring"}
    form = StageForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.STAGE_FIELDS}
        try:
            stage = services.stage_create(
                masterplan=masterplan, by=request.user, data=data, invited_opds=form.cleaned_data["invited_opds"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Stage created. Add its sessions."))
            return redirect("bimtek:stage_detail", stage_pk=stage.pk)
    return render(request, "bimtek/stage_form.html", {"form": form, "masterplan": masterplan, "stage": None})


@organiser_required
def stage_edit(request, stage_pk: int):
    stage = access_stage(request.user, stage_pk, write=True)
    form = StageForm(request.POST if request.method == "POST" else None, instance=stage)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.STAGE_FIELDS}
        try:
            services.stage_update(
                stage=stage, by=request.user, data=data, invited_opds=form.cleaned_data["invited_opds"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("bimtek:stage_detail", stage_pk=stage.pk)
    return render(request, "bimtek/stage_form.html", {"form": form, "masterplan": stage.masterplan, "stage": stage})


@schedule_reader_required
@require_GET
def stage_detail(request, stage_pk: int):
    stage = access_stage(request.user, stage_pk)
    context = {
        "stage": stage,
        "sessions": list(stage.sessions.all()),
        "invited": list(stage.invited_opds.order_by("name")),
        "can_organise": can_organise(request.user),
        "can_read_attendance": can_read_attendance(request.user),
    }
    return render(request, "bimtek/stage_detail.html", context)


@organiser_required
def session_create(request, stage_pk: int):
    stage = access_stage(request.user, stage_pk, write=True)
    count = stage.sessions.count()
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "date": stage.start_date,
            "start_time": "08:00",
            "end_time": "16:00",
            "title": _("Day %(number)d") % {"number": count + 1},
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(stage=stage, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session added. Its check-in code is shown below."))
            return redirect("bimtek:session_detail", session_pk=session.pk)
    return render(request, "bimtek/session_form.html", {"form": form, "stage": stage, "session": None})


@organiser_required
def session_edit(request, session_pk: int):
    session = access_session(request.user, session_pk, write=True)
    form = SessionForm(
        request.POST if request.method == "POST" else None,
        initial={name: getattr(session, name) for name in services.SESSION_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(session=session, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("bimtek:session_detail", session_pk=session.pk)
    return render(request, "bimtek/session_form.html", {"form": form, "stage": session.stage, "session": session})


@reader_required
@require_GET
def session_detail(request, session_pk: int):
    """Show a session: its check-in code large (for Kominfo to put on screen) and who has attended so far."""
    session = access_session(request.user, session_pk)
    sheet = selectors.attendance_sheet(session)
    context = {
        "session": session,
        "stage": session.stage,
        "sheet": sheet,
        "counts": selectors.session_counts(sheet),
        "show_code": can_see_checkin_code(request.user),
        "can_organise": can_organise(request.user),
        "checkin_url": request.build_absolute_uri(reverse("bimtek:checkin")),
        "documents": selectors.recent_attendance_lists(session),
        "can_make_documents": can_make_documents(request.user),
    }
    return render(request, "bimtek/session_detail.html", context)


@organiser_required
@require_POST
def session_new_code(request, session_pk: int):
    session = access_session(request.user, session_pk, write=True)
    perform(
        request,
        partial(services.session_new_code, session=session, by=request.user),
        _("A new check-in code was made; the old one no longer works."),
    )
    return redirect("bimtek:session_detail", session_pk=session.pk)
