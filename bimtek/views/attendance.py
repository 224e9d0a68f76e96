"""Kominfo's attendance screen for one session: a row per invited OPD, saved in one go."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.views import add_service_errors

from .. import selectors
from ..access import access_session, organiser_required
from ..forms import AttendanceForm
from ..services.attendance import AttendanceConflict, attendance_record


@organiser_required
def attendance(request, session_pk: int):
    """Record who came; a row someone else changed since the screen was opened is shown, never overwritten."""
    session = access_session(request.user, session_pk, write=True)
    sheet = selectors.attendance_sheet(session)
    form = AttendanceForm(request.POST if request.method == "POST" else None, sheet=sheet)
    conflicts = set()
    if request.method == "POST" and form.is_valid():
        try:
            outcome = attendance_record(session=session, by=request.user, entries=form.entries())
        except AttendanceConflict as conflict:
            # Show the clashing rows as saved now with this admin's changes on top, opened afresh, so that
            # saving again (after checking them) goes through; the other rows keep what the admin entered.
            sheet = selectors.attendance_sheet(session)
            saved_now = {row.opd.pk: row for row in sheet}
            proposals = [(saved_now[opd.pk], state) for opd, state in conflict.rows.items()]
            form = AttendanceForm(AttendanceForm.data_showing(request.POST, proposals), sheet=sheet)
            form.is_valid()
            form.add_error(None, conflict)
            conflicts = {opd.pk for opd in conflict.rows}
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Attendance saved for %(count)d OPD(s).") % {"count": len(outcome.saved)}
                if outcome.saved
                else _("Nothing was changed."),
            )
            if outcome.kept:
                messages.info(
                    request,
                    _("Meanwhile others changed the attendance of %(opds)s; it was kept as they saved it.")
                    % {"opds": ", ".join(opd.name for opd in outcome.kept)},
                )
            return redirect("bimtek:session_detail", session_pk=session.pk)
    return render(
        request,
        "bimtek/attendance_form.html",
        {"session": session, "stage": session.stage, "form": form, "conflicts": conflicts},
    )
