"""The Django admin site, open to superusers only: Kominfo's everyday account and OPD work has portal pages.

Its own module (not admin.py): admin.py registers models on this site, which must exist by then.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def is_portal_admin(user) -> bool:
    """Return whether the user may use the Django admin (superusers only; Kominfo admins use the portal's pages)."""
    return bool(user.is_active and user.is_authenticated and user.is_superuser)


class PortalAdminSite(admin.AdminSite):
    site_header = _("Portal administration")
    site_title = _("Portal administration")
    index_title = _("Manage OPDs and accounts")

    def has_permission(self, request) -> bool:
        return is_portal_admin(request.user)

    @login_not_required
    def login(self, request, extra_context=None):
        """Send people to the portal's own login page, where lockouts are explained."""
        if request.user.is_authenticated:
            # Logged in but not a superuser: a refusal, logged like any other.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), settings.LOGIN_URL)
