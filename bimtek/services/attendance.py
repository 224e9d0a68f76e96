"""Kominfo records a session's attendance on one screen: a row per invited OPD, ticks for its fixed
participants, and who represented it when someone else came.

Two admins (or an admin and the phones checking in) may change the same session at once. Each row of the
screen carries the state it showed when opened (`selectors.RowState`). A save writes only the rows the
admin changed. If one of those rows changed meanwhile, nothing is saved: the admin is told, and gets the
saved state with their own changes applied on top of it, to check and save again.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import NAME_MAX_LENGTH, POSITION_MAX_LENGTH, Attendance, Session
from ..selectors import RowState, SheetRow, attendance_sheet
from .stages import check_organiser

Status = Attendance.Status


@dataclass(frozen=True)
class RowEntry:
    """What the attendance screen sends for one OPD: the row as the admin left it, and as it was opened."""

    opd_id: int
    wanted: RowState
    opened: RowState | None  # None when the screen sent back something unreadable


@dataclass(frozen=True)
class RecordOutcome:
    saved: list  # the OPDs whose rows were written
    kept: list  # the OPDs changed meanwhile by someone else, left as they were saved (this admin did not touch them)


def merged(entry: RowEntry, current: RowState) -> RowState:
    """Return the row as saved now with this admin's changes (ticks added or removed, representative) applied."""
    opened = entry.opened
    if opened is None:
        return entry.wanted
    added = entry.wanted.present_ids - opened.present_ids
    removed = opened.present_ids - entry.wanted.present_ids
    present = (current.present_ids - removed) | added
    if entry.wanted[1:] != opened[1:]:
        return RowState(present, *entry.wanted[1:])
    return RowState(present, *current[1:])


class AttendanceConflict(ValidationError):
    """Rows this admin changed were changed meanwhile by someone else: nothing was saved."""

    def __init__(self, rows: dict):
        self.rows = rows  # {opd: the saved state with this admin's changes applied}
        super().__init__(
            _(
                "While you were recording, the attendance of %(opds)s was changed (by another admin or a phone "
                "check-in). Nothing was saved. Those rows now show what is saved with your changes applied on "
                "top: check them and save again."
            )
            % {"opds": ", ".join(opd.name for opd in rows)},
            code="conflict",
        )


def _check_entry(entry: RowEntry, row: SheetRow | None) -> None:
    if row is None:
        raise ValidationError(_("This OPD is not invited to the stage."))
    allowed = {participant.pk for participant, _attendance in row.participants}
    wanted = entry.wanted
    if not wanted.present_ids <= allowed:
        raise ValidationError(_("A ticked participant is not one of %(opd)s's.") % {"opd": row.opd.name})
    if bool(wanted.representative_name) != bool(wanted.representative_position):
        raise ValidationError(
            _("For %(opd)s, give both the representative's name and position, or neither.") % {"opd": row.opd.name}
        )
    if len(wanted.representative_name) > NAME_MAX_LENGTH or len(wanted.representative_position) > POSITION_MAX_LENGTH:
        raise ValidationError(
            _("The representative's name or position for %(opd)s is too long.") % {"opd": row.opd.name}
        )


@transaction.atomic
def attendance_record(*, session: Session, by, entries: list[RowEntry]) -> RecordOutcome:
    """Write the rows of the attendance screen that the admin changed, or none if any of them changed meanwhile."""
    check_organiser(by)
    # One writer per session at a time (other admins and check-ins wait here), so the state read below is
    # the state the writes apply to.
    locked = Session.objects.select_for_update().select_related("stage").get(pk=session.pk)
    rows = {row.opd.pk: row for row in attendance_sheet(locked)}
    changed, kept, conflicts = [], [], {}
    for entry in entries:
        row = rows.get(entry.opd_id)
        _check_entry(entry, row)
        current = row.state
        if entry.wanted == entry.opened:  # the admin left this row as it was shown
            if current != entry.opened:
                kept.append(row.opd)
        elif current == entry.wanted:  # already saved exactly so (by someone else)
            continue
        elif current != entry.opened:
            conflicts[row.opd] = merged(entry, current)
        else:
            changed.append((entry, row))
    if conflicts:
        raise AttendanceConflict(conflicts)
    for entry, row in changed:
        _write_row(locked, row, entry.wanted, by)
    return RecordOutcome(saved=[row.opd for _entry, row in changed], kept=kept)


def _write_row(session: Session, row: SheetRow, wanted: RowState, by) -> None:
    """Make the OPD's rows say what the admin ticked: present or absent per participant, and its representative."""
    new, updated = [], []
    for participant, attendance in row.participants:
        status = Status.PRESENT if participant.pk in wanted.present_ids else Status.ABSENT
        if attendance is None:
            new.append(
                Attendance(
                    session=session,
                    opd=row.opd,
                    participant=participant,
                    status=status,
                    recorded_via=Attendance.Via.ADMIN,
                    recorded_by=by,
                )
            )
        elif attendance.status != status:
            attendance.status = status
            attendance.recorded_via = Attendance.Via.ADMIN
            attendance.recorded_by = by
            updated.append(attendance)
    representative = row.representative
    if wanted.representative_name:
        if representative is None:
            new.append(
                Attendance(
                    session=session,
                    opd=row.opd,
                    status=Status.REPRESENTED,
                    representative_name=wanted.representative_name,
                    representative_position=wanted.representative_position,
                    recorded_via=Attendance.Via.ADMIN,
                    recorded_by=by,
                )
            )
        else:
            representative.representative_name = wanted.representative_name
            representative.representative_position = wanted.representative_position
            representative.recorded_by = by
            representative.save(
                update_fields=["representative_name", "representative_position", "recorded_by", "updated_at"]
            )
    elif representative is not None:
        representative.delete()
    Attendance.objects.bulk_create(new)
    for attendance in updated:
        attendance.save(update_fields=["status", "recorded_via", "recorded_by", "updated_at"])
