"""With JavaScript off, the navigation, the user menu and the phone menu open, and logging out works (a POST)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from demo.accounts import demo_accounts_create
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def accounts(transactional_db):
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)


@pytest.fixture
def no_script_page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def test_the_user_menu_opens_and_logs_out_without_javascript(no_script_page, accounts, screenshot):
    page = no_script_page
    log_in(page, "staf.dinkes")
    menu = page.get_by_test_id("user-menu")
    menu.click()
    screenshot(page, "no-javascript-user-menu-desktop")
    page.get_by_role("link", name="Ubah kata sandi").click()
    page.get_by_role("heading", name="Ubah kata sandi").wait_for()
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Keluar").click()
    page.get_by_role("heading", name="Masuk").wait_for()
    assert "/akun/masuk/" in page.url


def test_the_phone_menu_opens_navigates_and_logs_out_without_javascript(no_script_page, accounts, screenshot):
    page = no_script_page
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, "pimpinan")
    phone_menu = page.locator(".phone-menu-panel")
    assert not phone_menu.is_visible()
    page.get_by_test_id("phone-menu").click()
    assert phone_menu.is_visible()
    screenshot(page, "no-javascript-phone-menu")
    phone_menu.get_by_role("link", name="Masterplan", exact=True).click()
    page.wait_for_url("**/masterplan/")
    page.get_by_test_id("phone-menu").click()
    page.locator(".phone-menu-panel").get_by_role("button", name="Keluar").click()
    page.get_by_role("heading", name="Masuk").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
