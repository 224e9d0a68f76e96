"""Reads of the Bimtek, each a fixed number of queries whatever the number of OPDs, participants or rows.

`continuity_report` is the one computation of continuity: its page, the dashboards, the XLSX, the recap PDF
and the masterplan's section on its drafting process read it.
"""

import json
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masterplan.models import Masterplan
from opd.models import Opd

from .models import Attendance, BimtekDocument, Participant, Session, Stage

Status = Attendance.Status


# --- Stages -------------------------------------------------------------------------------------------------


def stages_of(masterplan: Masterplan):
    """Return the masterplan's stages in order, with their number of sessions and invited OPDs."""
    return Stage.objects.filter(masterplan=masterplan).annotate(
        session_count=Count("sessions", distinct=True), invited_count=Count("invited_opds", distinct=True)
    )


def stages_invited(opd: Opd):
    """Return the stages the OPD is invited to, soonest first, with their masterplan and sessions."""
    return (
        Stage.objects.filter(invited_opds=opd)
        .select_related("masterplan")
        .prefetch_related("sessions")
        .order_by("start_date", "number")
    )


def masterplans_with_stages():
    """Return the masterplans, newest first, each with its number of stages."""
    return Masterplan.objects.annotate(stage_count=Count("bimtek_stages")).order_by("-created_at")


# --- The attendance sheet of a session ------------------------------------------------------------------------


class RowState(NamedTuple):
    """What one OPD row of the attendance screen shows: the participants ticked present and who represented it.

    The screen sends back each row's state as it was opened; a save compares it with the row's state now,
    so a change made meanwhile (another admin, a phone check-in) is never overwritten unseen.
    """

    present_ids: frozenset
    representative_name: str
    representative_position: str

    def to_json(self) -> str:
        return json.dumps([sorted(self.present_ids), self.representative_name, self.representative_position])

    @classmethod
    def from_json(cls, text: str) -> "RowState | None":
        """Read a state the screen sent back; None for anything that is not one."""
        if len(text) > 10_000:  # three ids and two 150-character texts never come near
            return None
        try:
            ids, name, position = json.loads(text)
            present = frozenset(int(pk) for pk in ids if isinstance(pk, int) and not isinstance(pk, bool))
        except (ValueError, TypeError, RecursionError):
            return None
        if not (isinstance(name, str) and isinstance(position, str)) or len(present) != len(ids):
            return None
        return cls(present, name, position)


@dataclass
class SheetRow:
    """One invited OPD on a session's attendance screen."""

    opd: Opd
    participants: list = field(default_factory=list)  # (participant, its attendance or None)
    representative: Attendance | None = None  # the one recorded on the attendance screen
    checkin_representatives: list = field(default_factory=list)  # people who checked in for the OPD
    present_ids: frozenset = frozenset()

    @property
    def state(self) -> RowState:
        representative = self.representative
        return RowState(
            self.present_ids,
            representative.representative_name if representative else "",
            representative.representative_position if representative else "",
        )

    @property
    def status(self) -> str:
        """Return how the OPD attended this session: with its own people (a colleague beside them changes
        nothing), only through a representative, or not at all."""
        if self.present_ids:
            return Status.PRESENT
        return Status.REPRESENTED if self.representative or self.checkin_representatives else Status.ABSENT


def attendance_sheet(session: Session) -> list[SheetRow]:
    """Return a row per invited OPD (by name) with its fixed participants and who attended; three queries.

    The attendance screen, the session page and (phase 2) the daftar hadir PDF read it.

    A participant replaced since still shows on a session they attended, so the history reads as it was.
    """
    opds = list(session.stage.invited_opds.order_by("name"))
    rows = {opd.pk: SheetRow(opd=opd) for opd in opds}
    attendances = list(Attendance.objects.filter(session=session).order_by("created_at", "pk"))
    attended = {attendance.participant_id: attendance for attendance in attendances if attendance.participant_id}
    participants = Participant.objects.filter(
        Q(opd__in=rows.keys(), is_active=True) | Q(pk__in=attended.keys())
    ).order_by("opd_id", "-is_active", "name", "pk")
    for participant in participants:
        if participant.opd_id in rows:
            rows[participant.opd_id].participants.append((participant, attended.get(participant.pk)))
    for attendance in attendances:
        row = rows.get(attendance.opd_id)
        if row is None:
            continue
        if attendance.status == Status.REPRESENTED:
            if attendance.recorded_via == Attendance.Via.ADMIN:
                row.representative = attendance
            else:
                row.checkin_representatives.append(attendance)
    for row in rows.values():
        row.present_ids = frozenset(
            participant.pk
            for participant, attendance in row.participants
            if attendance is not None and attendance.status == Status.PRESENT
        )
    return list(rows.values())


