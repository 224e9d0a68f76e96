"""The masterplan's task list and part pages, the workbook's sheets, and the budget totals summed three ways."""

import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from masterplan.models import GovernanceBody, Masterplan, RegionProfile, Rpjmd
from masterplan.selectors import budget_totals, executive_summary_draft
from tests.masterplan.factories import fill_required_parts, governance_post, realistic_masterplan
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db

PART_URLS = ("part_front_matter", "part_executive_summary", "part_profile", "part_rpjmd", "part_governance")
PART_URLS += ("part_adoption", "part_emblem")


# The row counts every page with rows sends (a POST without them is refused before anything else is checked).
NO_ROWS = {
    f"{prefix}-{count}": "0"
    for prefix in ("mission", "iku", "dewan-member", "tim_pelaksana-member")
    for count in ("TOTAL_FORMS", "INITIAL_FORMS")
}


def url(name, masterplan):
    return reverse(f"masterplan:{name}", args=[masterplan.pk])


def snapshot(masterplan) -> tuple:
    row = Masterplan.objects.get(pk=masterplan.pk)
    return (
        tuple(getattr(row, name) for name in Masterplan.COPIED_FIELDS if name != "emblem"),
        row.emblem.name,
        tuple(RegionProfile.objects.filter(masterplan=row).values_list()),
        tuple(Rpjmd.objects.filter(masterplan=row).values_list()),
        tuple(GovernanceBody.objects.filter(masterplan=row).values_list()),
    )


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_opens_the_part_pages(client, request, masterplan, who):
    client.force_login(request.getfixturevalue(who))
    for name in PART_URLS:
        assert client.get(url(name, masterplan)).status_code == 403, name
        assert client.post(url(name, masterplan), {"foreword": "x"}).status_code == 403, name
    assert client.get(reverse("masterplan:part_profile", args=[masterplan.pk + 99])).status_code == 403


def test_an_unknown_masterplan_answers_404_to_kominfo(client, kominfo_admin, masterplan):
    client.force_login(kominfo_admin)
    for name in PART_URLS:
        assert client.get(reverse(f"masterplan:{name}", args=[masterplan.pk + 99])).status_code == 404


def test_the_task_list_marks_parts_and_finalize_says_which_are_missing(client, kominfo_admin, masterplan):
    client.force_login(kominfo_admin)
    page = client.get(masterplan.get_absolute_url()).content.decode()
    assert page.count('data-testid="task-status"') == 10 and "Opsional" in page and "Belum lengkap" in page
    response = client.post(reverse("masterplan:finalize", args=[masterplan.pk]), follow=True)
    assert not Masterplan.objects.get(pk=masterplan.pk).is_final
    from tests.masterplan.test_roadmap_services import add_programme

    add_programme(masterplan, kominfo_admin, start=2024, end=2025)
    response = client.post(reverse("masterplan:finalize", args=[masterplan.pk]), follow=True)
    text = response.content.decode()
    assert not Masterplan.objects.get(pk=masterplan.pk).is_final
    for title in ("Profil daerah", "Keselarasan RPJMD", "Tata kelola"):
        assert title in text, title
    fill_required_parts(masterplan)
    client.post(reverse("masterplan:finalize", args=[masterplan.pk]))
    assert Masterplan.objects.get(pk=masterplan.pk).is_final


def test_each_part_is_saved_through_its_page(client, kominfo_admin, masterplan, staff_dinkes):
    client.force_login(kominfo_admin)
    front = {name: f"Teks {name}" for name in Masterplan.FRONT_MATTER_FIELDS}
    assert client.post(url("part_front_matter", masterplan), front).status_code == 302
    profile = {
        "area_km2": "969,36",
        "kecamatan_count": "18",
        "desa_count": "299",
        "kelurahan_count": "5",
        "population": "1129000",
        "population_year": "2023",
        "grdp": "Rp 45.000.000.000.000",
        "grdp_year": "2023",
        "hdi": "74,88",
        "hdi_year": "2023",
        "narrative": "Kabupaten di Jawa Timur.",
    }
    assert client.post(url("part_profile", masterplan), profile).status_code == 302
    rpjmd = {
        "start_year": "2021",
        "end_year": "2026",
        "vision": "Mojokerto maju",
        "mission-TOTAL_FORMS": "2",
        "mission-INITIAL_FORMS": "0",
        "mission-0-number": "1",
        "mission-0-text": "Tata kelola",
        "mission-1-number": "2",
        "mission-1-text": "Ekonomi",
        "iku-TOTAL_FORMS": "1",
        "iku-INITIAL_FORMS": "0",
        "iku-0-name": "IPM",
        "iku-0-unit": "poin",
        "iku-0-target": "75,5",
        "iku-0-year": "2026",
    }
    assert client.post(url("part_rpjmd", masterplan), rpjmd).status_code == 302
    governance = governance_post(staff_dinkes.opd_id)
    assert client.post(url("part_governance", masterplan), governance).status_code == 302
    adoption = {"regulation_number": "12 Tahun 2025", "regulation_date": "2025-03-01", "document_number": "MP/1"}
    assert client.post(url("part_adoption", masterplan), adoption).status_code == 302
    plan = Masterplan.objects.get(pk=masterplan.pk)
    assert plan.profile.hdi == Decimal("74.88") and plan.profile.grdp == 45 * 10**12
    assert [m.text for m in plan.rpjmd.missions.all()] == ["Tata kelola", "Ekonomi"]
    assert plan.rpjmd.indicators.get().target == Decimal("75.5")
    assert plan.governance_bodies.count() == 2 and plan.regulation_number == "12 Tahun 2025"
    mission = plan.rpjmd.missions.get(number=1)
    rpjmd["mission-0-text"] = "Tata kelola yang baik"
    client.post(url("part_rpjmd", masterplan), rpjmd)
    assert Rpjmd.objects.get(pk=plan.rpjmd.pk).missions.get(number=1).pk == mission.pk  # kept, links survive


