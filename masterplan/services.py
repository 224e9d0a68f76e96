"""Writes on the masterplan: editing while draft, finalising, programmes, and PDF export requests."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import jobs
from core.models import SecurityEvent
from core.security import security_event_record
from opd.models import Submission, SubmissionStatus, User
from pillars.models import Pillar

from . import access
from .copies import draft_copied
from .models import Masterplan, MasterplanExport, PillarAnalysis, Programme, ProgrammeTarget

MASTERPLAN_CHANGED = SecurityEvent.Kind.MASTERPLAN_CHANGED
# The render task's registered name: it is queued by name, so this module never imports masterplan.tasks
# (nor the PDF renderer, which only the worker needs).
RENDER_TASK_NAME = "masterplan.render_export"


def _check_writer(user: User) -> None:
    """Refuse anyone whose role does not write masterplans."""
    if not access.can_write_masterplans(user):
        raise PermissionDenied(_("Only Kominfo admins change the masterplan; ask Kominfo to make this change."))


def _locked_draft(masterplan: Masterplan) -> Masterplan:
    locked = Masterplan.objects.select_for_update().get(pk=masterplan.pk)
    if locked.is_final:
        raise ValidationError(
            _("This masterplan is final and can no longer change. Start a new draft from it to make changes."),
            code="final",
        )
    return locked


def _locked_programme(programme: Programme) -> Programme:
    """Return the programme's row locked until the transaction ends, or refuse if it was removed meanwhile."""
    try:
        return Programme.objects.select_for_update().get(pk=programme.pk)
    except Programme.DoesNotExist:
        raise ValidationError(
            _("This programme was removed by someone else in the meantime; nothing was changed."), code="gone"
        ) from None


@transaction.atomic
def masterplan_create(*, by: User, data: dict) -> Masterplan:
    """Create a draft masterplan with an (empty) strategic analysis for each pillar."""
    _check_writer(by)
    masterplan = Masterplan(created_by=by, **data)
    masterplan.full_clean()
    masterplan.save()
    PillarAnalysis.objects.bulk_create([PillarAnalysis(masterplan=masterplan, pillar=p) for p in Pillar.objects.all()])
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=masterplan, action="masterplan_created")
    return masterplan


@transaction.atomic
def masterplan_update(*, masterplan: Masterplan, by: User, data: dict) -> Masterplan:
    """Change the draft's title, period, vision, missions, targets or regulation basis."""
    _check_writer(by)
    locked = _locked_draft(masterplan)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean()
    outside = locked.programmes.exclude(start_year__gte=locked.start_year, end_year__lte=locked.end_year)
    if outside.exists():
        raise ValidationError(
            _("%(count)d programme(s) fall outside the new period; change their years first.")
            % {"count": outside.count()}
        )
    locked.save(update_fields=[*data.keys(), "updated_at"])
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=locked, action="masterplan_updated")
    return locked


@transaction.atomic
def masterplan_finalize(*, masterplan: Masterplan, by: User) -> Masterplan:
    """Freeze the masterplan: nothing in it can change afterwards."""
    _check_writer(by)
    locked = _locked_draft(masterplan)
    if not locked.programmes.exists():
        raise ValidationError(_("A masterplan without programmes cannot be made final."))
    locked.status = Masterplan.Status.FINAL
    locked.finalized_at = timezone.now()
    locked.finalized_by = by
    locked.save(update_fields=["status", "finalized_at", "finalized_by", "updated_at"])
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=locked, action="masterplan_finalized")
    return locked


