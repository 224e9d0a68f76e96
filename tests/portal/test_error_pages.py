"""The error pages an OPD operator may meet are Indonesian, in the portal's look, with a way back, DEBUG on or off."""

import pytest
from django.test import override_settings
from django.urls import reverse

from core import errors
from tests.opd.submission_factories import SubmissionFactory, fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_wrong_url_shows_the_portals_indonesian_404(client, staff_dinkes, debug):
    client.force_login(staff_dinkes)
    with override_settings(DEBUG=debug):
        response = client.get("/tidak-ada/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in page and "Kembali ke dasbor" in page and 'class="navbar portal-navbar' in page
    assert "DEBUG = True" not in page and "Page not found" not in page


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_another_opds_submission_shows_the_portals_404(client, staff_dlh, staff_dinkes, pillars, debug):
    """The access helper's Http404 (another OPD's object) too, not only an unknown URL."""
    other = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    client.force_login(staff_dlh)
    with override_settings(DEBUG=debug):
        response = client.get(reverse("submissions:detail", args=[other.pk]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_a_superuser_still_gets_djangos_technical_404_with_debug_on(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("dev", "dev@example.org", "x-dev-password-123"))
    with override_settings(DEBUG=True):
        response = client.get("/tidak-ada/")
    assert response.status_code == 404 and b"DEBUG = True" in response.content


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
def test_a_refusal_shows_the_portals_indonesian_403(client, staff_dinkes, debug):
    client.force_login(staff_dinkes)
    with override_settings(DEBUG=debug):
        response = client.get(reverse("masterplan:create"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "Tidak diizinkan" in page and "Kembali ke dasbor" in page


def test_the_400_and_500_pages_are_indonesian_with_a_way_back(rf):
    for view, status, heading in [
        (lambda request: errors.bad_request(request, Exception()), 400, "Permintaan tidak dapat dibaca"),
        (errors.server_error, 500, "Terjadi kesalahan pada server"),
    ]:
        response = view(rf.get("/"))
        page = response.content.decode()
        assert response.status_code == status
        assert heading in page and "Kembali ke dasbor" in page and 'href="/"' in page
        assert "portal.css" in page and '<html lang="id">' in page


def test_the_root_urls_use_the_portals_handlers():
    from mojokerto_portal import urls

    assert urls.handler400 == "core.errors.bad_request"
    assert urls.handler500 == "core.errors.server_error"
