from pathlib import Path

import polib
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

PO_FILE = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def test_indonesian_catalogue_is_complete():
    catalog = polib.pofile(str(PO_FILE))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert len(catalog) > 100


@pytest.mark.django_db
def test_pages_are_in_indonesian_by_default(client):
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="id">' in content
    assert "Masuk" in content
    assert "Log in" not in content


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client, executive, pillars):
    client.force_login(executive)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Bupati&#x27;s office dashboard" in content or "Bupati's office dashboard" in content
    response = client.post(reverse("set_language"), {"language": "id", "next": reverse("home")}, follow=True)
    assert "Dasbor Kantor Bupati" in response.content.decode()


def test_numbers_and_dates_use_indonesian_format():
    import datetime

    template = Template("{% load humanize %}{{ number|intcomma }} {{ day|date:'j F Y' }}")
    with translation.override("id"):
        rendered = template.render(Context({"number": 1250000.5, "day": datetime.date(2026, 8, 17)}))
    assert rendered == "1.250.000,5 17 Agustus 2026"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1250000000, "Rp 1.250.000.000"), (0, "Rp 0"), (999, "Rp 999"), (None, "–"), ("abc", "–")],
)
def test_rupiah_filter(value, expected):
    rendered = Template("{% load portal %}{{ value|rupiah }}").render(Context({"value": value}))
    assert rendered == expected


def test_rupiah_filter_is_indonesian_in_english_too():
    with translation.override("en"):
        assert Template("{% load portal %}{{ 1500000|rupiah }}").render(Context()) == "Rp 1.500.000"


@pytest.mark.django_db
def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_indonesian(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="id">' in client.get(reverse("login")).content.decode()