@transaction.atomic
def masterplan_new_draft_from(*, masterplan: Masterplan, by: User) -> Masterplan:
    """Copy a final masterplan, its analysis and its programmes into a new draft."""
    _check_writer(by)
    if not masterplan.is_final:
        raise ValidationError(_("Only a final masterplan is copied into a new draft; edit this draft directly."))
    copy = Masterplan.objects.create(
        created_by=by, based_on=masterplan, **{f: getattr(masterplan, f) for f in Masterplan.CONTENT_FIELDS}
    )
    for analysis in masterplan.analyses.all():
        analysis.pk, analysis.masterplan = None, copy
        analysis.save()
    for programme in masterplan.programmes.prefetch_related("submissions", "supporting_opds", "targets"):
        submissions, supporting = list(programme.submissions.all()), list(programme.supporting_opds.all())
        targets = list(programme.targets.all())
        programme.pk, programme.masterplan = None, copy
        programme.save()
        programme.submissions.set(submissions)
        programme.supporting_opds.set(supporting)
        ProgrammeTarget.objects.bulk_create(
            [
                ProgrammeTarget(
                    programme=programme, year=t.year, output_target=t.output_target, outcome_target=t.outcome_target
                )
                for t in targets
            ]
        )
    draft_copied(masterplan, copy)  # what apps above the masterplan keep about its programmes
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=copy, action="masterplan_draft_started")
    return copy


@transaction.atomic
def analysis_update(*, analysis: PillarAnalysis, by: User, data: dict) -> PillarAnalysis:
    """Save the strategic analysis of one pillar of a draft masterplan."""
    _check_writer(by)
    _locked_draft(analysis.masterplan)
    for name, value in data.items():
        setattr(analysis, name, value)
    analysis.full_clean()
    analysis.save(update_fields=list(data.keys()))
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=analysis, action="analysis_updated")
    return analysis


def _check_programme(masterplan: Masterplan, data: dict, submissions) -> None:
    errors = {}
    start, end = data.get("start_year"), data.get("end_year")
    if start is not None and not masterplan.start_year <= start <= masterplan.end_year:
        errors["start_year"] = _("The start year must be inside the period %(start)d–%(end)d.") % {
            "start": masterplan.start_year,
            "end": masterplan.end_year,
        }
    if end is not None and not masterplan.start_year <= end <= masterplan.end_year:
        errors["end_year"] = _("The end year must be inside the period %(start)d–%(end)d.") % {
            "start": masterplan.start_year,
            "end": masterplan.end_year,
        }
    if start is not None and end is not None and end < start:
        errors["end_year"] = _("The end year cannot be before the start year.")
    not_approved = [s.reference or s.title for s in submissions if s.status != SubmissionStatus.APPROVED]
    if not_approved:
        errors["submissions"] = _("These submissions are not approved and cannot feed a programme: %(list)s.") % {
            "list": ", ".join(not_approved)
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def programme_create(
    *, masterplan: Masterplan, by: User, data: dict, submissions=(), supporting_opds=(), targets: dict | None = None
) -> Programme:
    """Create a programme of a draft masterplan from one or several approved submissions."""
    _check_writer(by)
    locked = _locked_draft(masterplan)
    submissions = list(Submission.objects.select_for_update().filter(pk__in=[s.pk for s in submissions]))
    _check_programme(locked, data, submissions)
    element = data["element"]
    last = Programme.objects.filter(masterplan=locked, element__pillar=element.pillar).aggregate(Max("order"))
    programme = Programme(masterplan=locked, order=(last["order__max"] or 0) + 1, **data)
    programme.full_clean()
    programme.save()
    programme.submissions.set(submissions)
    programme.supporting_opds.set(supporting_opds)
    _save_targets(programme, targets or {})
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=programme, action="programme_created")
    return programme


@transaction.atomic
def programme_update(
    *,
    programme: Programme,
    by: User,
    data: dict,
    submissions=None,
    supporting_opds=None,
    targets: dict | None = None,
    expected_version: int | None = None,
) -> Programme:
    """Change a programme of a draft masterplan; refuse if it changed since the form showed `expected_version`."""
    _check_writer(by)
    locked_plan = _locked_draft(programme.masterplan)
    locked = _locked_programme(programme)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            _(
                "This programme was changed by someone else (or in another tab) since you opened it, so nothing "
                "was saved. Your changes are still in the form: open the programme in another tab to compare, "
                "then save again to replace that version with yours."
            ),
            code="stale",
        )
    chosen = list(Submission.objects.filter(pk__in=[s.pk for s in submissions])) if submissions is not None else []
    _check_programme(locked_plan, {**data}, chosen)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    if submissions is not None:
        locked.submissions.set(chosen)
    if supporting_opds is not None:
        locked.supporting_opds.set(supporting_opds)
    if targets is not None:
        _save_targets(locked, targets)
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=locked, action="programme_updated")
    return locked


