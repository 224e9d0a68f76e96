"""Every main page, as each role sees it in Chromium, runs under the Content Security Policy without a violation."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo.accounts import demo_accounts_create
from demo.masterplan import demo_masterplan_create
from demo.submissions import demo_submissions_create
from masterplan.models import Masterplan
from opd.models import Opd, Submission, SubmissionStatus, User
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Collects what the browser refused, whatever the page's own scripts do (an init script is not subject to the CSP).
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sample || ""));
});
"""


@pytest.fixture
def demo_portal(transactional_db):
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)
    demo_submissions_create(password=PASSWORD)
    demo_masterplan_create(admin=User.objects.get(username="admin.kominfo"))


def main_pages(username: str) -> list[str]:
    """Return the main pages of the user's role, with real objects of the demo data."""
    user = User.objects.get(username=username)
    pillar = Pillar.objects.order_by("order").first()
    masterplan = Masterplan.objects.order_by("pk").first()
    pages = [
        reverse("home"),
        reverse("pillars:list"),
        reverse("pillars:detail", args=[pillar.code.lower()]),
        reverse("submissions:list"),
        reverse("masterplan:list"),
        reverse("masterplan:detail", args=[masterplan.pk]),
    ]
    if user.is_opd_staff:
        own = Submission.objects.filter(opd=user.opd).order_by("pk").first()
        pages += [reverse("submissions:create")]
        if own is not None:
            pages += [reverse("submissions:detail", args=[own.pk]), reverse("submissions:history", args=[own.pk])]
        return pages
    sent = Submission.objects.filter(reference__isnull=False).order_by("pk").first()
    pages += [reverse("submissions:detail", args=[sent.pk]), reverse("submissions:history", args=[sent.pk])]
    if user.is_kominfo_admin:
        awaiting = Submission.objects.filter(status=SubmissionStatus.SUBMITTED).first()
        programme = masterplan.programmes.order_by("pk").first()
        pages += [
            reverse("submissions:list") + "?status=submitted",
            reverse("submissions:detail", args=[awaiting.pk]) if awaiting else reverse("submissions:list"),
            reverse("masterplan:edit", args=[masterplan.pk]),
            reverse("masterplan:assembly", args=[masterplan.pk]),
            reverse("masterplan:analysis", args=[masterplan.pk, pillar.code.lower()]),
            reverse("masterplan:programme_create", args=[masterplan.pk]),
            reverse("masterplan:programme_edit", args=[masterplan.pk, programme.pk]),
            reverse("accounts:opd_list"),
            reverse("accounts:opd_detail", args=[Opd.objects.get(code="DINKES").pk]),
            reverse("accounts:account_detail", args=[User.objects.get(username="staf.dinkes").pk]),
            reverse("accounts:opd_import"),
        ]
    return pages


def log_in(page, username: str) -> None:
    page.goto(reverse("login"))
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


@pytest.mark.parametrize("username", ["staf.dinkes", "admin.kominfo", "pimpinan"])
def test_main_pages_of_each_role_break_no_rule_of_the_policy(page, demo_portal, username):
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(LISTEN_FOR_VIOLATIONS)
    log_in(page, username)
    visited = []
    violations = []
    for path in main_pages(username):
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        page.wait_for_timeout(150)  # let deferred scripts (htmx, Bootstrap) run and report
        violations += [f"{path}: {text}" for text in page.evaluate("window.__cspViolations")]
        visited.append(path)
    violations += [text for text in console if "Content Security Policy" in text]
    assert len(visited) >= 8
    assert violations == []
