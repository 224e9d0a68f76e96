"""The portal works on an intranet: every asset is vendored, no page links to the internet."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_vendored_assets_ship_with_their_licences():
    for folder in ["bootstrap", "htmx"]:
        assert (ROOT / "static" / "vendor" / folder / "LICENSE").is_file()
    assert (ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css").stat().st_size > 100_000
    assert (ROOT / "static" / "vendor" / "htmx" / "htmx.min.js").stat().st_size > 10_000


def test_templates_have_no_external_links_and_no_inline_scripts_or_styles():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"inline script in {template}"
        assert " style=" not in text and "<style" not in text, f"inline style in {template}"


@pytest.mark.django_db
def test_rendered_pages_load_assets_only_from_static(client, kominfo_admin, pillars):
    client.force_login(kominfo_admin)
    for url in [reverse("home"), reverse("pillars:list"), reverse("password_change")]:
        content = client.get(url).content.decode()
        for asset in re.findall(r"(?:src|href)=\"([^\"#]+)\"", content):
            assert asset.startswith("/"), f"{url} loads {asset}"
