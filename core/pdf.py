"""HTML to PDF with WeasyPrint's public API, fed only by the portal's own bundled static files.

Every PDF of the portal is laid out here, whichever app writes its HTML.
"""

import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Templates and stylesheets name their assets as bundled:/fonts/..., never by file path or host.
STATIC_SCHEME = "bundled"


def bundled_url(path: str) -> str:
    """Return the bundled: URL of a file under the static folder (e.g. the region's logo)."""
    return f"{STATIC_SCHEME}:/{path.lstrip('/')}"


class ResourceRefused(ValueError):
    """A URL the PDF may not load; WeasyPrint logs it and leaves the resource out."""


class StaticOnlyFetcher(URLFetcher):
    """Serve the portal's bundled static files (bundled:/path) and data: URIs; refuse everything else.

    A document holds text typed by many people: whatever ends up in the HTML must not make the
    worker read local files or call other machines (file://, http://127.0.0.1, redirects).
    """

    def __init__(self, root: Path | str | None = None):
        super().__init__(allowed_protocols={"data"}, allow_redirects=False)
        self.root = Path(root or settings.STATICFILES_DIRS[0]).resolve()

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)  # decoded by urllib's data: handler, nothing is fetched
        if scheme != STATIC_SCHEME:
            raise ResourceRefused(f"refused to load {url[:100]!r}: only bundled static files may be used")
        path = self.static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def static_path(self, url: str) -> Path:
        """Return the bundled file a bundled: URL names, refusing anything outside the static folder."""
        parts = urlsplit(url)
        relative = unquote(parts.path)
        segments = relative.replace("\\", "/").split("/")
        if parts.netloc or parts.query or "\x00" in relative or ".." in segments:
            raise ResourceRefused(f"refused to load {url[:100]!r}: not a plain static path")
        path = (self.root / relative.lstrip("/")).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise ResourceRefused(f"refused to load {url[:100]!r}: no such bundled static file")
        return path


def render_html_pdf(html: str, *, on_layout: Callable[[], None] | None = None) -> tuple[bytes, int]:
    """Lay out an HTML string, loading nothing but bundled static files; return (PDF bytes, page count)."""
    document = HTML(string=html, url_fetcher=StaticOnlyFetcher(), media_type="print").render()
    if on_layout:
        on_layout()
    return document.write_pdf(), len(document.pages)
