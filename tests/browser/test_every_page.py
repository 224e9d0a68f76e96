"""Every page each role reaches, at desktop and phone width: axe-core finds nothing serious, nothing is wider
than a 360 px phone, no known English word shows in Indonesian mode; screenshots go to test-artifacts/.

The pages are found by walking each role's navigation and the links of the pages it leads to (tests/browser/
crawl.py), so a page another change adds is checked as soon as a menu or a page links to it.
"""

import re
from pathlib import Path

import pytest
from django.core.management import call_command

from demo.accounts import demo_accounts_create
from demo.bimtek import demo_bimtek_create
from demo.masterplan import demo_masterplan_create
from demo.submissions import demo_submissions_create
from opd.models import User
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.browser import crawl

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"
DESKTOP, PHONE = 1366, 360
# Bounded walk: the navigation (depth 1) and the links of those pages (depth 2), one page per URL shape.
PAGE_LIMIT = 45
MAIN_PAGES = 6  # the first pages of the walk (the navigation) are photographed, and one page of each object below
PHOTOGRAPHED_OBJECTS = re.compile(r"^/(masterplan|usulan|bimtek/tahap)/\d+/$")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_portal(transactional_db):
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)
    demo_submissions_create(password=PASSWORD)
    admin = User.objects.get(username="admin.kominfo")
    demo_masterplan_create(admin=admin)
    demo_bimtek_create(admin=admin)


def log_in(page, username: str) -> None:
    page.goto("/akun/masuk/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


class PageChecks:
    """The checks of one page at one width; the problems found, by kind."""

    def __init__(self, page, name: str, screenshot):
        self.page, self.name, self.screenshot = page, name, screenshot
        self.problems: dict[str, list[str]] = {}
        self.photographed: set[str] = set()

    def add(self, kind: str, found: list[str]) -> None:
        if found:
            self.problems.setdefault(kind, []).extend(found)

    def check(self, path: str, width: int) -> None:
        page = self.page
        self.add(
            "axe",
            [
                f"{width}px {path}: {violation['id']} ({violation['impact']}) {violation['nodes']}"
                for violation in crawl.axe_violations(page)
            ],
        )
        if width == PHONE and (document := crawl.document_width(page)) > PHONE:
            self.add("wider than the phone", [f"{path}: {document}px"])
        if width == DESKTOP:
            self.add("English", [f"{path}: {word}" for word in crawl.english_words(page)])
            if page.locator("option", has_text="---------").count():
                self.add("empty choice", [f"{path}: an empty choice shows “---------”"])
        is_main = len(self.photographed) < MAIN_PAGES or PHOTOGRAPHED_OBJECTS.match(path)
        if is_main or path in self.photographed:
            self.photographed.add(path)
            label = path.strip("/").replace("/", "-").replace("?", "-") or "home"
            self.screenshot(page, f"every-page-{self.name}-{label}-{'desktop' if width == DESKTOP else 'phone'}")

    def check_at_phone_width(self, pages: list[str]) -> None:
        self.page.set_viewport_size({"width": PHONE, "height": 900})
        for path in pages:
            response = self.page.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
            self.check(path, PHONE)


def new_context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": DESKTOP, "height": 900})
    context.set_default_timeout(15_000)
    crawl.inject_axe(context)
    return context


def report(problems: dict[str, list[str]]) -> str:
    return "\n".join(f"{kind}:\n  " + "\n  ".join(found) for kind, found in problems.items())


ROLES = ["staf.dinkes", "admin.kominfo", "pimpinan"]


def test_every_page_of_every_role_is_accessible_fits_a_phone_and_speaks_indonesian(
    browser, live_server, demo_portal, screenshot
):
    """One test for all roles: the demo data is built once (it is most of the time), one context per role."""
    problems: dict[str, list[str]] = {}
    checked = {}
    for username in ROLES:
        context = new_context(browser, live_server)
        page = context.new_page()
        checks = PageChecks(page, username, screenshot)
        try:
            log_in(page, username)
            pages = crawl.discover(
                page, live_server.url, ["/"], limit=PAGE_LIMIT, visit=lambda path, c=checks: c.check(path, DESKTOP)
            )
            checks.check_at_phone_width(pages)
        finally:
            context.close()
        checked[username] = len(pages)
        for kind, found in checks.problems.items():
            problems.setdefault(kind, []).extend(f"{username} {text}" for text in found)

    context = new_context(browser, live_server)
    page = context.new_page()
    checks = PageChecks(page, "anonymous", screenshot)
    anonymous = ["/akun/masuk/", "/bimtek/hadir/"]
    try:
        for path in anonymous:
            page.goto(path)
            checks.check(path, DESKTOP)
        checks.check_at_phone_width(anonymous)
    finally:
        context.close()
    for kind, found in checks.problems.items():
        problems.setdefault(kind, []).extend(f"anonymous {text}" for text in found)

    print(f"pages checked at {DESKTOP} and {PHONE} px: {checked}, anonymous {len(anonymous)}")
    # The walk really walked: each role's navigation leads to its five sections and their pages.
    assert min(checked.values()) >= 15, checked
    assert problems == {}, report(problems)


def test_the_axe_check_finds_a_real_violation(browser, live_server, transactional_db):
    """The check can fail: a page given an unlabelled field and grey-on-grey text is reported."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    crawl.inject_axe(context)
    page = context.new_page()
    try:
        page.goto("/akun/masuk/")
        page.evaluate(
            """() => {
              document.querySelector("label").remove();
              const p = document.createElement("p");
              p.textContent = "Submit";
              p.style.color = "#bbbbbb";
              p.style.backgroundColor = "#ffffff";
              document.querySelector("main").append(p);
            }"""
        )
        found = {violation["id"] for violation in crawl.axe_violations(page)}
        english = crawl.english_words(page)
    finally:
        context.close()
    assert {"color-contrast", "label"} <= found
    assert any("Submit" in word for word in english)
