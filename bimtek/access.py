"""Who may do what with the Bimtek: named predicates, and one loader per object type that answers 404
for an object outside the user's reach (and writes that refusal to the security log).

Kominfo organises the stages and records attendance; the Bupati's office reads everything and changes
nothing; OPD staff name and replace their own OPD's fixed participants and see the stages' schedule.
The PDFs (a session's attendance list, the continuity recap) list every invited OPD's people with their NIP,
so they are for those who read every OPD's attendance: Kominfo and the Bupati's office make and download
both; OPD staff neither (their own participants are on their participants page).
"""

from django.http import Http404

from core.access import allowed_if, has_a_role, is_kominfo_admin, is_opd_staff, reads_every_opd
from core.models import SecurityEvent
from core.security import security_event_record

from .models import BimtekDocument, Participant, Session, Stage


def can_read_schedule(user) -> bool:
    """Return whether the user reads the stages and their sessions' schedule (every role)."""
    return has_a_role(user)


def can_keep_participants(user) -> bool:
    """Return whether the user's role names and replaces fixed participants (OPD staff, for their own OPD)."""
    return is_opd_staff(user)


def can_organise(user) -> bool:
    """Return whether the user creates stages and sessions and records attendance (Kominfo)."""
    return is_kominfo_admin(user)


def can_read_attendance(user) -> bool:
    """Return whether the user reads every OPD's attendance, participants and replacements."""
    return reads_every_opd(user)


def can_name_participants(user, opd) -> bool:
    """Return whether the user names and replaces this OPD's fixed participants (its own staff)."""
    return can_keep_participants(user) and opd is not None and user.opd_id == opd.pk


def can_see_checkin_code(user) -> bool:
    """Return whether the user may see a session's check-in code (only those who put it on screen)."""
    return is_kominfo_admin(user)


def can_read_documents(user) -> bool:
    """Return whether the user downloads the attendance lists and continuity recaps (every OPD's people in them)."""
    return can_read_attendance(user)


def can_make_documents(user) -> bool:
    """Return whether the user has a PDF rendered: those who read it, as for the masterplan's PDF."""
    return can_read_documents(user)


schedule_reader_required = allowed_if(can_read_schedule)
participant_keeper_required = allowed_if(can_keep_participants)
organiser_required = allowed_if(can_organise)
reader_required = allowed_if(can_read_attendance)
document_reader_required = allowed_if(can_read_documents)
document_maker_required = allowed_if(can_make_documents)


def _refuse(user, what: str, pk) -> Http404:
    security_event_record(kind=SecurityEvent.Kind.NOT_VISIBLE, user=user, action=what, detail=f"bimtek #{pk}")
    return Http404()


def access_stage(user, pk, *, write: bool = False) -> Stage:
    """Return a stage: everyone with a role reads its schedule, only Kominfo changes it; else 404."""
    if write and not can_organise(user):
        raise _refuse(user, "stage_write", pk)
    try:
        return Stage.objects.select_related("masterplan").get(pk=pk)
    except Stage.DoesNotExist:
        raise _refuse(user, "stage_read", pk) from None


def access_session(user, pk, *, write: bool = False) -> Session:
    """Return a session: Kominfo and the Bupati's office read it (with its attendance), Kominfo changes it."""
    if not (can_organise(user) if write else can_read_attendance(user)):
        raise _refuse(user, "session_write" if write else "session_read", pk)
    try:
        return Session.objects.select_related("stage__masterplan").get(pk=pk)
    except Session.DoesNotExist:
        raise _refuse(user, "session_read", pk) from None


def access_participant(user, pk, *, write: bool = False) -> Participant:
    """Return a fixed participant: its OPD's staff read and change it, Kominfo and the Bupati's office
    read it; anyone else (another OPD's staff included) gets 404, as for one that does not exist."""
    queryset = Participant.objects.select_related("opd", "replaced_by", "replaced_by_user")
    if is_opd_staff(user):
        queryset = queryset.filter(opd_id=user.opd_id)
    elif write or not can_read_attendance(user):
        raise _refuse(user, "participant_write" if write else "participant_read", pk)
    try:
        return queryset.get(pk=pk)
    except Participant.DoesNotExist:
        raise _refuse(user, "participant_write" if write else "participant_read", pk) from None


def access_document(user, pk) -> BimtekDocument:
    """Return a Bimtek PDF with what its name and row show, for those who read documents; else 404."""
    if not can_read_documents(user):
        raise _refuse(user, "document_read", pk)
    try:
        return BimtekDocument.objects.select_related("masterplan", "session__stage", "requested_by").get(pk=pk)
    except BimtekDocument.DoesNotExist:
        raise _refuse(user, "document_read", pk) from None
