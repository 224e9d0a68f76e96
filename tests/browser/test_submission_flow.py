"""The whole submission review flow, driven through headless Chromium by the three roles.

An OPD operator drafts a submission (pillar → element narrowed by htmx), attaches evidence,
checks and sends it; Kominfo asks for a revision; the operator revises and resends; Kominfo
approves; the Bupati's office sees it counted and cannot decide anything.

Statuses are checked by the badge's CSS class, not its words, so that the test does not
depend on the wording of the Indonesian catalogue.
"""

import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.accounts import demo_accounts_create
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
DEMO_PASSWORD = "demo-browser-2026"
TITLE = "Sistem antrean daring Puskesmas"
FIRST_INDICATOR = "80% pasien Puskesmas mendaftar lewat antrean daring"
REVISED_INDICATOR = "90% pasien di 27 Puskesmas mendaftar lewat antrean daring pada akhir 2028"
REVISION_REASON = "Mohon indikator dibuat terukur: sebutkan jumlah Puskesmas dan target tahunnya."
REFERENCE = re.compile(r"SC-\d{4}-\d{4}")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_portal(transactional_db, settings, tmp_path):
    """The pillars, the bundled OPD list and the four demo accounts; uploads go to a temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=DEMO_PASSWORD)


def png_bytes(width: int = 16, height: int = 16) -> bytes:
    """A small, valid PNG (a green square) built by hand."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    rows = b"".join(b"\x00" + b"\x1e\x8c\x3c" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