def _save_targets(programme: Programme, targets: dict) -> None:
    """Replace the yearly targets: {year: (output target, outcome target)} within the programme's years."""
    programme.targets.all().delete()
    ProgrammeTarget.objects.bulk_create(
        [
            ProgrammeTarget(programme=programme, year=year, output_target=output, outcome_target=outcome)
            for year, (output, outcome) in sorted(targets.items())
            if programme.start_year <= year <= programme.end_year and (output or outcome)
        ]
    )


@transaction.atomic
def programme_move(*, programme: Programme, by: User, direction: int) -> None:
    """Move a programme one place up (-1) or down (+1) within its pillar."""
    _check_writer(by)
    _locked_draft(programme.masterplan)
    _locked_programme(programme)
    siblings = list(
        Programme.objects.select_for_update()
        .filter(masterplan=programme.masterplan, element__pillar=programme.element.pillar)
        .order_by("order", "start_year", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == programme.pk)
    other = index + direction
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=programme, action="programme_moved")


@transaction.atomic
def programme_delete(*, programme: Programme, by: User) -> None:
    """Remove a programme of a draft masterplan; its submissions become available again."""
    _check_writer(by)
    _locked_draft(programme.masterplan)
    locked = _locked_programme(programme)
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=locked, action="programme_deleted")
    locked.delete()


def masterplan_export_start(*, masterplan: Masterplan, by: User) -> MasterplanExport:
    """Queue a PDF rendering (after commit); a second request while one runs returns the running one."""
    return masterplan_export_request(masterplan=masterplan, by=by)[0]


def masterplan_export_request(*, masterplan: Masterplan, by: User) -> tuple[MasterplanExport, bool]:
    """Queue a PDF rendering unless one is already queued or rendering; return the export and whether it is new."""
    if not access.can_export_pdf(by, masterplan):
        raise PermissionDenied(
            _("Only Kominfo admins and the Bupati's office generate the PDF; ask them for a new version.")
        )
    running = MasterplanExport.UNFINISHED
    masterplan_exports_fail_stale()  # a render whose worker vanished must not block new ones forever
    try:
        with transaction.atomic():
            Masterplan.objects.select_for_update().get(pk=masterplan.pk)
            existing = MasterplanExport.objects.filter(masterplan=masterplan, status__in=running).first()
            if existing is not None:
                return existing, False
            last = MasterplanExport.objects.filter(masterplan=masterplan).aggregate(Max("version"))["version__max"]
            export = MasterplanExport.objects.create(masterplan=masterplan, version=(last or 0) + 1, requested_by=by)
            security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=export, action="export_started")
            jobs.job_enqueue(
                MasterplanExport,
                export.pk,
                task_name=RENDER_TASK_NAME,
                queue_down=_("The PDF could not be put in the rendering queue (%(error)s). Try again later."),
            )
            return export, True
    except IntegrityError:
        # Another request created the running export a moment before us: that one is ours too.
        return MasterplanExport.objects.get(masterplan=masterplan, status__in=running), False


def masterplan_exports_fail_stale(*, now=None) -> int:
    """Mark failed the renders whose worker vanished, or that no worker took, long ago; return how many.

    While such a render looks unfinished no new export of its masterplan can start.
    """
    return jobs.jobs_fail_stale(
        MasterplanExport,
        time_limit=settings.CELERY_PDF_TIME_LIMIT,
        running_reason=_(
            "The PDF rendering stopped without finishing. Try again; if it happens again, tell the portal "
            "administrator."
        ),
        queued_reason=_(
            "No worker took the PDF from the queue. Try again; if it happens again, tell the portal administrator."
        ),
        now=now,
    )