def session_counts(sheet: list[SheetRow]) -> dict:
    """Return how many invited OPDs came with their own people, were represented, or stayed away."""
    counts = {Status.PRESENT: 0, Status.REPRESENTED: 0, Status.ABSENT: 0}
    for row in sheet:
        counts[row.status] += 1
    return {"own": counts[Status.PRESENT], "represented": counts[Status.REPRESENTED], "absent": counts[Status.ABSENT]}


# --- Participants ----------------------------------------------------------------------------------------------


def participants_of(opd: Opd) -> dict:
    """Return an OPD's active fixed participants and the ones replaced, newest replacement first."""
    participants = list(
        Participant.objects.filter(opd=opd).select_related("replaced_by", "replaced_by_user").order_by("name", "pk")
    )
    return {
        "active": [participant for participant in participants if participant.is_active],
        "replaced": sorted(
            (participant for participant in participants if not participant.is_active),
            key=lambda participant: participant.replaced_at,
            reverse=True,
        ),
    }


def participants_overview() -> list[Opd]:
    """Return the active OPDs, those without participants first, each with `.participants` (active ones)."""
    active = Participant.objects.filter(is_active=True).order_by("name", "pk")
    opds = list(
        Opd.objects.filter(is_active=True).prefetch_related(
            Prefetch("bimtek_participants", queryset=active, to_attr="participants")
        )
    )
    return sorted(opds, key=lambda opd: (bool(opd.participants), opd.name))


def replacements():
    """Return every replacement of a fixed participant, newest first."""
    return (
        Participant.objects.filter(is_active=False)
        .select_related("opd", "replaced_by", "replaced_by_user")
        .order_by("-replaced_at", "-pk")
    )


# --- Continuity ----------------------------------------------------------------------------------------------------

OWN = "own"
REPRESENTED = "represented"
ABSENT = "absent"
NOT_INVITED = "not_invited"
UPCOMING = "upcoming"
BREAKS = (REPRESENTED, ABSENT)
# The words for each cell, shared by the page and the XLSX.
CELL_LABELS = {
    OWN: _("Own participants"),
    REPRESENTED: _("Represented"),
    ABSENT: _("Not attended"),
    NOT_INVITED: _("Not invited"),
    UPCOMING: _("Not held yet"),
}


@dataclass
class StageFigure:
    """A stage's column of the report: how many invited OPDs came with their own participants."""

    stage: Stage
    held: bool
    invited: int = 0
    own: int = 0
    represented: int = 0
    absent: int = 0

    @property
    def own_percent(self) -> int | None:
        """Return the share of invited OPDs present with their own participants, in whole percent."""
        if not self.held or not self.invited:
            return None
        return round(100 * self.own / self.invited)


@dataclass
class ContinuityRow:
    """One OPD across the stages: each stage's cell, and its replacements since the Bimtek began."""

    opd: Opd
    cells: list[str]
    replacements: int

    @property
    def breaks(self) -> int:
        return sum(cell in BREAKS for cell in self.cells) + self.replacements

    @property
    def broke_continuity(self) -> bool:
        return self.breaks > 0


@dataclass
class ContinuityReport:
    masterplan: Masterplan
    figures: list[StageFigure]
    rows: list[ContinuityRow]
    # Replacements count from the first stage's first day, once it has begun.
    replacements_since: date | None = None

    @property
    def broken_count(self) -> int:
        return sum(row.broke_continuity for row in self.rows)

    @property
    def held_figures(self) -> list[StageFigure]:
        return [figure for figure in self.figures if figure.held]


