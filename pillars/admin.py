from django.contrib import admin

from core.admin import KominfoAdminPermissions

from .models import Element, Pillar


class ElementInline(KominfoAdminPermissions, admin.TabularInline):
    model = Element
    extra = 0
    fields = ("code", "order", "name_id", "name_en", "description_id", "description_en")
    readonly_fields = ("code", "order")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Pillar)
class PillarAdmin(KominfoAdminPermissions, admin.ModelAdmin):
    list_display = ("code", "order", "name_id", "name_en")
    inlines = [ElementInline]

    def has_add_permission(self, request) -> bool:
        # The six pillars are fixed by the national programme; only their texts may be edited.
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
