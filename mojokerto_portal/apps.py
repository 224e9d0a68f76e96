from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    default = True
    name = "mojokerto_portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from .celery import ensure_broker_folders

        # The web process publishes tasks too, so the embedded broker's folders must exist here.
        ensure_broker_folders()


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mojokerto_portal.admin.PortalAdminSite"
