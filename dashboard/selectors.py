"""Reads for the dashboards, each a fixed number of queries whatever the data size."""

from django.db.models import Count, Q

from core.roles import Role
from opd.models import Opd, User
from pillars.models import Pillar


def pillars_with_elements():
    """Return the pillars in order, their elements prefetched."""
    return Pillar.objects.prefetch_related("elements")


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
