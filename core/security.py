"""Security of the portal: the security log, session timeouts, the lockout page and the 403 handler.

`security_event_record` is the one way to write the security log. A call inside a service's atomic
block is rolled back with the change it describes, so a change that did not happen logs nothing.
"""

import ipaddress
import time
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import defaults
from django_htmx.http import HttpResponseClientRedirect

from .models import SecurityEvent

Kind = SecurityEvent.Kind
LOGIN_AT = "security_login_at"
SEEN_AT = "security_seen_at"
# The last-seen time is written at most this often, so that not every request writes the session.
SEEN_RESOLUTION_SECONDS = 60

_current_request: ContextVar = ContextVar("security_current_request", default=None)


def client_ip(request) -> str | None:
    """Return the client's address: the entry the HTTPS proxy added when behind one, else the peer's."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        # The proxy appends the address it saw; anything before it came from the client and can be forged.
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def security_event_record(
    *, kind: str, request=None, user=None, target=None, action: str = "", detail: str = "", username: str = ""
) -> SecurityEvent:
    """Write one line of the security log; the request (or the one being served) gives the address and path."""
    request = request if request is not None else _current_request.get()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        kind=kind,
        action=action[:60],
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        ip_address=client_ip(request) if request is not None else None,
        path=request.path[:500] if request is not None else "",
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None and target.pk is not None else "",
        target_label=str(target)[:300] if target is not None else "",
        detail=str(detail),
    )


SECURITY_LOG_PAGE_SIZE = 50


def security_events(*, kind: str = "", username: str = ""):
    """Return the security log, newest first, of one kind and/or one username (exact, any case) when given."""
    events = SecurityEvent.objects.select_related("user").order_by("-created_at", "-pk")
    if kind in SecurityEvent.Kind.values:
        events = events.filter(kind=kind)
    if username:
        events = events.filter(username__iexact=username)
    return events


def access_attempts_unlock(*, attempts, by) -> int:
    """Unlock the accounts of these failed-login records (django-axes AccessAttempt) and log who did it."""
    count = 0
    for attempt in attempts:
        security_event_record(
            kind=Kind.UNLOCKED,
            user=by,
            action="unlock",
            detail=_("Unlocked %(username)s from %(ip)s after %(failures)d failed logins.")
            % {"username": attempt.username, "ip": attempt.ip_address, "failures": attempt.failures_since_start},
        )
        attempt.delete()
        count += 1
    return count


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins: this account is locked for %(minutes)d minutes. "
        "Try again later, or ask a Kominfo admin to unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """Answer a locked-out login: the login page with its message (see LoginForm), else a redirect to it."""
    match = getattr(request, "resolver_match", None)
    if original_response is not None and match is not None and match.url_name == "login":
        original_response.status_code = 429
        return original_response
    messages.error(request, lockout_message())
    return redirect(settings.LOGIN_URL)


def permission_denied(request, exception=None):
    """The 403 page, logged."""
    security_event_record(kind=Kind.PERMISSION_DENIED, request=request, detail=str(exception or ""))
    return defaults.permission_denied(request, exception)


# --- Signals of django.contrib.auth and django-axes (connected in PortalConfig.ready) ---------------


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
    security_event_record(kind=Kind.LOGIN, request=request, user=user)


def on_user_logged_out(sender, request, user, **kwargs):
    reason = getattr(request, "security_logout_reason", "")
    kind = Kind.SESSION_EXPIRED if reason else Kind.LOGOUT
    security_event_record(kind=kind, request=request, user=user, action=reason)


def on_user_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(get_user_model().USERNAME_FIELD) or "")
    user = get_user_model().objects.filter(username=username).first() if username else None
    locked = bool(getattr(request, "axes_locked_out", False))
    security_event_record(
        kind=Kind.LOGIN_FAILED,
        request=request,
        user=user,
        username=username,
        action="refused_while_locked" if locked else "wrong_credentials",
    )


def on_user_locked_out(sender, request, username, ip_address, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    security_event_record(
        kind=Kind.LOCKED_OUT,
        request=request,
        user=user,
        username=username or "",
        detail=_("Locked for %(minutes)d minutes after %(limit)d failed logins.")
        % {"minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), "limit": settings.AXES_FAILURE_LIMIT},
    )


# --- Middleware ------------------------------------------------------------------------------------


class RequestContextMiddleware:
    """Remember the request being served, so that services can log its address and path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(token)


class SessionTimeoutMiddleware:
    """End a session idle for SESSION_IDLE_SECONDS, and any session SESSION_MAX_SECONDS after its login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
            if login_at is None or seen_at is None:
                session[LOGIN_AT] = session[SEEN_AT] = now
            elif now - seen_at > settings.SESSION_IDLE_SECONDS:
                return self.expire(
                    request,
                    "idle",
                    _("You were logged out after %(minutes)d minutes without activity. Log in again to continue.")
                    % {"minutes": settings.SESSION_IDLE_SECONDS // 60},
                )
            elif now - login_at > settings.SESSION_MAX_SECONDS:
                return self.expire(
                    request,
                    "absolute",
                    _("For your security, a session lasts at most %(hours)d hours. Log in again to continue.")
                    % {"hours": settings.SESSION_MAX_SECONDS // 3600},
                )
            elif now - seen_at >= SEEN_RESOLUTION_SECONDS:
                session[SEEN_AT] = now
        return self.get_response(request)

    def expire(self, request, reason: str, message: str):
        request.security_logout_reason = reason
        logout(request)
        messages.info(request, message)
        response = redirect_to_login(request.get_full_path())
        if getattr(request, "htmx", False):
            # A redirect would be swapped into the page fragment; ask htmx to load the login page instead.
            return HttpResponseClientRedirect(response.url)
        return response