def continuity_report(masterplan: Masterplan, today=None) -> ContinuityReport:
    """Return, per OPD invited to any stage, how each stage was attended (by its fixed participants, by a
    representative, not at all) and its replacements since the first stage began; five queries.

    OPDs that broke continuity (represented, absent or a participant replaced) come first, most breaks first.
    A stage that has not begun counts for nobody; a stage the OPD was not invited to neither.
    """
    today = today or timezone.localdate()
    stages = list(Stage.objects.filter(masterplan=masterplan).order_by("number"))
    if not stages:
        return ContinuityReport(masterplan=masterplan, figures=[], rows=[])
    invited = set(
        Stage.invited_opds.through.objects.filter(stage__masterplan=masterplan).values_list("stage_id", "opd_id")
    )
    opds = list(Opd.objects.filter(pk__in={opd_id for _stage, opd_id in invited}).order_by("name"))
    # Per session and OPD: did a fixed participant come, and did a representative?
    sessions: dict[tuple, list] = {}
    for row in (
        Attendance.objects.filter(
            session__stage__masterplan=masterplan, status__in=[Status.PRESENT, Status.REPRESENTED]
        )
        .values("session_id", "session__stage_id", "opd_id")
        .annotate(
            own=Count("pk", filter=Q(status=Status.PRESENT)),
            represented=Count("pk", filter=Q(status=Status.REPRESENTED)),
        )
    ):
        sessions.setdefault((row["session__stage_id"], row["opd_id"]), []).append(row)
    first = min(stages, key=lambda stage: stage.start_date)
    since = first.start_date if first.has_started(today) else None
    replaced = {}
    if since is not None:
        counts = _counted_replacements(opds, since).values("opd_id").annotate(count=Count("pk"))
        replaced = dict(counts.values_list("opd_id", "count"))
    figures = [StageFigure(stage=stage, held=stage.has_started(today)) for stage in stages]
    rows = []
    for opd in opds:
        cells = []
        for figure in figures:
            cell = _cell(figure, opd, invited, sessions)
            cells.append(cell)
            if figure.held and cell != NOT_INVITED:
                figure.invited += 1
                setattr(figure, cell, getattr(figure, cell) + 1)
        rows.append(ContinuityRow(opd=opd, cells=cells, replacements=replaced.get(opd.pk, 0)))
    rows.sort(key=lambda row: (not row.broke_continuity, -row.breaks, row.opd.name))
    return ContinuityReport(masterplan=masterplan, figures=figures, rows=rows, replacements_since=since)


def _counted_replacements(opds, since):
    """Return the replacements that break continuity: by these OPDs, on or after the first stage's first day."""
    return Participant.objects.filter(opd__in=opds, replaced_at__date__gte=since)


def continuity_replacements(report: ContinuityReport) -> list[Participant]:
    """Return the replacements a continuity report counts, newest first, with who replaced whom and who recorded it."""
    if report.replacements_since is None:
        return []
    return list(
        _counted_replacements([row.opd for row in report.rows], report.replacements_since)
        .select_related("opd", "replaced_by", "replaced_by_user")
        .order_by("-replaced_at", "-pk")
    )


def _cell(figure: StageFigure, opd: Opd, invited: set, sessions: dict) -> str:
    """Return how the OPD attended a stage: by a representative if any of its sessions saw only one, else by its
    own participants if they came to any, else not at all."""
    if (figure.stage.pk, opd.pk) not in invited:
        return NOT_INVITED
    if not figure.held:
        return UPCOMING
    attended = sessions.get((figure.stage.pk, opd.pk), [])
    if any(not row["own"] and row["represented"] for row in attended):
        return REPRESENTED
    return OWN if any(row["own"] for row in attended) else ABSENT


# --- Documents -------------------------------------------------------------------------------------------------

RECENT_DOCUMENTS = 5


def recent_attendance_lists(session: Session) -> list[BimtekDocument]:
    """Return the session's latest attendance list PDFs (finished or not), newest first."""
    documents = BimtekDocument.objects.filter(session=session, kind=BimtekDocument.Kind.ATTENDANCE_LIST)
    return list(documents.select_related("requested_by", "session__stage")[:RECENT_DOCUMENTS])


def recent_continuity_recaps(masterplan: Masterplan) -> list[BimtekDocument]:
    """Return the masterplan's latest continuity recap PDFs (finished or not), newest first."""
    documents = BimtekDocument.objects.filter(masterplan=masterplan, kind=BimtekDocument.Kind.CONTINUITY_RECAP)
    return list(documents.select_related("requested_by")[:RECENT_DOCUMENTS])


def continuity_summary(today=None) -> ContinuityReport | None:
    """Return the continuity report of the newest masterplan that has Bimtek stages, for the dashboards."""
    masterplan = Masterplan.objects.filter(bimtek_stages__isnull=False).order_by("-created_at").first()
    return continuity_report(masterplan, today) if masterplan else None
