from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "core"
    verbose_name = "Portal"

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import signals as auth_signals
        from django.core.signals import request_started

        from . import http, security

        # The embedded default database lives in a file under var/, which a fresh checkout does not have.
        for database in settings.DATABASES.values():
            if database["ENGINE"].endswith("sqlite3") and str(database["NAME"]) != ":memory:":
                Path(database["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Logins, failed logins, logouts and lockouts go to the security log.
        auth_signals.user_logged_in.connect(security.on_user_logged_in, dispatch_uid="security_logged_in")
        auth_signals.user_logged_out.connect(security.on_user_logged_out, dispatch_uid="security_logged_out")
        auth_signals.user_login_failed.connect(security.on_user_login_failed, dispatch_uid="security_login_failed")
        user_locked_out.connect(security.on_user_locked_out, dispatch_uid="security_locked_out")
        # A Content-Type Django cannot parse is set aside before the request is built (see core/http.py).
        request_started.connect(http.content_type_guard, dispatch_uid="content_type_guard")


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "core.sites.PortalAdminSite"
