"""A reporting year of the demo masterplan with realistic reports, so every evaluation view shows data.

The demo masterplan starts in 2025 with a single programme that year; 2026 is its first year with programmes in
every state, so the demo reports on 2026 (the round still open, its deadline at the end of January 2027). The
masterplan is made final first (reports are asked only on a final one). Each programme due gets a report from its
lead OPD's demo staff: most verified, one delayed, one returned for revision, one sent and not yet verified, one
not started at all.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.roles import Role
from evaluation.models import ReportingPeriod
from evaluation.selectors import due_programmes, year_budgets, year_targets
from evaluation.services import periods, reports
from masterplan.models import Masterplan
from masterplan.services import masterplan_finalize
from opd.models import User

YEAR = 2026
DEADLINE = date(2027, 1, 29)
# Per programme, by its position among those due: (share of the target realised, share of the budget spent,
# progress status, progress %, what happens to the report). Repeats over the programmes.
PATTERN = [
    (Decimal("1.05"), Decimal("0.92"), "on_track", 100, "verified"),
    (Decimal("0.95"), Decimal("0.88"), "on_track", 90, "verified"),
    (Decimal("0.40"), Decimal("0.35"), "delayed", 40, "verified"),
    (Decimal("1.00"), Decimal("0.97"), "completed", 100, "verified"),
    (Decimal("0.85"), Decimal("0.80"), "on_track", 80, "revision"),
    (Decimal("0.90"), Decimal("0.75"), "on_track", 85, "sent"),
    (Decimal("0"), Decimal("0"), "", 0, "missing"),
]
OBSTACLES = "Pengadaan perangkat terlambat karena proses lelang ulang; lahan belum siap."
FOLLOW_UP = "Percepatan pengadaan pada triwulan I dan koordinasi dengan Bappeda untuk anggaran perubahan."


@transaction.atomic
def demo_evaluation_create(*, admin: User) -> int:
    """Create the 2025 reporting period of the demo masterplan with its reports; return how many were written."""
    masterplan = Masterplan.objects.order_by("pk").first()
    if masterplan is None or ReportingPeriod.objects.exists() or YEAR not in masterplan.years:
        return 0
    if not masterplan.is_final:
        masterplan = masterplan_finalize(masterplan=masterplan, by=admin)
    period = periods.period_open(
        masterplan=masterplan, year=YEAR, deadline=timezone.localdate() + timedelta(days=1), by=admin
    )
    staff = {}
    for user in User.objects.filter(role=Role.OPD_STAFF, is_active=True).order_by("pk"):
        staff.setdefault(user.opd_id, user)
    written = 0
    programmes = due_programmes(period).order_by("element__pillar__order", "code", "pk")
    for index, programme in enumerate(programmes):
        author = staff.get(programme.lead_opd_id)
        achieved, spent, status, percent, outcome = PATTERN[index % len(PATTERN)]
        if author is None or outcome == "missing":
            continue  # not started: once the deadline passes the evaluation shows it at risk
        report = reports.report_start(period=period, programme=programme, by=author)
        report = _fill(report, author, achieved, spent, status, percent)
        report = reports.report_submit(report=report, by=author)
        if outcome == "revision":
            reports.report_request_revision(
                report=report, by=admin, reason="Lengkapi data dukung berupa foto kegiatan dan berita acara."
            )
        elif outcome == "verified":
            reports.report_approve(report=report, by=admin)
        written += 1
    ReportingPeriod.objects.filter(pk=period.pk).update(deadline=max(DEADLINE, period.deadline))
    return written


def _fill(report, author, achieved: Decimal, spent: Decimal, status: str, percent: int):
    return reports.report_update(
        report=report,
        by=author,
        data={
            "progress_status": status,
            "progress_percent": percent,
            "obstacles": OBSTACLES if status == "delayed" else "",
            "follow_up": FOLLOW_UP,
        },
        realised={target.pk: (target.value * achieved).quantize(Decimal("0.01")) for target in year_targets(report)},
        spent={budget.pk: (int(budget.amount * spent), "") for budget in year_budgets(report)},
    )
