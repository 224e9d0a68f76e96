"""Named users and OPDs shared by every test, and the headless Chromium fixtures."""

import os
from pathlib import Path

import pytest

from core.roles import Role
from opd.models import Opd
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.factories import TEST_PASSWORD, OpdFactory, UserFactory
from tests.services import CHROMIUM_PATH, need

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def job_scratch_folder(settings, tmp_path_factory) -> Path:
    """Each test's jobs write their half-made files in a folder of its own, not under var/."""
    settings.JOB_SCRATCH_DIR = tmp_path_factory.mktemp("scratch")
    return settings.JOB_SCRATCH_DIR


@pytest.fixture
def pillars(db):
    """Make sure the reference pillars exist (a transactional test's flush may have removed them)."""
    load_pillars(Pillar, Element)
    return list(Pillar.objects.prefetch_related("elements"))


@pytest.fixture
def dinkes(db) -> Opd:
    return OpdFactory(code="DINKES", name="Dinas Kesehatan", short_name="Dinkes", kind=Opd.Kind.DINAS)


@pytest.fixture
def dlh(db) -> Opd:
    return OpdFactory(code="DLH", name="Dinas Lingkungan Hidup", short_name="DLH", kind=Opd.Kind.DINAS)


@pytest.fixture
def staff_dinkes(dinkes):
    return UserFactory(username="staf.dinkes", role=Role.OPD_STAFF, opd=dinkes, first_name="Staf", last_name="Dinkes")


@pytest.fixture
def staff_dlh(dlh):
    return UserFactory(username="staf.dlh", role=Role.OPD_STAFF, opd=dlh, first_name="Staf", last_name="DLH")


@pytest.fixture
def kominfo_admin(db):
    return UserFactory(username="admin.kominfo", role=Role.KOMINFO_ADMIN, first_name="Admin", last_name="Kominfo")


@pytest.fixture
def executive(db):
    return UserFactory(username="pimpinan", role=Role.EXECUTIVE, first_name="Pimpinan", last_name="Bupati")


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright; never a downloaded browser."""
    need(os.path.exists(CHROMIUM_PATH), f"Chromium is not installed at {CHROMIUM_PATH}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) pointed at the live test server."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""

    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
