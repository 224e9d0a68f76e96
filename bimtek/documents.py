"""The Bimtek's PDFs: a session's attendance list (daftar hadir) and a masterplan's continuity recap.

Like the masterplan's, they are the regency's official papers and always in Bahasa Indonesia: their wording
lives in the templates under bimtek/templates/bimtek/pdf/, and model labels are read with Indonesian active.
Both are fed by the selectors the pages use (attendance_sheet, continuity_report), so paper and screen agree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.pdf import bundled_url, render_html_pdf
from masterplan.models import Masterplan

from . import selectors
from .models import Attendance, Session, Stage

STYLESHEET = bundled_url("portal/css/bimtek-pdf.css")
Status = Attendance.Status


@dataclass(frozen=True)
class ListLine:
    """One person on an attendance list: a fixed participant or a representative, with what the list says of them."""

    name: str
    nip: str
    position: str
    status: str
    representative: bool = False


@dataclass(frozen=True)
class ListGroup:
    """An invited OPD on the attendance list, numbered, with its people (at least one line, to sign on)."""

    number: int
    opd: object
    lines: list[ListLine]
    has_participants: bool


def attendance_list_pdf(session: Session, *, on_progress: Callable[[int], None] | None = None) -> tuple[bytes, int]:
    """Render the session's attendance list; return the PDF's bytes and its number of pages."""
    return _render("bimtek/pdf/attendance_list.html", lambda: attendance_list_context(session), on_progress)


def continuity_recap_pdf(
    masterplan: Masterplan, *, on_progress: Callable[[int], None] | None = None
) -> tuple[bytes, int]:
    """Render the masterplan's continuity recap; return the PDF's bytes and its number of pages."""
    return _render("bimtek/pdf/continuity_recap.html", lambda: continuity_recap_context(masterplan), on_progress)


def _render(template: str, context: Callable[[], dict], on_progress) -> tuple[bytes, int]:
    report = on_progress or (lambda percent: None)
    with translation.override("id"):
        html = render_to_string(template, context())
        report(30)
        pdf, page_count = render_html_pdf(html, on_layout=lambda: report(80))
    return pdf, page_count


def letterhead_context() -> dict:
    """Return what the letterhead and the signature of every Bimtek paper show (from the settings)."""
    return {
        "stylesheet": STYLESHEET,
        "region_name": settings.REGION_NAME,
        "region_logo": bundled_url(settings.REGION_LOGO),
        "region_place": region_place(settings.REGION_NAME),
        "organiser": settings.BIMTEK_ORGANISER,
        "rendered_at": timezone.localtime(),
    }


def attendance_list_context(session: Session) -> dict:
    """Return the attendance list of a session: a group per invited OPD, its fixed participants and representatives.

    Before the session ends a participant not recorded yet has an empty status (the paper is signed on the
    day); once it has ended, not recorded means not present.
    """
    stage = session.stage
    sheet = selectors.attendance_sheet(session)
    ended = session.checkin_has_closed()
    groups = []
    for number, row in enumerate(sheet, start=1):
        lines = [
            ListLine(participant.name, participant.nip, participant.position, _status(attendance, ended))
            for participant, attendance in row.participants
        ]
        representatives = [row.representative] if row.representative else []
        lines += [
            ListLine(
                attendance.representative_name,
                attendance.representative_nip,
                attendance.representative_position,
                "Diwakilkan",
                representative=True,
            )
            for attendance in [*representatives, *row.checkin_representatives]
        ]
        groups.append(ListGroup(number, row.opd, lines, has_participants=bool(row.participants)))
    return letterhead_context() | {
        "session": session,
        "stage": stage,
        "signatures": stage.mode in (Stage.Mode.ONSITE, Stage.Mode.HYBRID),
        "timezone": timezone.localtime(session.checkin_closes_at).tzname(),
        "groups": groups,
        "counts": selectors.session_counts(sheet) if ended else None,
        "ended": ended,
    }


def _status(attendance: Attendance | None, ended: bool) -> str:
    if attendance is None:
        return "Tidak hadir" if ended else ""
    return "Hadir" if attendance.status == Status.PRESENT else "Tidak hadir"


def continuity_recap_context(masterplan: Masterplan) -> dict:
    """Return the continuity recap: each stage's figure, each OPD across the stages (broken first), replacements."""
    report = selectors.continuity_report(masterplan)
    return letterhead_context() | {
        "masterplan": masterplan,
        "report": report,
        "labels": selectors.CELL_LABELS,
        "replacements": selectors.continuity_replacements(report),
        "today": timezone.localdate(),
    }


def region_place(region_name: str) -> str:
    """Return the place a paper is signed in: "Mojokerto" for "Kabupaten Mojokerto" or "Kota Mojokerto"."""
    first, _space, rest = region_name.partition(" ")
    return rest if first.lower() in {"kabupaten", "kota"} and rest else region_name
