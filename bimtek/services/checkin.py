"""Phone check-in without an account: the session's code from the screen and the person's NIP.

A fixed participant of an invited OPD is recorded present; anyone else is recorded as representing an
OPD (diwakilkan) once they give their name, position and OPD, never accepted silently. Checking in again
changes nothing. Attempts are kept for a day in the database (shared by every web process) and limited:
`BIMTEK_CHECKIN_IP_FAILURES` refused attempts per address and `BIMTEK_CHECKIN_CODE_ATTEMPTS` attempts per
session code within `BIMTEK_CHECKIN_WINDOW_MINUTES` (settings, from the environment). Only refusals count per
address: a whole hall checks in from one office address, and only guessing fails repeatedly.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from opd.models import Opd

from ..models import NAME_MAX_LENGTH, POSITION_MAX_LENGTH, Attendance, CheckInAttempt, Participant, Session

Status = Attendance.Status
Outcome = CheckInAttempt.Outcome
KEEP_ATTEMPTS = timedelta(days=1)


@dataclass(frozen=True)
class CheckInResult:
    """What happened: CHECKED_IN, ALREADY, NEEDS_DETAILS (not a fixed participant), REPRESENTED or ALREADY."""

    CHECKED_IN = "checked_in"
    ALREADY = "already"
    NEEDS_DETAILS = "needs_details"
    REPRESENTED = "represented"

    kind: str
    session: Session
    attendance: Attendance | None = None


@dataclass(frozen=True)
class Representative:
    """Who checks in for an OPD without being one of its fixed participants."""

    name: str
    position: str
    opd_id: int


def invited_opds(session: Session):
    """Return the OPDs invited to the session's stage, by name (the choices of a representative)."""
    return session.stage.invited_opds.order_by("name")


def _window() -> timedelta:
    return timedelta(minutes=settings.BIMTEK_CHECKIN_WINDOW_MINUTES)


def _refuse(*, ip_address, session, message: str, code: str):
    """Count a refused attempt and return the error, about the code typed (shown beside that field)."""
    CheckInAttempt.objects.create(ip_address=ip_address, session=session, outcome=Outcome.REFUSED)
    return ValidationError({"code": ValidationError(message, code=code)})


def checkin_submit(*, code: str, nip: str, ip_address: str | None, representative: Representative | None = None):
    """Check a person in to the session whose code they typed; raise ValidationError with a plain reason."""
    now = timezone.now()
    since = now - _window()
    CheckInAttempt.objects.filter(created_at__lt=now - KEEP_ATTEMPTS).delete()
    failures = CheckInAttempt.objects.filter(ip_address=ip_address, outcome=Outcome.REFUSED, created_at__gte=since)
    if failures.count() >= settings.BIMTEK_CHECKIN_IP_FAILURES:
        raise ValidationError(
            _("Too many wrong attempts from this network. Wait %(minutes)d minutes, or ask the Kominfo desk.")
            % {"minutes": _window().seconds // 60},
            code="rate_limited",
        )
    session = Session.objects.select_related("stage").filter(checkin_code=code.strip().upper()).first()
    if session is None:
        raise _refuse(
            ip_address=ip_address,
            session=None,
            message=_("This code is not valid. Check the code shown on the screen and type it again."),
            code="wrong_code",
        )
    uses = CheckInAttempt.objects.filter(session=session, created_at__gte=since)
    if uses.count() >= settings.BIMTEK_CHECKIN_CODE_ATTEMPTS:
        raise ValidationError(
            _("Too many check-ins with this code right now. Wait a few minutes, or ask the Kominfo desk."),
            code="rate_limited",
        )
    if not session.checkin_is_open(now):
        raise _refuse(ip_address=ip_address, session=session, message=_closed_message(session, now), code="closed")
    try:
        result = _check_in(session, nip, representative)
    except ValidationError as error:
        CheckInAttempt.objects.create(ip_address=ip_address, session=session, outcome=Outcome.REFUSED)
        raise error
    CheckInAttempt.objects.create(ip_address=ip_address, session=session, outcome=Outcome.ACCEPTED)
    return result


def _closed_message(session: Session, now) -> str:
    opens, closes = timezone.localtime(session.checkin_opens_at), timezone.localtime(session.checkin_closes_at)
    if now < session.checkin_opens_at:
        return _("Check-in for this session opens at %(time)s on %(date)s.") % {
            "time": time_format(opens, "H.i"),
            "date": date_format(opens, "j F Y"),
        }
    return _("This code has expired: check-in for this session closed at %(time)s on %(date)s.") % {
        "time": time_format(closes, "H.i"),
        "date": date_format(closes, "j F Y"),
    }


@transaction.atomic
def _check_in(session: Session, nip: str, representative: Representative | None) -> CheckInResult:
    # The same lock as the attendance screen's save: a check-in never lands between its read and its writes.
    Session.objects.select_for_update().filter(pk=session.pk).first()
    participant = (
        Participant.objects.filter(nip=nip, is_active=True, opd__in=session.stage.invited_opds.all())
        .select_related("opd")
        .first()
    )
    if participant is not None:
        attendance = Attendance.objects.filter(session=session, participant=participant).first()
        if attendance is not None and attendance.status == Status.PRESENT:
            return CheckInResult(CheckInResult.ALREADY, session, attendance)
        if attendance is None:
            attendance = Attendance.objects.create(
                session=session,
                opd=participant.opd,
                participant=participant,
                status=Status.PRESENT,
                recorded_via=Attendance.Via.CHECKIN,
            )
        else:  # recorded absent on the attendance screen, then arrived
            attendance.status = Status.PRESENT
            attendance.recorded_via = Attendance.Via.CHECKIN
            attendance.recorded_by = None
            attendance.save(update_fields=["status", "recorded_via", "recorded_by", "updated_at"])
        return CheckInResult(CheckInResult.CHECKED_IN, session, attendance)
    attendance = Attendance.objects.filter(session=session, representative_nip=nip).select_related("opd").first()
    if attendance is not None:
        return CheckInResult(CheckInResult.ALREADY, session, attendance)
    if representative is None:
        return CheckInResult(CheckInResult.NEEDS_DETAILS, session)
    return CheckInResult(CheckInResult.REPRESENTED, session, _record_representative(session, nip, representative))


def _record_representative(session: Session, nip: str, representative: Representative) -> Attendance:
    name = " ".join(representative.name.split())
    position = " ".join(representative.position.split())
    errors = {}
    if not name or len(name) > NAME_MAX_LENGTH:
        errors["name"] = _("Write your full name (at most %(count)d characters).") % {"count": NAME_MAX_LENGTH}
    if not position or len(position) > POSITION_MAX_LENGTH:
        errors["position"] = _("Write your position (at most %(count)d characters).") % {"count": POSITION_MAX_LENGTH}
    opd = Opd.objects.filter(pk=representative.opd_id, pk__in=invited_opds(session).values("pk")).first()
    if opd is None:
        errors["opd"] = _("Choose the OPD you represent from the list.")
    if errors:
        raise ValidationError(errors)
    return Attendance.objects.create(
        session=session,
        opd=opd,
        status=Status.REPRESENTED,
        representative_name=name,
        representative_position=position,
        representative_nip=nip,
        recorded_via=Attendance.Via.CHECKIN,
    )
