"""Who may do what: the role predicates every app asks, and the view decorators built on them.

Each domain app adds the predicates and the one `access_<thing>(user, pk, *, write=...)` loader of its
own objects in its `access.py`, built on these; views are guarded by `allowed_if(<predicate>)`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from .roles import Role


def is_opd_staff(user) -> bool:
    """Return whether the user works for one OPD (and sees only its work)."""
    return user.is_authenticated and user.role == Role.OPD_STAFF


def is_kominfo_admin(user) -> bool:
    """Return whether the user reviews and assembles (superusers count as Kominfo admins)."""
    return user.is_authenticated and (user.role == Role.KOMINFO_ADMIN or user.is_superuser)


def is_executive(user) -> bool:
    """Return whether the user is in the Bupati's office (reads everything, changes nothing)."""
    return user.is_authenticated and user.role == Role.EXECUTIVE


def reads_every_opd(user) -> bool:
    """Return whether the user may read the work of every OPD (Kominfo and the Bupati's office)."""
    return is_kominfo_admin(user) or is_executive(user)


def has_a_role(user) -> bool:
    """Return whether the user holds one of the portal's roles (a superuser counts as a Kominfo admin)."""
    return is_opd_staff(user) or is_kominfo_admin(user) or is_executive(user)


def allowed_if(predicate):
    """Let through logged-in users the predicate accepts; refuse the others with 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
