"""A person logs in through headless Chromium as each demo role and sees the right dashboard."""

from pathlib import Path

import pytest
from django.core.management import call_command

from demo.accounts import demo_accounts_create
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
DEMO_PASSWORD = "demo-browser-2026"

ROLES = [
    ("admin.kominfo", "dashboard-kominfo-admin", "Dasbor Admin Kominfo"),
    ("staf.dinkes", "dashboard-opd-staff", "Dinas Kesehatan"),
    ("staf.dlh", "dashboard-opd-staff", "Dinas Lingkungan Hidup"),
    ("pimpinan", "dashboard-executive", "Dasbor Kantor Bupati"),
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_portal(transactional_db):
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=DEMO_PASSWORD)


def log_in(page, username: str) -> None:
    page.goto("/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()


@pytest.mark.parametrize(("username", "testid", "heading"), ROLES, ids=[r[0] for r in ROLES])
def test_demo_role_logs_in_and_sees_its_dashboard(page, demo_portal, screenshot, username, testid, heading):
    log_in(page, username)
    page.get_by_test_id(testid).wait_for()
    assert heading in page.get_by_test_id(testid).inner_text()
    assert page.locator("html").get_attribute("lang") == "id"
    screenshot(page, f"dashboard-{username}")
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("heading", name="Masuk").wait_for()


def test_wrong_password_is_explained_in_indonesian(page, demo_portal, screenshot):
    page.goto("/")
    page.get_by_label("Nama pengguna").fill("staf.dinkes")
    page.get_by_label("Kata sandi").fill("salah")
    page.get_by_role("button", name="Masuk").click()
    summary = page.get_by_test_id("error-summary")
    summary.wait_for()
    assert "Masukkan nama pengguna dan kata sandi yang benar." in summary.inner_text()
    screenshot(page, "login-error")


def test_language_switch_to_english(page, demo_portal, screenshot):
    log_in(page, "pimpinan")
    page.get_by_role("button", name="EN").click()
    page.get_by_text("Bupati's office dashboard").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "dashboard-pimpinan-en")
    page.get_by_role("button", name="ID").click()
    page.get_by_text("Dasbor Kantor Bupati").wait_for()
