"""Writes on the masterplan's parts beside its programmes: region profile, RPJMD, governance bodies."""

from ..models import GovernanceBody, GovernanceMember, Masterplan, RegionProfile, Rpjmd, RpjmdIndicator, RpjmdMission


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
