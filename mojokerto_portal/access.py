"""Who may open which page: login and role checks for views."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from opd.models import Role


def role_required(*roles: str):
    """Let through logged-in users with one of the roles (superusers count as Kominfo admins)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            user = request.user
            allowed = user.role in roles or (Role.KOMINFO_ADMIN in roles and user.is_superuser)
            if not allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
