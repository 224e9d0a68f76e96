"""Reporting periods: Kominfo opens one for a year of a final masterplan, closes it, reopens it for one OPD."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import SecurityEvent
from core.security import security_event_record
from masterplan.models import Masterplan
from opd.models import Opd

from .. import access
from ..models import PeriodReopening, ReportingPeriod
from ..selectors import due_programmes

SECURITY_KIND = SecurityEvent.Kind.MASTERPLAN_CHANGED
MAX_REASON_LENGTH = 2000


def _check_manager(user) -> None:
    if not access.can_manage_periods(user):
        raise PermissionDenied(_("Only Kominfo admins open, close and reopen reporting periods."))


@transaction.atomic
def period_open(*, masterplan: Masterplan, year: int, deadline: date, by) -> ReportingPeriod:
    """Open the report round of one year of a final masterplan, due by the deadline."""
    _check_manager(by)
    locked = Masterplan.objects.select_for_update().get(pk=masterplan.pk)
    if not locked.is_final:
        raise ValidationError(_("Reports are asked only on a final masterplan; make it final first."))
    if year not in locked.years:
        raise ValidationError(
            {
                "year": _("Choose a year of the masterplan's period (%(start)d–%(end)d).")
                % {"start": locked.start_year, "end": locked.end_year}
            }
        )
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    if ReportingPeriod.objects.filter(masterplan=locked, year=year).exists():
        raise ValidationError(
            {
                "year": _("The reports of %(year)d were already asked; close or reopen that period instead.")
                % {"year": year}
            }
        )
    period = ReportingPeriod.objects.create(masterplan=locked, year=year, deadline=deadline, opened_by=by)
    security_event_record(kind=SECURITY_KIND, user=by, target=period, action="reporting_period_opened")
    return period


@transaction.atomic
def period_close(*, period: ReportingPeriod, by) -> ReportingPeriod:
    """Close the period: no OPD writes or sends any more, unless it is reopened for it."""
    _check_manager(by)
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not locked.is_open:
        raise ValidationError(_("This period is already closed."))
    locked.status = ReportingPeriod.Status.CLOSED
    locked.closed_by = by
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_by", "closed_at"])
    security_event_record(kind=SECURITY_KIND, user=by, target=locked, action="reporting_period_closed")
    return locked


@transaction.atomic
def period_reopen(*, period: ReportingPeriod, opd: Opd, deadline: date, reason: str, by) -> PeriodReopening:
    """Let one OPD write and send its reports again until a new deadline, recording who, when and why."""
    _check_manager(by)
    locked = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why the period is reopened for this OPD.")})
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("The reason can be at most %(limit)d characters.") % {"limit": MAX_REASON_LENGTH}}
        )
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The new deadline cannot be in the past.")})
    if not due_programmes(locked).filter(lead_opd=opd).exists():
        raise ValidationError({"opd": _("This OPD leads no programme due in this period.")})
    reopening = PeriodReopening.objects.create(period=locked, opd=opd, deadline=deadline, reason=reason, reopened_by=by)
    security_event_record(
        kind=SECURITY_KIND, user=by, target=locked, action="reporting_period_reopened", detail=f"{opd.pk}: {reason}"
    )
    return reopening
