"""Kominfo fills every part of a new masterplan through its pages and makes it final; the Bupati's office sees it.

Headless Chromium against the live test server (no worker needed: no PDF is rendered here). Screenshots of the
task list, a part page and the roadmap matrix at 1366 and 360 px go to test-artifacts/.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.accounts import demo_accounts_create
from masterplan.models import Masterplan
from opd.models import Opd, User
from opd.services import submissions as submission_services
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"
TITLE = "Antrean daring puskesmas"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def portal(transactional_db):
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)
    staff, admin = User.objects.get(username="staf.dinkes"), User.objects.get(username="admin.kominfo")
    element = Element.objects.get(code="LIV-HEA")
    submission = submission_services.submission_create(
        by=staff,
        data={
            "kind": "inovasi",
            "title": TITLE,
            "pillar": element.pillar,
            "element": element,
            "current_condition": "Antrean pagi panjang.",
            "proposed_solution": "Nomor antrean lewat WhatsApp.",
            "beneficiaries": "Pasien",
            "expected_output": "Chatbot antrean",
            "expected_outcome": "Waktu tunggu turun",
            "indicator": "Waktu tunggu rata-rata",
            "horizon": "short_term",
            "start_year": 2026,
            "end_year": 2027,
            "budget": 300_000_000,
            "funding_source": "apbd_kabupaten",
            "priority": "high",
        },
    )
    submission = submission_services.submission_submit(submission=submission, by=staff)
    submission_services.submission_approve(submission=submission, by=admin)
    return submission


def log_in(browser, live_server, username, width=1366):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport={"width": width, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_test_id("user-menu").wait_for(state="attached")  # folded into the menu button on a phone
    return context, page


def save(page):
    page.locator("form.submission-form button.btn-primary").click()
    expect(page.locator(".alert-success, .alert.alert-success").first).to_be_visible()


def fill_rows(page, prefix: str, rows: list[dict]):
    for index, row in enumerate(rows):
        for name, value in row.items():
            field = page.locator(f"[name='{prefix}-{index}-{name}']")
            if field.evaluate("element => element.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)


def test_kominfo_fills_every_part_makes_it_final_and_the_bupatis_office_sees_it(
    browser, live_server, portal, screenshot
):
    context, page = log_in(browser, live_server, "admin.kominfo")
    page.goto("/masterplan/baru/")
    page.fill("#id_title", "Masterplan Smart City Uji Peramban")
    page.fill("#id_start_year", "2026")
    page.fill("#id_end_year", "2035")
    page.fill("#id_short_term_end_year", "2027")
    page.fill("#id_medium_term_end_year", "2030")
    page.select_option("#id_quick_win_years", "2")
    page.fill("#id_vision", "Mojokerto cerdas dan melayani")
    page.fill("#id_missions", "Layanan publik digital\nEkonomi digital")
    page.locator("form button.btn-primary").click()
    expect(page.locator("#task-list")).to_be_visible()
    masterplan = Masterplan.objects.get(title="Masterplan Smart City Uji Peramban")
    base = f"/masterplan/{masterplan.pk}"
    screenshot(page, "masterplan-parts-1-task-list-empty")

    page.goto(f"{base}/pengantar/")
    for name in Masterplan.FRONT_MATTER_FIELDS:
        page.fill(f"#id_{name}", f"Isi {name} dari peramban.")
    save(page)

    page.goto(f"{base}/profil/")
    for name, value in {
        "area_km2": "969,36",
        "kecamatan_count": "18",
        "desa_count": "299",
        "kelurahan_count": "5",
        "population": "1132000",
        "population_year": "2023",
        "hdi": "75,12",
        "hdi_year": "2023",
        "narrative": "Kabupaten Mojokerto di Jawa Timur.",
    }.items():
        page.fill(f"#id_{name}", value)
    save(page)

    page.goto(f"{base}/rpjmd/")
    page.fill("#id_start_year", "2021")
    page.fill("#id_end_year", "2026")
    page.fill("#id_vision", "Mojokerto religius, sejahtera, adil dan berdaya saing")
    fill_rows(
        page, "mission", [{"number": "1", "text": "SDM sehat dan cerdas"}, {"number": "4", "text": "Tata kelola"}]
    )
    fill_rows(page, "iku", [{"name": "IPM", "unit": "poin", "target": "75,5", "year": "2026"}])
    screenshot(page, "masterplan-parts-2-rpjmd")
    save(page)

    page.goto(f"{base}/tata-kelola/")
    dinkes = str(Opd.objects.get(code="DINKES").pk)
    for kind in ("dewan", "tim_pelaksana"):
        page.fill(f"#id_{kind}-decree_number", f"188.45/{kind}/2026")
        fill_rows(
            page,
            f"{kind}-member",
            [
                {"name": "Kepala Dinkes", "position": "Kepala Dinas", "role_in_body": "Anggota", "opd": dinkes},
                {"name": "Rektor", "position": "Rektor", "role_in_body": "Anggota", "outside_party": "Universitas"},
            ],
        )
    save(page)

    page.goto(f"{base}/penetapan/")
    page.fill("#id_regulation_number", "12 Tahun 2026")
    page.fill("#id_regulation_date", "2026-03-01")
    page.fill("#id_document_number", "MP/2026/1")
    save(page)

    for pillar in Pillar.objects.all():
        page.goto(f"{base}/analisis/{pillar.code.lower()}/")
        for part in ("structure", "infrastructure", "superstructure"):
            page.select_option(f"#id_{part}_score", "3")
        for name in ("strengths", "weaknesses", "opportunities", "threats", "so_strategy", "wo_strategy"):
            page.fill(f"#id_{name}", f"{name} {pillar.code}")
        page.fill("#id_st_strategy", "ST")
        page.fill("#id_wt_strategy", "WT")
        save(page)

    page.goto(f"{base}/")
    page.get_by_test_id("assembly-link").click()
    page.locator(f"input[name=submission][value='{portal.pk}']").check()
    page.locator("form[action$='/program/baru/'] button[type=submit]").click()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    page.select_option("#id_end_year", "2027")
    page.fill("[name='indicator-0-unit']", "menit")
    page.fill("[name='indicator-0-target_2026']", "45")
    page.fill("[name='indicator-0-target_2027']", "30")
    expect(page.locator("[name='indicator-0-target_2030']")).to_be_hidden()  # only the programme's years
    page.select_option("[name='budget-1-year']", "2027")
    page.select_option("[name='budget-1-source']", "dak")
    page.fill("[name='budget-1-amount']", "50.000.000")
    screenshot(page, "masterplan-parts-3-programme-form")
    page.locator("form.submission-form button.btn-primary").click()
    expect(page.locator(".roadmap-matrix").first).to_contain_text("45 menit")

    page.goto(f"{base}/ringkasan/")
    page.get_by_test_id("draft-summary").click()
    expect(page.locator("#id_executive_summary")).to_contain_text("1 program")
    save(page)

    expect(page.locator("[data-testid=task-list] , #task-list")).not_to_contain_text("Belum lengkap")
    screenshot(page, "masterplan-parts-4-task-list-complete")
    page.locator(f"form[action='{base}/final/'] button").click()
    expect(page.get_by_test_id("masterplan-status")).to_have_text("Final")
    context.close()

    context, page = log_in(browser, live_server, "pimpinan")
    page.goto(f"{base}/")
    expect(page.get_by_test_id("masterplan-status")).to_have_text("Final")
    expect(page.get_by_test_id("budget-totals")).to_contain_text("Rp 350.000.000")
    expect(page.locator(".roadmap-matrix").first).to_contain_text("30 menit")
    screenshot(page, "masterplan-parts-5-executive-1366")
    context.close()

    context, page = log_in(browser, live_server, "pimpinan", width=360)
    page.goto(f"{base}/")
    expect(page.get_by_test_id("masterplan-status")).to_have_text("Final")
    screenshot(page, "masterplan-parts-6-executive-360")
    context.close()
    context, page = log_in(browser, live_server, "admin.kominfo", width=360)
    page.goto(f"{base}/tata-kelola/")  # final: sent back to the masterplan, saying why
    expect(page.get_by_test_id("masterplan-status")).to_have_text("Final")
    context.close()
