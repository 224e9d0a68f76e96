"""The Django admin, opened to Kominfo admins by role rather than by the is_staff flag."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


def is_portal_admin(user) -> bool:
    """Return whether the user may manage OPDs and accounts."""
    return bool(user.is_active and user.is_authenticated and getattr(user, "is_kominfo_admin", False))


class PortalAdminSite(admin.AdminSite):
    site_header = _("Portal administration")
    site_title = _("Portal administration")
    index_title = _("Manage OPDs and accounts")

    def has_permission(self, request) -> bool:
        return is_portal_admin(request.user)


class KominfoAdminPermissions:
    """ModelAdmin mixin: Kominfo admins may view, add, change and delete."""

    def has_module_permission(self, request) -> bool:
        return is_portal_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_portal_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return is_portal_admin(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return is_portal_admin(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_portal_admin(request.user)
