"""Admin permissions by role, and the security log and lockouts on the portal's admin site (sites.py)."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import SecurityEvent
from .security import access_attempts_unlock
from .sites import is_portal_admin

__all__ = ["KominfoAdminPermissions", "ReadOnlyForEveryone", "is_portal_admin"]


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


class ReadOnlyForEveryone:
    """ModelAdmin mixin: Kominfo admins may read; nobody, not even a superuser, may add, change or delete."""

    def has_module_permission(self, request) -> bool:
        return is_portal_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_portal_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyForEveryone, admin.ModelAdmin):
    list_display = ("created_at", "kind", "action", "username", "ip_address", "target_type", "target_label", "path")
    list_filter = ("kind", "created_at", "target_type")
    list_select_related = ("user",)
    search_fields = ("username", "ip_address", "target_label", "detail")
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """Failed logins per username and address; a Kominfo admin unlocks an account by removing its record."""

    actions = ["unlock_selected"]

    def has_module_permission(self, request) -> bool:
        return is_portal_admin(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return is_portal_admin(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return is_portal_admin(request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Unlock the selected accounts"), permissions=["delete"])
    def unlock_selected(self, request, queryset):
        count = access_attempts_unlock(attempts=queryset, by=request.user)
        self.message_user(
            request, ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", count) % {"count": count}
        )

    def delete_model(self, request, obj):
        access_attempts_unlock(attempts=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        access_attempts_unlock(attempts=queryset, by=request.user)
