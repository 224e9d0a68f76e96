"""Writes on the masterplan's parts beside its programmes: region profile, RPJMD, governance bodies."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.security import security_event_record
from opd.models import User

from ..models import GovernanceBody, GovernanceMember, Masterplan, RegionProfile, Rpjmd, RpjmdIndicator, RpjmdMission
from ..models.region import MAX_BODY_MEMBERS, MAX_RPJMD_INDICATORS, MAX_RPJMD_MISSIONS
from .common import MASTERPLAN_CHANGED, _check_writer, _locked_draft


def copy_region_parts(source: Masterplan, copy: Masterplan) -> dict[int, RpjmdMission]:
    """Copy the profile, the RPJMD (missions, IKU) and the governance bodies; return {old mission id: new mission}."""
    profile = RegionProfile.objects.filter(masterplan=source).first()
    if profile is not None:
        profile.pk, profile.masterplan = None, copy
        profile.save()
    missions: dict[int, RpjmdMission] = {}
    rpjmd = Rpjmd.objects.filter(masterplan=source).prefetch_related("missions", "indicators").first()
    if rpjmd is not None:
        old_missions, indicators = list(rpjmd.missions.all()), list(rpjmd.indicators.all())
        rpjmd.pk, rpjmd.masterplan = None, copy
        rpjmd._prefetched_objects_cache = {}
        rpjmd.save()
        for mission in old_missions:
            old_pk = mission.pk
            mission.pk, mission.rpjmd = None, rpjmd
            mission.save()
            missions[old_pk] = mission
        for indicator in indicators:
            indicator.pk, indicator.rpjmd = None, rpjmd
        RpjmdIndicator.objects.bulk_create(indicators)
    for body in GovernanceBody.objects.filter(masterplan=source).prefetch_related("members"):
        members = list(body.members.all())
        body.pk, body.masterplan = None, copy
        body._prefetched_objects_cache = {}
        body.save()
        for member in members:
            member.pk, member.body = None, body
        GovernanceMember.objects.bulk_create(members)
    return missions


def _record(by: User, target, action: str) -> None:
    security_event_record(kind=MASTERPLAN_CHANGED, user=by, target=target, action=action)


@transaction.atomic
def profile_save(*, masterplan: Masterplan, by: User, data: dict) -> RegionProfile:
    """Create or change the region profile of a draft masterplan."""
    _check_writer(by)
    locked = _locked_draft(masterplan)
    profile = RegionProfile.objects.filter(masterplan=locked).first() or RegionProfile(masterplan=locked)
    for name, value in data.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    _record(by, profile, "profile_saved")
    return profile


@transaction.atomic
def rpjmd_save(
    *, masterplan: Masterplan, by: User, data: dict, missions: list[tuple[int, str]], indicators: list[dict]
) -> Rpjmd:
    """Create or change the RPJMD: its period and vision, its numbered missions and its key indicators (IKU).

    A mission keeps its row (and the programmes linked to it) while its number stays; a mission left out goes,
    and the programmes it served no longer point at it.
    """
    _check_writer(by)
    locked = _locked_draft(masterplan)
    numbers = [number for number, _text in missions]
    if len(set(numbers)) != len(numbers):
        raise ValidationError({"missions": _("Two missions have the same number; number each mission once.")})
    if not missions:
        raise ValidationError({"missions": _("Write at least one mission of the RPJMD.")})
    if len(missions) > MAX_RPJMD_MISSIONS:
        raise ValidationError(
            {"missions": _("An RPJMD holds at most %(count)d missions.") % {"count": MAX_RPJMD_MISSIONS}}
        )
    if len(indicators) > MAX_RPJMD_INDICATORS:
        raise ValidationError(
            {"indicators": _("An RPJMD holds at most %(count)d key indicators.") % {"count": MAX_RPJMD_INDICATORS}}
        )
    rpjmd = Rpjmd.objects.filter(masterplan=locked).first() or Rpjmd(masterplan=locked)
    for name, value in data.items():
        setattr(rpjmd, name, value)
    rpjmd.full_clean()
    rpjmd.save()
    existing = {mission.number: mission for mission in rpjmd.missions.all()}
    RpjmdMission.objects.filter(rpjmd=rpjmd).exclude(number__in=numbers).delete()
    for number, text in missions:
        mission = existing.get(number) or RpjmdMission(rpjmd=rpjmd, number=number)
        mission.text = text
        mission.full_clean()
        mission.save()
    rpjmd.indicators.all().delete()
    rows = [RpjmdIndicator(rpjmd=rpjmd, order=order, **values) for order, values in enumerate(indicators, start=1)]
    for row in rows:
        row.full_clean(exclude=["rpjmd"])
    RpjmdIndicator.objects.bulk_create(rows)
    _record(by, rpjmd, "rpjmd_saved")
    return rpjmd


@transaction.atomic
def governance_body_save(
    *, masterplan: Masterplan, by: User, kind: str, data: dict, members: list[dict]
) -> GovernanceBody:
    """Create or change the Dewan Smart City or the Tim Pelaksana: its decree and its members, in order."""
    _check_writer(by)
    locked = _locked_draft(masterplan)
    if kind not in GovernanceBody.Kind.values:
        raise ValidationError(_("Choose the Dewan Smart City or the Tim Pelaksana."))
    if len(members) > MAX_BODY_MEMBERS:
        raise ValidationError({"members": _("A body holds at most %(count)d members.") % {"count": MAX_BODY_MEMBERS}})
    body = GovernanceBody.objects.filter(masterplan=locked, kind=kind).first() or GovernanceBody(
        masterplan=locked, kind=kind
    )
    for name, value in data.items():
        setattr(body, name, value)
    body.full_clean()
    body.save()
    body.members.all().delete()
    rows = []
    for order, values in enumerate(members, start=1):
        row = GovernanceMember(body=body, order=order, **values)
        if row.opd_id and row.outside_party:
            raise ValidationError(
                {
                    "members": _("A member comes from an OPD or from an outside party, not both: %(name)s.")
                    % {"name": row.name}
                }
            )
        row.full_clean()
        rows.append(row)
    GovernanceMember.objects.bulk_create(rows)
    _record(by, body, "governance_saved")
    return body
