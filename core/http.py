"""Requests refused before any view reads them: a body too large, a charset other than UTF-8, a malformed header.

Django would answer these with a 500 (it builds the request from a malformed Content-Type and fails, or
refuses a non-UTF-8 form body and then fails again reading it for the CSRF check or the debug page).
`RequestGuardMiddleware` runs first and answers them with a clear 400 or 413 page instead, whether
DEBUG is on or off; `content_type_guard` (connected to `request_started` in CoreConfig.ready) sets a
malformed header aside before Django parses it, so the request can be built at all.
"""

import codecs

from django.conf import settings
from django.shortcuts import render
from django.utils.http import parse_header_parameters
from django.utils.translation import gettext as _

REFUSED_CONTENT_TYPE = "portal.refused_content_type"
# The charsets a form body may declare: the portal's pages send UTF-8 (ASCII is a subset of it).
ACCEPTED_CHARSETS = {"utf-8", "ascii"}
METHODS_WITH_A_BODY = {"POST", "PUT", "PATCH", "DELETE"}


def content_type_guard(sender, environ=None, **kwargs) -> None:
    """Set aside a Content-Type header Django cannot parse (marking the request), before the request is built."""
    if not environ or not environ.get("CONTENT_TYPE"):
        return
    try:
        parse_header_parameters(environ["CONTENT_TYPE"])
    except ValueError:
        environ[REFUSED_CONTENT_TYPE] = environ["CONTENT_TYPE"]
        environ["CONTENT_TYPE"] = "application/octet-stream"


def request_body_limit(content_type: str) -> int:
    """Return the largest body the portal reads: file uploads up to a few attachments, other forms far less."""
    if content_type == "multipart/form-data":
        return settings.REQUEST_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_charset_refused(request) -> bool:
    """Return whether the request's body declares a charset other than UTF-8."""
    charset = request.content_params.get("charset") if request.content_params else None
    if not charset or request.method not in METHODS_WITH_A_BODY:
        return False
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return True
    return name not in ACCEPTED_CHARSETS


def request_refused(request, message: str, *, status: int = 400):
    """Answer with the portal's page for a refused request (it reads nothing of the request's body)."""
    return render(request, "request_refused.html", {"message": message, "status": status}, status=status)


class RequestGuardMiddleware:
    """Refuse, before anything reads the body, a request the portal cannot read safely (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REFUSED_CONTENT_TYPE in request.META:
            return request_refused(request, _("The request's Content-Type header is malformed."))
        if declared_charset_refused(request):
            return request_refused(request, _("The portal only reads forms sent in UTF-8."))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return request_refused(request, _("The request's Content-Length header is malformed."))
        limit = request_body_limit(request.content_type)
        if length > limit:
            return request_refused(
                request,
                _(
                    "What was sent is too large (%(size)s MB; at most %(limit)s MB at once). "
                    "Send fewer or smaller files."
                )
                % {"size": _megabytes(length), "limit": _megabytes(limit)},
                status=413,
            )
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return f"{size / 1048576:.1f}".replace(".", ",")
