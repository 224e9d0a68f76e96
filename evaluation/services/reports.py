"""Programme reports: the lead OPD drafts, checks and sends; supporting OPDs add their part; Kominfo verifies.

The status moves, the stale-form check, the decision and the comment rules are the shared review workflow's
(core.workflow); this module says who may do what, what a report must hold before it is sent, records each step
as a ReportEvent and mails the other side once a report is sent or decided (after the commit). A verified report
is frozen: nothing changes it any more.
"""

from dataclasses import replace
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import workflow
from core.access import is_opd_staff
from core.models import ReviewStatus, SecurityEvent
from core.notifications import after_commit
from core.security import security_event_record

from .. import access
from ..models import (
    BudgetRealisation,
    IndicatorRealisation,
    ProgrammeReport,
    ReportComment,
    ReportEvent,
    SupportingContribution,
)
from ..models.reports import MAX_REALISED_VALUE, ProgressStatus
from ..selectors import due_programmes, year_budgets, year_targets
from .notifications import notify_kominfo_report_sent, notify_opd_report_decision

Status = ReviewStatus
Action = ReportEvent.Action
SECURITY_KIND = SecurityEvent.Kind.MASTERPLAN_CHANGED
CONTENT_FIELDS = ("progress_status", "progress_percent", "obstacles", "follow_up")
MAX_TEXT_LENGTH = 5000
COMMENTING = workflow.Commenting(
    may_comment=access.can_comment_report,
    reviewer=access.can_verify_reports,
    outsider=gettext_lazy("Only the lead OPD's staff and Kominfo comment on a report."),
)


def _record(report, *, by, action, from_status="", note=""):
    security_event_record(kind=SECURITY_KIND, user=by, target=report, action=f"report_{action}", detail=report.status)
    return ReportEvent.objects.create(
        report=report, actor=by, action=action, from_status=from_status, to_status=report.status, note=note
    )


def _locked(report: ProgrammeReport) -> ProgrammeReport:
    """Return the report locked, with what the access predicates ask loaded."""
    workflow.lock(report)
    return (
        ProgrammeReport.objects.select_related("period__masterplan", "programme__lead_opd", "decided_by")
        .prefetch_related(access.PROGRAMME_SUPPORTERS, "period__reopenings")
        .get(pk=report.pk)
    )


def _check_version(locked, expected_version):
    workflow.check_version(
        locked,
        expected_version,
        message=_(
            "This report was changed by someone else (or in another tab) since you opened it. Nothing was saved: "
            "reload the page to see the latest version, then make your change again."
        ),
    )


def _refuse(locked, label: str):
    workflow.refuse_transition(locked, message=_("Cannot %(action)s: the report is now “%(status)s”."), action=label)


def _check_lead(report, user) -> None:
    if not access.leads(user, report):
        raise PermissionDenied(_("Only staff of the programme's lead OPD write its report."))


def _check_period(report) -> None:
    if not access.accepts_reports_from(report.period, report.programme.lead_opd_id):
        raise ValidationError(_("The reporting period is closed. Ask Kominfo to reopen it for your OPD."))


@transaction.atomic
def report_start(*, period, programme, by) -> ProgrammeReport:
    """Return the programme's report of the period, creating its draft if none exists yet."""
    if not (is_opd_staff(by) and by.opd_id == programme.lead_opd_id):
        raise PermissionDenied(_("Only staff of the programme's lead OPD write its report."))
    if not due_programmes(period).filter(pk=programme.pk).exists():
        raise ValidationError(_("This programme is not due in the %(year)d period.") % {"year": period.year})
    existing = ProgrammeReport.objects.filter(period=period, programme=programme).first()
    if existing is not None:
        return existing
    if not access.accepts_reports_from(period, programme.lead_opd_id):
        raise ValidationError(_("The reporting period is closed. Ask Kominfo to reopen it for your OPD."))
    try:
        with transaction.atomic():
            report = ProgrammeReport.objects.create(period=period, programme=programme, created_by=by)
    except IntegrityError:  # a colleague started it a moment ago
        return ProgrammeReport.objects.get(period=period, programme=programme)
    _record(report, by=by, action=Action.CREATED)
    return report


