"""Fixed participants: an OPD's staff name and replace its own; Kominfo and the Bupati's office read every OPD's
participants and every replacement."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.views import add_service_errors, perform

from .. import selectors
from ..access import access_participant, participant_keeper_required, reader_required
from ..forms import ParticipantForm, ReplaceForm
from ..models import MAX_FIXED_PARTICIPANTS
from ..services import participants as services


@participant_keeper_required
@require_GET
def participants(request):
    """Show the OPD's fixed participants, what may be done with them now, and its replacements."""
    opd = request.user.opd
    context = selectors.participants_of(opd) | {
        "opd": opd,
        "started": services.bimtek_started_for(opd),
        "maximum": MAX_FIXED_PARTICIPANTS,
    }
    return render(request, "bimtek/participants.html", context)


@participant_keeper_required
def participant_create(request):
    opd = request.user.opd
    form = ParticipantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_add(opd=opd, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Participant added."))
            return redirect("bimtek:participants")
    return render(request, "bimtek/participant_form.html", {"form": form, "participant": None, "replace": False})


@participant_keeper_required
def participant_edit(request, participant_pk: int):
    participant = access_participant(request.user, participant_pk, write=True)
    started = services.bimtek_started_for(participant.opd)
    form = ParticipantForm(request.POST if request.method == "POST" else None, instance=participant, nip_locked=started)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_update(participant=participant, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("bimtek:participants")
    context = {"form": form, "participant": participant, "replace": False}
    return render(request, "bimtek/participant_form.html", context)


@participant_keeper_required
def participant_replace(request, participant_pk: int):
    """Put another person in a participant's place, with the reason; the replaced one stays as history."""
    participant = access_participant(request.user, participant_pk, write=True)
    form = ReplaceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.PARTICIPANT_FIELDS}
        try:
            services.participant_replace(
                participant=participant, by=request.user, data=data, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("%(name)s was replaced. The replacement is recorded.") % {"name": participant.name}
            )
            return redirect("bimtek:participants")
    return render(request, "bimtek/participant_form.html", {"form": form, "participant": participant, "replace": True})


@participant_keeper_required
@require_POST
def participant_remove(request, participant_pk: int):
    participant = access_participant(request.user, participant_pk, write=True)
    perform(
        request,
        partial(services.participant_remove, participant=participant, by=request.user),
        _("%(name)s was removed.") % {"name": participant.name},
    )
    return redirect("bimtek:participants")


@reader_required
@require_GET
def participants_overview(request):
    """Show every active OPD's fixed participants, the OPDs that have named none first."""
    opds = selectors.participants_overview()
    missing = sum(not opd.participants for opd in opds)
    return render(request, "bimtek/participants_overview.html", {"opds": opds, "missing": missing})


@reader_required
@require_GET
def replacements(request):
    """List every replacement of a fixed participant: who replaced whom, why, who recorded it and when."""
    return render(request, "bimtek/replacements.html", {"replacements": selectors.replacements()})