@pytest.mark.parametrize(
    "name, data",
    [
        ("part_front_matter", {"foreword": "Hanya kata pengantar"}),
        ("part_profile", {"poverty_rate": "120", "kecamatan_count": "18"}),
        ("part_profile", {"hdi": "abc", "population": "-5"}),
        ("part_profile", {"population_year": "1800", "desa_count": "99999999999999999999"}),
        ("part_rpjmd", {"start_year": "2026", "end_year": "2021", "vision": "V"} | NO_ROWS),
        ("part_governance", {"dewan-decree_number": ""} | NO_ROWS),
        ("part_adoption", {"regulation_date": "31-31-2025"}),
    ],
)
def test_bad_input_on_a_part_page_shows_a_message_and_changes_nothing(client, kominfo_admin, masterplan, name, data):
    client.force_login(kominfo_admin)
    before = snapshot(masterplan)
    response = client.post(url(name, masterplan), data)
    assert response.status_code == 200
    assert 'data-testid="error-summary"' in response.content.decode() or "is-invalid" in response.content.decode()
    assert snapshot(masterplan) == before


def test_an_emblem_is_checked_by_content_on_upload(client, kominfo_admin, masterplan, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(kominfo_admin)
    fake = SimpleUploadedFile("lambang.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    response = client.post(url("part_emblem", masterplan), {"emblem": fake})
    assert response.status_code == 200 and not Masterplan.objects.get(pk=masterplan.pk).emblem
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><circle r="1"/></svg>'
    response = client.post(url("part_emblem", masterplan), {"emblem": SimpleUploadedFile("lambang.svg", svg)})
    assert response.status_code == 302
    assert Masterplan.objects.get(pk=masterplan.pk).emblem.name.endswith("emblem.svg")


def test_the_summary_is_drafted_from_the_data_into_the_field_without_saving(client, kominfo_admin):
    plan = realistic_masterplan(admin=kominfo_admin, programme_count=8, submission_count=2)
    client.force_login(kominfo_admin)
    response = client.post(url("part_executive_summary", plan), {"draft": "1"})
    assert response.status_code == 200
    draft = executive_summary_draft(plan)
    assert "8 program" in draft and "APBD Kabupaten" in draft and "Quick Win" in draft
    field = re.search(r"<textarea[^>]*executive_summary[^>]*>(.*?)</textarea>", response.content.decode(), re.S)
    assert field and "8 program" in field.group(1)
    assert Masterplan.objects.get(pk=plan.pk).executive_summary == ""


def test_budget_totals_agree_in_the_web_roadmap_the_workbook_and_the_selector(client, kominfo_admin, executive):
    plan = realistic_masterplan(admin=kominfo_admin, programme_count=30, submission_count=3)
    for programme in plan.programmes.all()[:5]:  # a second source on some years
        programme.budgets.create(year=programme.start_year, source="dana_desa", amount=123_456_789)
    fill_required_parts(plan)
    totals = budget_totals(plan)
    assert totals.total == sum(b.amount for p in plan.programmes.all() for b in p.budgets.all())

    client.force_login(executive)
    page = client.get(plan.get_absolute_url(), dict.fromkeys(("GOV", "ECO", "ENV", "LIV", "SOC", "BRD"), "9"))
    table = page.content.decode().split('data-testid="budget-totals"')[1].split("</table>")[0]
    grand_total = re.findall(r"Rp ([\d.]+)", table.split("table-dark")[1])[-1]
    assert int(grand_total.replace(".", "")) == totals.total

    response = client.get(reverse("masterplan:programmes_xlsx", args=[plan.pk]))
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert len(workbook.sheetnames) == 6
    programmes = list(workbook.worksheets[0].iter_rows(values_only=True))
    budget_cells = [value for row in programmes[1:] for value in row[16:] if value]
    assert sum(budget_cells) == totals.total == sum(row[13] for row in programmes[1:])
    budget_sheet = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert budget_sheet[-1][-1] == totals.total
    per_source = {row[1]: row[-1] for row in budget_sheet if row[0] == "Jumlah"}
    assert per_source == {label: amount for _value, label, amount in totals.by_source}
    services_totals = sum(pillar.total for pillar in totals.pillars)
    assert services_totals == totals.total
