"""Kominfo adds indicator and budget rows to a programme in place (no save in between), removes one, and saves.

Headless Chromium against the live test server. Screenshots of the form with added rows at 1366 and 360 px go to
test-artifacts/.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.accounts import demo_accounts_create
from masterplan import services
from masterplan.forms import programmes as programme_forms
from masterplan.models import Programme
from opd.models import Opd, User
from pillars.models import Element, Pillar
from pillars.reference import load_pillars

from . import crawl

BUNDLED_CSV = Path(__file__).resolve().parents[2] / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
PASSWORD = "demo-browser-2026"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def programme(transactional_db) -> Programme:
    load_pillars(Pillar, Element)
    call_command("import_opd", str(BUNDLED_CSV), verbosity=0)
    demo_accounts_create(password=PASSWORD)
    admin = User.objects.get(username="admin.kominfo")
    masterplan = services.masterplan_create(
        by=admin,
        data={"title": "Masterplan Uji Baris", "start_year": 2025, "end_year": 2034, "short_term_end_year": 2027},
    )
    return services.programme_create(
        masterplan=masterplan,
        by=admin,
        data={
            "title": "Rekam medis elektronik",
            "element": Element.objects.get(code="LIV-HEA"),
            "description": "RME di puskesmas.",
            "lead_opd": Opd.objects.get(code="DINKES"),
            "start_year": 2026,
            "end_year": 2028,
        },
        budgets={(2026, "apbd_kabupaten"): 500_000_000},
        indicators=[services.IndicatorData(name="Aplikasi RME berjalan", kind="output", unit="%", targets={})],
    )


def log_in(browser, live_server, width, *, javascript=True):
    context = browser.new_context(
        base_url=live_server.url,
        locale="id-ID",
        viewport={"width": width, "height": 900},
        java_script_enabled=javascript,
    )
    context.set_default_timeout(20_000)
    crawl.inject_axe(context)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/")
    page.fill("#id_username", "admin.kominfo")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.get_by_test_id("user-menu").wait_for(state="attached")
    return context, page


def test_without_javascript_the_form_offers_its_empty_rows_and_the_hint_to_save(browser, live_server, programme):
    context, page = log_in(browser, live_server, 1366, javascript=False)
    page.goto(edit_url(programme))
    expect(page.locator("[data-formset-add]")).to_have_count(2)
    for button in page.locator("[data-formset-add]").all():
        expect(button).to_be_hidden()
    expect(page.get_by_text("Perlu indikator tambahan? Simpan program")).to_be_visible()
    expect(page.get_by_text("Perlu baris tambahan? Simpan program")).to_be_visible()
    expect(page.locator("[name='indicator-TOTAL_FORMS']")).to_have_value("3")
    page.fill("#id_indicator-2-name", "Dokter memakai RME")
    page.select_option("#id_budget-3-year", "2027")
    page.select_option("#id_budget-3-source", "dak")
    page.fill("#id_budget-3-amount", "75.000.000")
    page.locator("form.submission-form button.btn-primary").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    context.close()
    assert list(programme.indicators.order_by("order").values_list("name", flat=True)) == [
        "Aplikasi RME berjalan",
        "Dokter memakai RME",
    ]
    assert programme.budgets.get(year=2027).amount == 75_000_000


def edit_url(programme) -> str:
    return f"/masterplan/{programme.masterplan_id}/program/{programme.pk}/ubah/"


def test_kominfo_adds_indicator_and_budget_rows_removes_one_and_saves(browser, live_server, programme, screenshot):
    context, page = log_in(browser, live_server, 1366)
    page.goto(edit_url(programme))
    indicators, budgets = page.locator("#indicators"), page.locator("#budgets")
    hint = indicators.get_by_text("Perlu indikator tambahan? Simpan program")  # for a page without JavaScript
    expect(hint).to_have_count(1)
    expect(hint).to_be_hidden()
    total = page.locator("[name='indicator-TOTAL_FORMS']")
    expect(total).to_have_value("3")  # the saved indicator and two empty rows, as without JavaScript

    for _ in range(3):
        indicators.get_by_role("button", name="Tambah baris").click()
    expect(total).to_have_value("6")
    expect(page.locator("#id_indicator-5-name")).to_be_focused()
    # The new rows show only the programme's years, like the others.
    expect(page.locator("#id_indicator-3-target_2027")).to_be_visible()
    expect(page.locator("#id_indicator-3-target_2030")).to_be_hidden()
    page.fill("#id_indicator-3-name", "Puskesmas terhubung")
    page.fill("#id_indicator-3-unit", "puskesmas")
    page.fill("#id_indicator-3-target_2026", "10")
    page.fill("#id_indicator-3-target_2028", "27")
    page.fill("#id_indicator-5-name", "Pasien terlayani RME")
    page.select_option("#id_indicator-5-kind", "outcome")
    page.fill("#id_indicator-5-target_2027", "62,5")

    # Removing the empty middle row moves the last one up to index 4: no gap for the server.
    indicators.locator("[data-formset-new]").nth(1).get_by_role("button", name="Hapus baris").click()
    expect(total).to_have_value("5")
    expect(page.locator("#id_indicator-5-name")).to_have_count(0)
    expect(page.locator("#id_indicator-4-name")).to_have_value("Pasien terlayani RME")
    expect(page.locator("label[for='id_indicator-4-name']")).to_have_count(1)
    expect(page.locator("#id_indicator-4-kind")).to_have_value("outcome")
    expect(indicators.get_by_role("button", name="Tambah baris")).to_be_focused()

    budgets.get_by_role("button", name="Tambah baris").click()
    expect(page.locator("[name='budget-TOTAL_FORMS']")).to_have_value("5")
    expect(page.locator("#id_budget-4-year")).to_be_focused()
    page.select_option("#id_budget-4-year", "2028")
    page.select_option("#id_budget-4-source", "csr")
    page.fill("#id_budget-4-amount", "125.000.000")
    screenshot(page, "programme-rows-1366")
    assert crawl.axe_violations(page) == []  # the added rows' fields, labels and buttons included
    assert crawl.english_words(page) == []
    page.locator("form.submission-form button.btn-primary").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    context.close()

    saved = [
        (indicator.name, indicator.kind, indicator.unit, {t.year: str(t.value) for t in indicator.targets.all()})
        for indicator in programme.indicators.order_by("order")
    ]
    assert saved == [
        ("Aplikasi RME berjalan", "output", "%", {}),
        ("Puskesmas terhubung", "output", "puskesmas", {2026: "10.00", 2028: "27.00"}),
        ("Pasien terlayani RME", "outcome", "", {2027: "62.50"}),
    ]
    assert list(programme.budgets.order_by("year").values_list("year", "source", "amount")) == [
        (2026, "apbd_kabupaten", 500_000_000),
        (2028, "csr", 125_000_000),
    ]


def test_the_add_button_stops_at_the_limit_and_says_so_on_a_phone(
    browser, live_server, programme, screenshot, monkeypatch
):
    monkeypatch.setattr(programme_forms.IndicatorFormSet, "max_num", 5)  # the live server runs in this process
    monkeypatch.setattr(programme_forms.IndicatorFormSet, "absolute_max", 5)
    context, page = log_in(browser, live_server, 360)
    page.goto(edit_url(programme))
    indicators = page.locator("#indicators")
    add = indicators.get_by_role("button", name="Tambah baris")
    add.click()
    expect(indicators.get_by_text("Tidak bisa menambah baris")).to_be_hidden()
    add.click()
    expect(page.locator("[name='indicator-TOTAL_FORMS']")).to_have_value("5")
    expect(add).to_be_disabled()
    expect(indicators.get_by_text("Tidak bisa menambah baris: paling banyak 5 baris")).to_be_visible()
    screenshot(page, "programme-rows-360-at-limit")
    assert crawl.axe_violations(page) == []
    assert crawl.document_width(page) <= 360
    page.fill("#id_indicator-4-name", "Baris dihapus lagi")
    indicators.locator("[data-formset-new]").last.get_by_role("button", name="Hapus baris").click()  # confirm: OK
    expect(add).to_be_enabled()
    expect(page.locator("[name='indicator-TOTAL_FORMS']")).to_have_value("4")
    context.close()


def test_kominfo_adds_governance_members_in_place_with_numbered_labels(browser, live_server, programme, screenshot):
    context, page = log_in(browser, live_server, 360)
    page.goto(f"/masterplan/{programme.masterplan_id}/tata-kelola/")
    members = page.locator("[data-formset='dewan-member']")
    page.fill("#id_dewan-decree_number", "188.45/1/2026")
    page.fill("#id_tim_pelaksana-decree_number", "188.45/2/2026")
    for _ in range(2):
        members.get_by_role("button", name="Tambah baris").click()
    expect(page.locator("#id_dewan-member-4-name")).to_be_focused()
    expect(page.locator("#id_dewan-member-4-name")).to_have_attribute("aria-label", "nama 5")
    members.locator("[data-formset-new]").first.get_by_role("button", name="Hapus baris").click()
    expect(page.locator("#id_dewan-member-3-name")).to_have_attribute("aria-label", "nama 4")
    expect(page.locator("[name='dewan-member-TOTAL_FORMS']")).to_have_value("4")
    dinkes = str(Opd.objects.get(code="DINKES").pk)
    for index, name in ((0, "Bupati Mojokerto"), (3, "Kepala Dinkes")):
        page.fill(f"#id_dewan-member-{index}-name", name)
        page.fill(f"#id_dewan-member-{index}-position", "Pejabat")
        page.fill(f"#id_dewan-member-{index}-role_in_body", "Anggota")
        page.select_option(f"#id_dewan-member-{index}-opd", dinkes)
    screenshot(page, "governance-rows-360")
    assert crawl.axe_violations(page) == []
    page.locator("form.submission-form button.btn-primary").click()
    expect(page.locator(".alert-success").first).to_be_visible()
    context.close()
    dewan = programme.masterplan.governance_bodies.get(kind="dewan")
    assert list(dewan.members.order_by("order").values_list("name", flat=True)) == ["Bupati Mojokerto", "Kepala Dinkes"]
