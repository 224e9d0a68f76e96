"""Kominfo's writes of Bimtek stages and their sessions."""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opd.models import Opd

from ..access import can_organise
from ..models import CHECKIN_CODE_ALPHABET, CHECKIN_CODE_LENGTH, Attendance, Session, Stage

STAGE_FIELDS = ("number", "theme", "start_date", "end_date", "mode", "place", "meeting_link", "speakers")
SESSION_FIELDS = ("date", "start_time", "end_time", "title")


def check_organiser(user) -> None:
    """Refuse anyone but a Kominfo admin."""
    if not can_organise(user):
        raise PermissionDenied(_("Only Kominfo admins organise the Bimtek."))


def _stage_errors(stage: Stage) -> dict:
    """Return the field errors of a stage that a person can act on (the database constraints back them up)."""
    errors = {}
    taken = Stage.objects.filter(masterplan_id=stage.masterplan_id, number=stage.number).exclude(pk=stage.pk)
    if stage.number and taken.exists():
        errors["number"] = _("Stage %(number)d of this masterplan already exists.") % {"number": stage.number}
    if stage.start_date and stage.end_date and stage.end_date < stage.start_date:
        errors["end_date"] = _("The last day cannot be before the first day.")
    if stage.mode in (Stage.Mode.ONSITE, Stage.Mode.HYBRID) and not stage.place:
        errors["place"] = _("Write where the stage is held (on site or hybrid).")
    if stage.mode in (Stage.Mode.ONLINE, Stage.Mode.HYBRID) and not stage.meeting_link:
        errors["meeting_link"] = _("Give the meeting link (online or hybrid).")
    return errors


def _validate_stage(stage: Stage) -> None:
    errors = _stage_errors(stage)
    if errors:
        raise ValidationError(errors)
    stage.full_clean(exclude=["created_by"])


@transaction.atomic
def stage_create(*, masterplan, by, data: dict, invited_opds=None) -> Stage:
    """Create a stage of the masterplan's Bimtek; it invites every active OPD unless told which."""
    check_organiser(by)
    stage = Stage(masterplan=masterplan, created_by=by, **{name: data[name] for name in STAGE_FIELDS if name in data})
    _validate_stage(stage)
    stage.save()
    stage.invited_opds.set(Opd.objects.filter(is_active=True) if invited_opds is None else invited_opds)
    return stage


@transaction.atomic
def stage_update(*, stage: Stage, by, data: dict, invited_opds=None) -> Stage:
    """Change a stage's details and (when given) its invited OPDs; an OPD that has attended stays invited."""
    check_organiser(by)
    locked = Stage.objects.select_for_update().get(pk=stage.pk)
    changed = [name for name in STAGE_FIELDS if name in data and getattr(locked, name) != data[name]]
    for name in changed:
        setattr(locked, name, data[name])
    _validate_stage(locked)
    outside = locked.sessions.exclude(date__gte=locked.start_date, date__lte=locked.end_date).count()
    if outside:
        raise ValidationError(
            {"start_date": _("%(count)d session(s) fall outside these dates; move them first.") % {"count": outside}}
        )
    if invited_opds is not None:
        attended = set(
            Attendance.objects.filter(session__stage=locked)
            .exclude(status=Attendance.Status.ABSENT)
            .values_list("opd__name", "opd_id")
            .distinct()
        )
        keep = {opd.pk for opd in invited_opds}
        dropped = sorted(name for name, pk in attended if pk not in keep)
        if dropped:
            raise ValidationError(
                {
                    "invited_opds": _("These OPDs have attended this stage and stay invited: %(opds)s.")
                    % {"opds": ", ".join(dropped)}
                }
            )
        locked.invited_opds.set(invited_opds)
    if changed:
        locked.save(update_fields=[*changed, "updated_at"])
    return locked


def _new_checkin_code() -> str:
    """Return a random code no session uses yet."""
    for _attempt in range(20):
        code = "".join(secrets.choice(CHECKIN_CODE_ALPHABET) for _position in range(CHECKIN_CODE_LENGTH))
        if not Session.objects.filter(checkin_code=code).exists():
            return code
    raise RuntimeError("no free check-in code after 20 tries")  # 32**6 codes: never in practice


def _validate_session(session: Session, stage: Stage) -> None:
    errors = {}
    if session.date and not stage.start_date <= session.date <= stage.end_date:
        errors["date"] = _("The session must fall within the stage's days (%(start)s to %(end)s).") % {
            "start": date_format(stage.start_date, "j F Y"),
            "end": date_format(stage.end_date, "j F Y"),
        }
    if session.start_time and session.end_time and session.end_time <= session.start_time:
        errors["end_time"] = _("The session must end after it starts.")
    if errors:
        raise ValidationError(errors)
    session.checkin_opens_at, session.checkin_closes_at = session.checkin_window()
    session.full_clean()


@transaction.atomic
def session_create(*, stage: Stage, by, data: dict) -> Session:
    """Add a session to a stage, with a fresh check-in code valid from shortly before it starts until it ends."""
    check_organiser(by)
    session = Session(stage=stage, checkin_code=_new_checkin_code(), **{name: data[name] for name in SESSION_FIELDS})
    _validate_session(session, stage)
    session.save()
    return session


@transaction.atomic
def session_update(*, session: Session, by, data: dict) -> Session:
    """Change a session's date, times or title; its check-in window follows the new times."""
    check_organiser(by)
    locked = Session.objects.select_for_update().select_related("stage").get(pk=session.pk)
    for name in SESSION_FIELDS:
        setattr(locked, name, data[name])
    _validate_session(locked, locked.stage)
    locked.save(update_fields=[*SESSION_FIELDS, "checkin_opens_at", "checkin_closes_at", "updated_at"])
    return locked


@transaction.atomic
def session_new_code(*, session: Session, by) -> Session:
    """Give the session a new check-in code (the old one stops working), e.g. after it was shared outside the room."""
    check_organiser(by)
    locked = Session.objects.select_for_update().get(pk=session.pk)
    locked.checkin_code = _new_checkin_code()
    locked.save(update_fields=["checkin_code", "updated_at"])
    return locked