def _clean_text(name: str, value: str, errors: dict) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT_LENGTH:
        errors.setdefault(name, []).append(_("At most %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH})
    return value


@transaction.atomic
def report_update(
    *, report, by, data: dict, realised: dict, spent: dict, expected_version: int | None = None
) -> ProgrammeReport:
    """Save the report's content: `realised` maps target ids to a value (or None), `spent` budget ids to
    (amount or None, note). Values out of bounds, or spending above plan without a note, change nothing."""
    locked = _locked(report)
    _check_lead(locked, by)
    _check_version(locked, expected_version)
    if not access.can_edit_report(by, locked):
        if locked.status in workflow.EDITABLE_STATUSES:
            _check_period(locked)
        _refuse(locked, _("edit"))
    errors: dict[str, list[str]] = {}
    targets = {target.pk: target for target in year_targets(locked)}
    budgets = {budget.pk: budget for budget in year_budgets(locked)}
    progress_status = data.get("progress_status") or ""
    if progress_status not in ("", *ProgressStatus.values):
        errors.setdefault("progress_status", []).append(_("Choose one of the statuses."))
    percent = data.get("progress_percent")
    if percent is not None and not 0 <= percent <= 100:
        errors.setdefault("progress_percent", []).append(_("Progress is a percentage from 0 to 100."))
    obstacles = _clean_text("obstacles", data.get("obstacles"), errors)
    follow_up = _clean_text("follow_up", data.get("follow_up"), errors)
    for target_id, value in realised.items():
        if target_id not in targets:
            errors.setdefault("__all__", []).append(_("An indicator does not belong to this report; reload the page."))
        elif value is not None and not Decimal(0) <= value <= MAX_REALISED_VALUE:
            errors.setdefault(f"realised_{target_id}", []).append(
                _("Enter a number from 0 up to 1 trillion, in the indicator's unit.")
            )
    for budget_id, (amount, note) in spent.items():
        budget = budgets.get(budget_id)
        if budget is None:
            errors.setdefault("__all__", []).append(_("A budget line does not belong to this report; reload the page."))
        elif amount is not None and amount > budget.amount and not (note or "").strip():
            errors.setdefault(f"spent_note_{budget_id}", []).append(
                _("Spending above the planned amount needs a note saying why.")
            )
    if errors:
        raise ValidationError(errors)
    locked.progress_status, locked.progress_percent = progress_status, percent
    locked.obstacles, locked.follow_up = obstacles, follow_up
    locked.version = F("version") + 1
    locked.save(update_fields=[*CONTENT_FIELDS, "version", "updated_at"])
    for target_id, value in realised.items():
        if value is None:
            IndicatorRealisation.objects.filter(report=locked, target_id=target_id).delete()
        else:
            IndicatorRealisation.objects.update_or_create(report=locked, target_id=target_id, defaults={"value": value})
    for budget_id, (amount, note) in spent.items():
        if amount is None:
            BudgetRealisation.objects.filter(report=locked, budget_id=budget_id).delete()
        else:
            BudgetRealisation.objects.update_or_create(
                report=locked, budget_id=budget_id, defaults={"amount": amount, "note": (note or "").strip()}
            )
    locked.refresh_from_db()
    _record(locked, by=by, action=Action.EDITED)
    return locked


def report_missing(report) -> list[str]:
    """Return what the report still lacks before it can be sent, in words the OPD acts on (empty: complete)."""
    missing = []
    if not report.progress_status:
        missing.append(_("the progress status"))
    if report.progress_percent is None:
        missing.append(_("the progress in percent"))
    realised = set(IndicatorRealisation.objects.filter(report=report).values_list("target_id", flat=True))
    for target in year_targets(report):
        if target.pk not in realised:
            missing.append(_("the realised value of “%(indicator)s”") % {"indicator": target.indicator.name})
    spent = set(BudgetRealisation.objects.filter(report=report).values_list("budget_id", flat=True))
    for budget in year_budgets(report):
        if budget.pk not in spent:
            missing.append(_("the budget realised from %(source)s") % {"source": budget.get_source_display()})
    if report.progress_status == ProgressStatus.DELAYED and not report.obstacles.strip():
        missing.append(_("the obstacles (the programme is delayed)"))
    return missing


@transaction.atomic
def report_submit(*, report, by, expected_version: int | None = None) -> ProgrammeReport:
    """Send a complete report (or a revised one) to Kominfo for verification."""
    locked = _locked(report)
    _check_lead(locked, by)
    _check_version(locked, expected_version)
    if not access.can_edit_report(by, locked):
        if locked.status in workflow.EDITABLE_STATUSES:
            _check_period(locked)
        _refuse(locked, _("send"))
    missing = report_missing(locked)
    if missing:
        raise ValidationError(
            _("The report cannot be sent yet. Still missing: %(missing)s.") % {"missing": "; ".join(missing)},
            code="incomplete",
        )
    resubmitted = locked.status == Status.REVISION_REQUESTED
    now = timezone.now()
    locked.last_submitted_at = now
    extra = ["last_submitted_at"]
    if locked.submitted_at is None:
        locked.submitted_at = now
        extra.append("submitted_at")
    action = Action.RESUBMITTED if resubmitted else Action.SUBMITTED
    sent = workflow.move(locked, by=by, to=Status.SUBMITTED, action=action, record=_record, extra_fields=extra)
    after_commit(notify_kominfo_report_sent, sent.pk, resubmitted)
    return sent


def _decide(*, report, by, decision: workflow.Decision, reason: str = "", expected_version=None):
    if not access.can_verify_reports(by):
        raise PermissionDenied(_("Only Kominfo admins verify reports."))
    reason = workflow.clean_reason(reason, required=decision.reason_required)
    locked = _locked(report)
    if not access.can_decide_report(by, locked):
        if locked.status == Status.APPROVED:
            raise ValidationError(
                workflow.already_decided_message(locked, label=decision.label), code="already_decided"
            )
        _refuse(locked, decision.label)
    _check_version(locked, expected_version)
    decided = workflow.decide(locked, by=by, to=decision.to, action=decision.action, reason=reason, record=_record)
    after_commit(notify_opd_report_decision, decided.pk)
    return decided


report_request_revision = workflow.decision_service(
    _decide, workflow.REQUEST_REVISION, doc="Return the report to its lead OPD with what to correct."
)
report_approve = workflow.decision_service(
    _decide,
    replace(workflow.APPROVE, label=gettext_lazy("verify")),
    doc="Verify the report: its figures count in the evaluation and are frozen from now on.",
)


@transaction.atomic
def report_comment_add(*, report, by, body: str, visibility: str = ReportComment.Visibility.OPD) -> ReportComment:
    """Add a comment; the lead OPD writes to the shared thread, only Kominfo writes internal notes."""
    return workflow.comment_create(COMMENTING, report, by=by, body=body, visibility=visibility)


@transaction.atomic
def contribution_save(*, report, by, text: str) -> SupportingContribution:
    """Save what the user's supporting OPD did for the programme this year."""
    locked = _locked(report)
    if not access.supports(by, locked):
        raise PermissionDenied(_("Only staff of a supporting OPD add its part to the report."))
    if not access.can_contribute(by, locked):
        _check_period(locked)
        _refuse(locked, _("add your part"))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write what your OPD did for the programme this year.")})
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError({"text": _("At most %(limit)d characters.") % {"limit": MAX_TEXT_LENGTH}})
    contribution, _created = SupportingContribution.objects.update_or_create(
        report=locked, opd_id=by.opd_id, defaults={"text": text, "updated_by": by}
    )
    _record(locked, by=by, action=Action.CONTRIBUTED, note=by.opd.short_name if by.opd_id else "")
    return contribution
