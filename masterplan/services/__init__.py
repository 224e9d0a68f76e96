"""Writes on the masterplan: editing while draft, finalising, programmes, and PDF export requests.

The writes of the masterplan's other parts (profile, RPJMD, governance...) live in `parts`, the PDF requests
in `exports`; everything is re-exported here.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.security import security_event_record
from opd.models import Submission, SubmissionStatus, User
from pillars.models import Pillar

from ..models import Masterplan, PillarAnalysis, Programme
from ..selectors.parts import missing_required_parts
from .common import MASTERPLAN_CHANGED, _check_writer, _locked_draft, _locked_programme
from .exports import (
    RENDER_TASK_NAME,
    masterplan_export_request,
    masterplan_export_start,
    masterplan_exports_fail_stale,
)
from .parts import copy_region_parts, governance_body_save, profile_save, rpjmd_save
from .programme_parts import (
    IndicatorData,
    budgets_of,
    indicator_data_of,
    last_order,
    programme_code_next,
    save_budgets,
    save_indicators,
)

__all__ = [
    "MASTERPLAN_CHANGED",
    "RENDER_TASK_NAME",
    "IndicatorData",
    "analysis_update",
    "governance_body_save",
    "profile_save",
    "rpjmd_save",
    "masterplan_create",
    "masterplan_export_request",
    "masterplan_export_start",
    "masterplan_exports_fail_stale",
    "masterplan_finalize",
    "masterplan_new_draft_from",
    "masterplan_update",
    "programme_create",
    "programme_delete",
    "programme_move",
    "programme_update",
]


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
    """Change fields of the draft's own row (period, horizons, vision, front matter, adoption, emblem...)."""
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
    late = locked.programmes.filter(is_quick_win=True, end_year__gt=locked.quick_win_last_year)
    if late.exists():
        raise ValidationError(
            _(
                "%(count)d Quick Win programme(s) would end after the quick-win window (until %(last)d); change "
                "their years or unmark them first."
            )
            % {"count": late.count(), "last": locked.quick_win_last_year}
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
    missing = missing_required_parts(locked)
    if missing:
        raise ValidationError(
            [_("The masterplan cannot be made final yet; complete these parts first:")]
            + [f"{part.title}: {part.missing}" for part in missing],
            code="incomplete",
        )
    locked.status = Masterplan.Status.FINAL
    locked.finalized_at = timezone.now()
    locked.finalized_by = by
    locked.save(update_fields=["status", "finalized_at", "finalized_by", "updated_at"])
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=locked, action="masterplan_finalized")
    return locked


@transaction.atomic
def masterplan_new_draft_from(*, masterplan: Masterplan, by: User) -> Masterplan:
    """Copy a final masterplan and every part of it (analysis, profile, RPJMD, governance, programmes) into a draft."""
    _check_writer(by)
    if not masterplan.is_final:
        raise ValidationError(_("Only a final masterplan is copied into a new draft; edit this draft directly."))
    copy = Masterplan.objects.create(
        created_by=by, based_on=masterplan, **{f: getattr(masterplan, f) for f in Masterplan.COPIED_FIELDS}
    )
    for analysis in masterplan.analyses.all():
        analysis.pk, analysis.masterplan = None, copy
        analysis.save()
    missions = copy_region_parts(masterplan, copy)
    programmes = masterplan.programmes.prefetch_related(
        "submissions", "supporting_opds", "rpjmd_missions", "budgets", "indicators__targets"
    )
    for programme in programmes:
        indicators, budgets = indicator_data_of(programme), budgets_of(programme)
        submissions, supporting = list(programme.submissions.all()), list(programme.supporting_opds.all())
        served = [missions[mission.pk] for mission in programme.rpjmd_missions.all() if mission.pk in missions]
        programme.pk, programme.masterplan = None, copy  # the code is kept: stable across versions
        programme._prefetched_objects_cache = {}  # the copy's relations start empty, not the source's
        programme.save()
        programme.submissions.set(submissions)
        programme.supporting_opds.set(supporting)
        programme.rpjmd_missions.set(served)
        save_indicators(programme, indicators)
        save_budgets(programme, budgets)
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


def _check_missions(masterplan: Masterplan, missions) -> list:
    """Return the RPJMD missions chosen, refusing any that is not a mission of this masterplan's RPJMD."""
    missions = list(missions)
    if any(mission.rpjmd.masterplan_id != masterplan.pk for mission in missions):
        raise ValidationError({"rpjmd_missions": _("Choose missions of this masterplan's RPJMD only.")})
    return missions


@transaction.atomic
def programme_create(
    *,
    masterplan: Masterplan,
    by: User,
    data: dict,
    submissions=(),
    supporting_opds=(),
    rpjmd_missions=(),
    indicators: list[IndicatorData] | None = None,
    budgets: dict | None = None,
) -> Programme:
    """Create a programme of a draft masterplan, with its code, indicators ({year: target}) and budgets.

    `budgets` is {(year, funding source): Rupiah}; every year must lie in the programme's years.
    """
    _check_writer(by)
    locked = _locked_draft(masterplan)
    submissions = list(Submission.objects.select_for_update().filter(pk__in=[s.pk for s in submissions]))
    _check_programme(locked, data, submissions)
    missions = _check_missions(locked, rpjmd_missions)
    pillar = data["element"].pillar
    programme = Programme(
        masterplan=locked, order=last_order(locked, pillar) + 1, code=programme_code_next(locked, pillar), **data
    )
    programme.full_clean()
    programme.save()
    programme.submissions.set(submissions)
    programme.supporting_opds.set(supporting_opds)
    programme.rpjmd_missions.set(missions)
    save_indicators(programme, indicators or [])
    save_budgets(programme, budgets or {})
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
    rpjmd_missions=None,
    indicators: list[IndicatorData] | None = None,
    budgets: dict | None = None,
    expected_version: int | None = None,
) -> Programme:
    """Change a programme of a draft masterplan; refuse if it changed since the form showed `expected_version`.

    Parts left None stay as they are, but must still fit the programme's (possibly new) years.
    """
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
    missions = _check_missions(locked_plan, rpjmd_missions) if rpjmd_missions is not None else None
    old_pillar = locked.element.pillar_id
    for name, value in data.items():
        setattr(locked, name, value)
    locked.masterplan = locked_plan
    if locked.element.pillar_id != old_pillar or not locked.code:
        locked.code = programme_code_next(locked_plan, locked.element.pillar)  # the code names its pillar
    locked.version += 1
    locked.full_clean()
    save_indicators(locked, indicators if indicators is not None else indicator_data_of(locked))
    save_budgets(locked, budgets if budgets is not None else budgets_of(locked))
    locked.save()
    if submissions is not None:
        locked.submissions.set(chosen)
    if supporting_opds is not None:
        locked.supporting_opds.set(supporting_opds)
    if missions is not None:
        locked.rpjmd_missions.set(missions)
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=locked, action="programme_updated")
    return locked


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
