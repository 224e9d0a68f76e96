"""Reads for the dashboards, each a fixed number of queries whatever the data size."""

from django.db.models import Count, Q

from core.roles import Role
from opd.models import Opd, User
from pillars.models import Element, Pillar


def pillars_with_elements() -> list[Pillar]:
    """Return the pillars in order, each with its elements in order as `element_list`, in one query.

    Every pillar of the reference data has elements; one without any would not be listed.
    """
    pillars: dict[int, Pillar] = {}
    for element in Element.objects.select_related("pillar"):
        pillar = pillars.setdefault(element.pillar_id, element.pillar)
        pillar.__dict__.setdefault("element_list", []).append(element)
    return list(pillars.values())


def opd_overview() -> dict:
    """Return OPD counts by kind and the active OPDs that have no active staff account yet."""
    by_kind = {
        row["kind"]: row["total"]
        for row in Opd.objects.filter(is_active=True).values("kind").annotate(total=Count("id"))
    }
    kinds = [(label, by_kind.get(value, 0)) for value, label in Opd.Kind.choices]
    without_staff = list(
        Opd.objects.filter(is_active=True)
        .annotate(active_staff=Count("staff", filter=Q(staff__is_active=True)))
        .filter(active_staff=0)
        .order_by("kind", "name")
    )
    return {"kinds": kinds, "total": sum(by_kind.values()), "without_staff": without_staff}


def account_counts() -> list[tuple[str, int]]:
    """Return the number of active accounts per role, in the order of the roles."""
    counts = {
        row["role"]: row["total"]
        for row in User.objects.filter(is_active=True).values("role").annotate(total=Count("id"))
    }
    return [(label, counts.get(value, 0)) for value, label in Role.choices]
