from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    default = True
    name = "mojokerto_portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals
        from django.db.models.signals import post_migrate

        from . import pagecache, security
        from .celery import ensure_broker_folders

        # The web process publishes tasks too, so the embedded broker's folders must exist here.
        ensure_broker_folders()
        # Logins, failed logins, logouts and lockouts go to the security log.
        auth_signals.user_logged_in.connect(security.on_user_logged_in, dispatch_uid="security_logged_in")
        auth_signals.user_logged_out.connect(security.on_user_logged_out, dispatch_uid="security_logged_out")
        auth_signals.user_login_failed.connect(security.on_user_login_failed, dispatch_uid="security_login_failed")
        user_locked_out.connect(security.on_user_locked_out, dispatch_uid="security_locked_out")
        # Every migrate ends by (re)installing the triggers that keep the page cache's data token current.
        post_migrate.connect(pagecache.on_post_migrate, sender=self, dispatch_uid="pagecache_triggers")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mojokerto_portal.sites.PortalAdminSite"
