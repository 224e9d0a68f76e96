"""The portal's own error pages (400, 403, 404, 500): Indonesian, in the portal's look, with a way back.

Django shows its English technical 404 page while DEBUG is on; an OPD operator on a development or
training server must not meet it, so PortalNotFoundInDebugMiddleware swaps it for the portal's page
(a superuser still gets Django's page, with the URL patterns a developer looks for).
"""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views import defaults

# A sentence only Django's technical 404 page carries (django/views/templates/technical_404.html).
TECHNICAL_404_MARK = b"DEBUG = True"


def _standalone(request, template: str, status: int):
    """Render an error page without the request's context processors: the request itself may be what broke."""
    context = {"PORTAL_NAME": settings.PORTAL_NAME, "REGION_NAME": settings.REGION_NAME}
    return render(None, template, context, status=status)


def bad_request(request, exception=None):
    """The 400 page (a malformed request: its body or headers could not be read)."""
    return _standalone(request, "400.html", 400)


def server_error(request):
    """The 500 page."""
    return _standalone(request, "500.html", 500)


class PortalNotFoundInDebugMiddleware:
    """With DEBUG on, answer the portal's 404 page where Django would show its technical one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and TECHNICAL_404_MARK in response.content
            and not getattr(getattr(request, "user", None), "is_superuser", False)
        ):
            return defaults.page_not_found(request, Http404())
        return response