class Session:
    """One person's browser context, with the JavaScript errors and server errors it met."""

    def __init__(self, browser, live_server, username: str, page=None):
        self.username = username
        if page is None:
            self.context = browser.new_context(
                base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
            )
            self.context.set_default_timeout(15_000)
            page = self.context.new_page()
        else:
            self.context = None  # the `page` fixture closes its own context
        self.page = page
        self.problems: list[str] = []
        page.on("pageerror", lambda error: self.problems.append(f"{username}: JavaScript error {error}"))
        # Irreversible actions ask for confirmation; the person answers yes and we note the question.
        self.questions: list[str] = []
        page.on("dialog", self._answer_yes)
        page.on("response", self._note_server_error)

    def _answer_yes(self, dialog) -> None:
        self.questions.append(dialog.message)
        dialog.accept()

    def _note_server_error(self, response) -> None:
        if response.status >= 500:
            self.problems.append(f"{self.username}: HTTP {response.status} {response.url}")

    def log_in(self) -> None:
        page = self.page
        page.goto("/")
        page.fill("#id_username", self.username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("main button[type=submit]").click()
        page.get_by_test_id("user-menu").wait_for()

    def close(self) -> None:
        if self.context is not None:
            self.context.close()


def expect_status(page, status: str) -> None:
    expect(page.locator(f"[data-testid=status] .status-{status}")).to_be_visible()


def staff_drafts_attaches_and_sends(staff: Session, screenshot) -> tuple[int, str]:
    page = staff.page
    staff.log_in()
    page.get_by_test_id("new-submission").click()
    expect(page).to_have_url(re.compile(r"/usulan/baru/$"))

    page.select_option("#id_kind", "kebutuhan")
    page.fill("#id_title", TITLE)

    # Choosing a pillar narrows the element list to that pillar's three elements (htmx swap).
    living = Pillar.objects.get(code="LIV")
    living_elements = [
        str(pk) for pk in Element.objects.filter(pillar=living).order_by("order").values_list("pk", flat=True)
    ]
    health = str(Element.objects.get(code="LIV-HEA").pk)
    assert page.locator("#id_element option[value]:not([value=''])").count() == Element.objects.count()
    with page.expect_response(lambda response: "/usulan/elemen/" in response.url):
        page.select_option("#id_pillar", label="Smart Living")
    offered = page.locator("#id_element option:not([value=''])")
    expect(offered).to_have_count(3)
    assert [offered.nth(i).get_attribute("value") for i in range(3)] == living_elements
    assert page.locator("#id_element optgroup").count() == 0
    page.select_option("#id_element", health)
    assert re.search(
        r"Sarana dan Prasarana Kesehatan|Health Facilities", page.locator("#id_element option:checked").inner_text()
    )

    page.fill("#id_current_condition", "Pasien mengantre sejak subuh di loket pendaftaran 27 Puskesmas.")
    page.fill("#id_proposed_solution", "Aplikasi antrean daring terhubung dengan SIMPUS dan WhatsApp.")
    page.fill("#id_beneficiaries", "Pasien Puskesmas dan petugas pendaftaran.")
    page.fill("#id_expected_output", "Aplikasi antrean daring di 27 Puskesmas.")
    page.fill("#id_expected_outcome", "Waktu tunggu pendaftaran turun separuhnya.")
    page.fill("#id_indicator", FIRST_INDICATOR)
    page.select_option("#id_horizon", "short_term")
    page.fill("#id_start_year", "2026")
    page.fill("#id_end_year", "2028")
    page.fill("#id_budget", "1.250.000.000")
    page.select_option("#id_funding_source", "apbd_kabupaten")
    page.select_option("#id_priority", "high")
    screenshot(page, "flow-1-form-filled")
    page.locator("button[name=save]").click()

    expect(page).to_have_url(re.compile(r"/usulan/\d+/$"))
    pk = int(re.search(r"/usulan/(\d+)/$", page.url).group(1))
    expect_status(page, "draft")
    expect(page.get_by_test_id("budget")).to_have_text("Rp 1.250.000.000")
    screenshot(page, "flow-1-draft")

    # Evidence: a real PNG, checked by its content on the server.
    page.set_input_files("#id_file", files=[{"name": "bukti.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.locator("#attachments form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(page.locator("#attachments")).to_contain_text("bukti.png")
    expect(page.locator("#attachments a", has_text="bukti.png")).to_have_attribute(
        "href", re.compile(rf"/usulan/{pk}/lampiran/\d+/$")
    )
    screenshot(page, "flow-1-attached")

    # Check your answers, then send.
    page.locator(f"main a[href$='/usulan/{pk}/kirim/']").first.click()
    expect(page).to_have_url(re.compile(rf"/usulan/{pk}/kirim/$"))
    expect(page.get_by_test_id("error-summary")).to_have_count(0)
    answers = page.locator("dl.check-answers")
    expect(answers).to_contain_text("Rp 1.250.000.000")
    expect(answers).to_contain_text("bukti.png")
    expect(answers).to_contain_text(TITLE)
    screenshot(page, "flow-1-check")
    page.get_by_test_id("send-to-kominfo").click()

    expect(page).to_have_url(re.compile(rf"/usulan/{pk}/$"))
    expect_status(page, "submitted")
    expect(page.get_by_test_id("reference")).to_have_text(REFERENCE)
    reference = page.get_by_test_id("reference").inner_text().strip()
    # Once sent, the operator can no longer edit or upload.
    expect(page.locator(f"a[href$='/usulan/{pk}/ubah/']")).to_have_count(0)
    expect(page.locator("#id_file")).to_have_count(0)
    screenshot(page, "flow-1-submitted")
    return pk, reference


def kominfo_requests_revision(admin: Session, pk: int, reference: str, screenshot) -> None:
    page = admin.page
    admin.log_in()
    page.goto("/usulan/")
    link = page.locator("main table a", has_text=reference)
    expect(link).to_be_visible()
    screenshot(page, "flow-2-queue")
    link.click()
    expect(page).to_have_url(re.compile(rf"/usulan/{pk}/$"))
    expect_status(page, "submitted")
    page.fill("#id_reason", REVISION_REASON)
    screenshot(page, "flow-2-review")
    page.locator('button[formaction$="/keputusan/request_revision/"]').click()
    expect_status(page, "revision_requested")
    expect(page.get_by_test_id("decision")).to_contain_text(REVISION_REASON)
    screenshot(page, "flow-2-revision-requested")


def staff_revises_and_resends(staff: Session, pk: int, reference: str, screenshot) -> None:
    page = staff.page
    staff.log_in()
    waiting = page.get_by_test_id("waiting-on-you")
    expect(waiting).to_contain_text(TITLE)
    expect(waiting.locator(".status-revision_requested")).to_be_visible()
    screenshot(page, "flow-3-dashboard")
    waiting.locator("a", has_text=TITLE).click()
    expect(page).to_have_url(re.compile(rf"/usulan/{pk}/$"))
    expect_status(page, "revision_requested")

    page.goto(f"/usulan/{pk}/ubah/")
    expect(page.locator("main .alert-warning")).to_contain_text(REVISION_REASON)
    # The saved choices come back: the pillar, and only its elements.
    expect(page.locator("#id_pillar option:checked")).to_have_text("Smart Living")
    expect(page.locator("#id_element option:not([value=''])")).to_have_count(3)
    expect(page.locator("#id_budget")).to_have_value(re.compile(r"^1\.?250\.?000\.?000$"))
    page.fill("#id_indicator", REVISED_INDICATOR)
    screenshot(page, "flow-3-edit")
    page.locator("button[name=check]").click()

    expect(page).to_have_url(re.compile(rf"/usulan/{pk}/kirim/$"))
    expect(page.locator("dl.check-answers")).to_contain_text(REVISED_INDICATOR)
    screenshot(page, "flow-3-check")
    page.get_by_test_id("send-to-kominfo").click()
    expect(page).to_have_url(re.compile(rf"/usulan/{pk}/$"))
    expect_status(page, "submitted")
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    screenshot(page, "flow-3-resubmitted")


def kominfo_approves(admin: Session, pk: int, screenshot) -> None:
    page = admin.page
    admin.log_in()
    page.goto(f"/usulan/{pk}/")
    expect_status(page, "submitted")
    page.locator("button[formaction$='/keputusan/approve/']").click()
    expect_status(page, "approved")
    assert admin.questions, "approving should ask for confirmation first"
    expect(page.locator("button[formaction$='/keputusan/approve/']")).to_have_count(0)
    screenshot(page, "flow-4-approved")

    page.goto(f"/usulan/{pk}/riwayat/")
    changed = page.locator("tr[data-changed]")
    expect(changed.first).to_be_visible()
    expect(changed.filter(has_text=REVISED_INDICATOR)).to_have_count(1)
    screenshot(page, "flow-4-history")


def executive_sees_it_read_only(executive: Session, pk: int, reference: str, screenshot) -> None:
    page = executive.page
    executive.log_in()
    page.get_by_test_id("dashboard-executive").wait_for()
    expect(page.get_by_test_id("approved-count")).to_have_text("1")
    table = page.get_by_test_id("pillar-status-table")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr", has_text="Smart Living").locator("td").last).to_have_text("1")
    screenshot(page, "flow-5-executive-dashboard")

    page.goto(f"/usulan/{pk}/")
    expect_status(page, "approved")
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    main = page.locator("main")
    expect(main.locator("form[action*='/keputusan/']")).to_have_count(0)
    expect(main.locator("button.btn-success")).to_have_count(0)
    expect(main.locator("#id_reason")).to_have_count(0)
    expect(main.locator("button", has_text=re.compile(r"Setujui|Approve", re.IGNORECASE))).to_have_count(0)
    screenshot(page, "flow-5-executive-detail")


def test_submission_goes_from_draft_to_approved(browser, live_server, page, demo_portal, screenshot):
    sessions: list[Session] = []

    def session(username: str, existing_page=None) -> Session:
        opened = Session(browser, live_server, username, existing_page)
        sessions.append(opened)
        return opened

    try:
        pk, reference = staff_drafts_attaches_and_sends(session("staf.dinkes", page), screenshot)
        kominfo_requests_revision(session("admin.kominfo"), pk, reference, screenshot)
        staff_revises_and_resends(session("staf.dinkes"), pk, reference, screenshot)
        kominfo_approves(session("admin.kominfo"), pk, screenshot)
        executive_sees_it_read_only(session("pimpinan"), pk, reference, screenshot)
        problems = [problem for opened in sessions for problem in opened.problems]
        assert not problems, problems
    finally:
        for opened in sessions:
            opened.close()
