from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import KominfoAdminPermissions

from .forms import OpdImportForm
from .models import Opd, User
from .services.opd_import import OpdImportError, opd_import_csv


@admin.register(Opd)
class OpdAdmin(KominfoAdminPermissions, admin.ModelAdmin):
    list_display = ("code", "name", "short_name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "short_name")
    ordering = ("kind", "name")
    change_list_template = "admin/opd/opd/change_list.html"

    def has_delete_permission(self, request, obj=None) -> bool:
        # OPDs are deactivated, not deleted: their submissions and accounts must keep pointing at them.
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="opd_opd_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        form = OpdImportForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            try:
                result = opd_import_csv(data=form.cleaned_data["csv_file"].read())
            except OpdImportError as error:
                errors = error.errors
            else:
                messages.success(
                    request,
                    gettext("OPD list imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                    % {
                        "created": len(result.created),
                        "updated": len(result.updated),
                        "unchanged": len(result.unchanged),
                    },
                )
                return redirect(reverse("admin:opd_opd_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import OPD list"),
            "form": form,
            "import_errors": errors,
        }
        return TemplateResponse(request, "admin/opd/opd/import.html", context)


@admin.register(User)
class UserAdmin(KominfoAdminPermissions, DjangoUserAdmin):
    list_display = ("username", "get_full_name", "role", "opd", "is_active", "last_login")
    list_filter = ("role", "is_active", "opd__kind")
    list_select_related = ("opd",)
    search_fields = ("username", "first_name", "last_name", "email", "opd__name")
    # A plain select (50 OPDs): the autocomplete widget weighed ~900 KiB and queried with the raw posted value.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (_("Role"), {"fields": ("role", "opd", "is_active")}),
        (_("Superuser"), {"fields": ("is_superuser",)}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email", "role", "opd")}),
        (_("Password"), {"classes": ("wide",), "fields": ("password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser may make another: a Kominfo admin must not escalate.
            fields.append("is_superuser")
        return fields

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts are deactivated, not deleted, so the history of who did what stays readable.
        return False
