"""The weight of a page as served in production: compressed static files, cached for good once hashed."""

import gzip
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

# A first visit on a slow office line: the HTML and every asset it loads, compressed.
FIRST_VISIT_BUDGET = 150 * 1024
MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


STATIC = Path(__file__).resolve().parents[2] / "static"
SOURCE_MAP_COMMENT = re.compile(r"\n?/[*/]# sourceMappingURL=[^\n]*")


@pytest.fixture
def collected(tmp_path, settings):
    """Collect the static files as the deployment does: hashed names, brotli and gzip copies.

    Without the source maps (and the comments naming them) and the PDF fonts, which no page loads:
    compressing those would take most of the test's time.
    """
    source = tmp_path / "source"
    shutil.copytree(STATIC, source, ignore=shutil.ignore_patterns("*.map", "fonts"))
    for path in [*source.rglob("*.css"), *source.rglob("*.js")]:
        path.write_text(SOURCE_MAP_COMMENT.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    settings.STATICFILES_DIRS = [source]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = MANIFEST
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_a_first_visit_weighs_under_150_kib_and_a_repeat_visit_only_the_html(collected, staff_dinkes):
    client = Client()
    client.force_login(staff_dinkes)
    html = client.get(reverse("submissions:list")).content
    assets = sorted(set(re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)))
    assert any(b"bootstrap" in asset for asset in assets) and any(b"htmx" in asset for asset in assets)
    # The full Bootstrap JavaScript is not loaded: the menus are <details> and need none.
    assert not any(b"bootstrap.bundle" in asset for asset in assets)

    total = len(gzip.compress(html))
    for asset in assets:
        response = client.get(asset.decode(), HTTP_ACCEPT_ENCODING="br, gzip")
        assert response.status_code == 200, asset
        assert response.headers.get("Content-Encoding") == "br" or asset.endswith(b".svg"), asset
        # Hashed names never change content: the browser keeps them and asks again only for the HTML.
        assert (
            "immutable" in response.headers["Cache-Control"]
            and "max-age=315360000" in response.headers["Cache-Control"]
        ), asset
        total += len(b"".join(response.streaming_content))
    assert total <= FIRST_VISIT_BUDGET, f"{total / 1024:.1f} KiB"
