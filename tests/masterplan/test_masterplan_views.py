"""The masterplan pages through the test client: who may do what, assembly, roadmap, PDF export rows."""

import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from masterplan import services
from masterplan.models import Masterplan, MasterplanExport, Programme, ProgrammeBudget
from masterplan.services import IndicatorData
from opd.models import Opd
from pillars.models import Element
from tests.masterplan.factories import programme_parts_post
from tests.opd.submission_factories import SubmissionFactory, approved, fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


def programme_data(**overrides):
    lead = Opd.objects.get_or_create(
        code="DISKOMINFO", defaults={"name": "Dinas Kominfo", "short_name": "Kominfo", "kind": "dinas"}
    )[0]
    data = {
        "title": "Super App Kabupaten",
        "element": Element.objects.get(code="GOV-SVC").pk,
        "description": "Integrasi",
        "lead_opd": lead.pk,
        "start_year": "2026",
        "end_year": "2028",
        **programme_parts_post(
            indicators=[
                # a target outside the programme's years (a hidden column) is dropped, not refused
                {"name": "Aplikasi", "kind": "output", "unit": "aplikasi", "target_2026": "1", "target_2031": "9"},
                {"name": "Kepuasan", "kind": "outcome", "unit": "%", "target_2026": "72,5"},
            ],
            budgets=[("2026", "apbd_kabupaten", "1.000.000.000"), ("2027", "dak", "Rp 250.000.000")],
        ),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["staff_dinkes", "kominfo_admin", "executive"])
def test_every_role_reads_the_masterplan_and_its_roadmap(client, request, masterplan, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("masterplan:list")).status_code == 200
    response = client.get(reverse("masterplan:detail", args=[masterplan.pk]))
    assert response.status_code == 200
    assert "Masterplan Uji" in response.content.decode()


def test_anonymous_is_sent_to_login(client, masterplan):
    response = client.get(reverse("masterplan:detail", args=[masterplan.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_opens_the_editing_pages(client, request, masterplan, who):
    client.force_login(request.getfixturevalue(who))
    for url in [
        reverse("masterplan:create"),
        reverse("masterplan:edit", args=[masterplan.pk]),
        reverse("masterplan:assembly", args=[masterplan.pk]),
        reverse("masterplan:programme_create", args=[masterplan.pk]),
        reverse("masterplan:analysis", args=[masterplan.pk, "gov"]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("masterplan:finalize", args=[masterplan.pk])).status_code == 403


def test_kominfo_creates_a_masterplan_and_bad_years_are_explained(client, kominfo_admin, pillars):
    client.force_login(kominfo_admin)
    bad = {"title": "Salah", "start_year": "2030", "end_year": "2025", "short_term_end_year": "2027"}
    response = client.post(reverse("masterplan:create"), bad)
    assert response.status_code == 200 and 'data-testid="error-summary"' in response.content.decode()
    assert not Masterplan.objects.exists()
    good = {
        "title": "Masterplan 2023–2032",
        "start_year": "2023",
        "end_year": "2032",
        "short_term_end_year": "2027",
        "vision": "Mojokerto cerdas",
        "missions": "Satu\nDua",
    }
    response = client.post(reverse("masterplan:create"), good)
    masterplan = Masterplan.objects.get()
    assert response.status_code == 302 and masterplan.mission_list == ["Satu", "Dua"]


def test_a_programme_is_built_from_ticked_approved_submissions(client, kominfo_admin, staff_dinkes, masterplan):
    submission = approved(
        SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Antrean daring"), kominfo_admin
    )
    client.force_login(kominfo_admin)
    assembly = client.get(reverse("masterplan:assembly", args=[masterplan.pk])).content.decode()
    assert submission.reference in assembly
    form = client.get(reverse("masterplan:programme_create", args=[masterplan.pk]), {"submission": submission.pk})
    assert 'value="Antrean daring"' in form.content.decode()  # suggested from the submission
    response = client.post(
        reverse("masterplan:programme_create", args=[masterplan.pk]),
        programme_data(submissions=[submission.pk], title="Antrean daring terpadu"),
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert list(programme.submissions.all()) == [submission]
    assert sorted(programme.budgets.values_list("year", "source", "amount")) == [
        (2026, "apbd_kabupaten", 1_000_000_000),
        (2027, "dak", 250_000_000),
    ]
    assert [
        (indicator.name, indicator.kind, [(t.year, t.value) for t in indicator.targets.all()])
        for indicator in programme.indicators.all()
    ] == [("Aplikasi", "output", [(2026, 1)]), ("Kepuasan", "outcome", [(2026, Decimal("72.5"))])]
    assert programme.code == "GOV-01"
    detail = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    assert "Antrean daring terpadu" in detail and "Rp 1.250.000.000" in detail


def test_programme_years_outside_the_period_are_refused_with_a_message(client, kominfo_admin, masterplan):
    client.force_login(kominfo_admin)
    response = client.post(
        reverse("masterplan:programme_create", args=[masterplan.pk]), programme_data(start_year="2040")
    )
    assert response.status_code == 200 and 'data-testid="error-summary"' in response.content.decode()
    response = client.post(
        reverse("masterplan:programme_create", args=[masterplan.pk]), programme_data(start_year="2029", end_year="2027")
    )
    assert response.status_code == 200
    assert not Programme.objects.exists()


# The session, the user, the masterplan, its analyses, the pillars, the figures per pillar and years, each
# pillar's page of programmes with their supporting OPDs and source submissions, the budget per funding source,
# the lead OPDs, the PDF exports, the programmes' yearly budgets, indicators and their targets (the roadmap
# matrix); for Kominfo also the approved submissions no programme uses yet and the task list's five checks
# (profile, RPJMD, the pillars whose analysis is unfinished, programmes' indicators and budgets, governance).
ROADMAP_PAGE_QUERIES = {"kominfo_admin": 21, "executive": 15}


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_the_roadmap_page_issues_the_same_queries_for_few_or_many_programmes(
    client, request, kominfo_admin, staff_dinkes, masterplan, django_assert_num_queries, who
):
    client.force_login(request.getfixturevalue(who))
    leads = [
        Opd.objects.create(code=f"X{number}", name=f"Dinas X{number}", short_name=f"X{number}", kind="dinas")
        for number in range(3)
    ]
    elements = list(Element.objects.all())
    url = reverse("masterplan:detail", args=[masterplan.pk])

    def add(count):
        for number in range(count):
            submission = approved(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)
            services.programme_create(
                masterplan=masterplan,
                by=kominfo_admin,
                data={
                    "title": f"P{number}",
                    "element": elements[number % len(elements)],
                    "lead_opd": leads[number % 3],
                    "start_year": 2024 + number % 8,
                    "end_year": 2031,
                },
                budgets={(2031, ["csr", "apbn"][number % 2]): 10 + number, (2030 + number % 2, "dak"): 1},
                indicators=[IndicatorData(name="Layanan", unit="%", targets={2031: Decimal(100)})],
                submissions=[submission],
                supporting_opds=leads[:2],
            )

    add(2)
    with django_assert_num_queries(ROADMAP_PAGE_QUERIES[who]):
        assert client.get(url).status_code == 200
    add(60)  # more than one page of programmes in a pillar
    with django_assert_num_queries(ROADMAP_PAGE_QUERIES[who]):
        response = client.get(url)
    assert response.status_code == 200 and response.context["roadmap"].count == 62
    assert not response.context["roadmap"].everything_shown
    with django_assert_num_queries(ROADMAP_PAGE_QUERIES[who]):  # another page of one pillar's table
        assert client.get(url, {"GOV": "2"}).status_code == 200
    assert ROADMAP_PAGE_QUERIES[who] <= 21


def test_export_row_polls_while_rendering_and_offers_the_download_when_done(
    client, executive, masterplan, settings, tmp_path, kominfo_admin
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(executive)
    response = client.post(reverse("masterplan:export_start", args=[masterplan.pk]), HTTP_HX_REQUEST="true")
    export = MasterplanExport.objects.get()
    assert response.status_code == 200
    row = response.content.decode()
    assert "hx-get" in row and 'hx-trigger="every 1s"' in row and "<progress" in row
    export.status, export.page_count, export.size = "done", 12, 4
    export.file.save("masterplan/uji.pdf", ContentFile(b"%PDF"), save=False)
    export.save()
    row = client.get(reverse("masterplan:export_status", args=[masterplan.pk, export.pk])).content.decode()
    assert "hx-get" not in row and 'data-testid="export-download"' in row
    download = client.get(reverse("masterplan:export_download", args=[masterplan.pk, export.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF"


def test_a_failed_export_shows_its_reason_and_a_retry_button(client, kominfo_admin, masterplan):
    export = MasterplanExport.objects.create(
        masterplan=masterplan, version=1, requested_by=kominfo_admin, status="failed", error="Waktu render habis"
    )
    client.force_login(kominfo_admin)
    row = client.get(reverse("masterplan:export_status", args=[masterplan.pk, export.pk])).content.decode()
    assert "Waktu render habis" in row and reverse("masterplan:export_start", args=[masterplan.pk]) in row


def test_opd_staff_cannot_generate_a_pdf(client, staff_dinkes, masterplan):
    client.force_login(staff_dinkes)
    assert client.post(reverse("masterplan:export_start", args=[masterplan.pk])).status_code == 403
    assert not MasterplanExport.objects.exists()


def test_unknown_masterplan_or_export_answers_404(client, kominfo_admin, masterplan):
    client.force_login(kominfo_admin)
    assert client.get(reverse("masterplan:detail", args=[masterplan.pk + 99])).status_code == 404
    assert client.get(reverse("masterplan:export_download", args=[masterplan.pk, 99])).status_code == 404
    assert client.get(reverse("masterplan:analysis", args=[masterplan.pk, "xyz"])).status_code == 404


def test_programmes_export_to_xlsx_with_yearly_targets_as_columns(client, executive, kominfo_admin, masterplan):
    from io import BytesIO

    from openpyxl import load_workbook

    lead = Opd.objects.create(code="X", name="Dinas X", short_name="X", kind="dinas")
    services.programme_create(
        masterplan=masterplan,
        by=kominfo_admin,
        indicators=[
            IndicatorData(name="Rancangan", unit="dokumen", targets={2026: Decimal(1), 2027: Decimal("2.5")}),
            IndicatorData(name="Kepuasan", kind="outcome", unit="%", note="Baseline"),
        ],
        budgets={(2026, "csr"): 500_000_000, (2027, "csr"): 200_000_000, (2027, "dana_desa"): 50_000_000},
        data={
            "title": "=Program berbahaya",
            "element": Element.objects.get(code="ENV-PRO"),
            "lead_opd": lead,
            "start_year": 2026,
            "end_year": 2027,
        },
    )
    client.force_login(executive)
    response = client.get(reverse("masterplan:programmes_xlsx", args=[masterplan.pk]))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    assert len(rows) == 2 and header[13] == "Perkiraan anggaran (Rp)"
    assert row[3] == "'=Program berbahaya"  # the Programme column, neutralised as a formula
    assert row[13] == 750_000_000  # the budget column, a number


def test_the_roadmap_page_shows_one_page_per_pillar_but_counts_every_programme(client, kominfo_admin, masterplan):
    from masterplan.selectors import PROGRAMMES_PER_PAGE

    client.force_login(kominfo_admin)
    lead = Opd.objects.create(code="X", name="Dinas X", short_name="X", kind="dinas")
    element = Element.objects.get(code="GOV-SVC")
    total = PROGRAMMES_PER_PAGE + 5
    Programme.objects.bulk_create(
        Programme(
            masterplan=masterplan,
            element=element,
            title=f"Program nomor {number:03d}",
            lead_opd=lead,
            start_year=2024 if number % 2 else 2030,
            end_year=2031,
            order=number,
        )
        for number in range(total)
    )
    ProgrammeBudget.objects.bulk_create(
        ProgrammeBudget(programme=programme, year=2031, source="csr", amount=1_000)
        for programme in Programme.objects.filter(masterplan=masterplan)
    )
    url = reverse("masterplan:detail", args=[masterplan.pk])
    first = client.get(url).content.decode()
    assert "Program nomor 000" in first and f"Program nomor {PROGRAMMES_PER_PAGE:03d}" not in first
    assert f'data-testid="programme-pages-{element.pillar.code}"' in first
    assert f'<strong data-testid="short-term-count">{total // 2}</strong>' in first
    assert f"Rp {total * 1000:,}".replace(",", ".") in first  # the budget of every programme, not only the shown
    second = client.get(url, {element.pillar.code: "2"}).content.decode()
    assert f"Program nomor {PROGRAMMES_PER_PAGE:03d}" in second and "Program nomor 000" not in second
    assert client.get(url, {element.pillar.code: "nonsense"}).status_code == 200


def test_each_gantt_sits_in_a_named_scrolling_frame_a_keyboard_reaches(client, executive, kominfo_admin, masterplan):
    lead = Opd.objects.create(code="X", name="Dinas X", short_name="X", kind="dinas")
    for code in ("GOV-SVC", "ENV-WST"):
        Programme.objects.create(masterplan=masterplan, element=Element.objects.get(code=code), title=f"Program {code}",
                                 lead_opd=lead, start_year=2024, end_year=2026)  # fmt: skip
    client.force_login(executive)
    page = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    frames = re.findall(
        r'<div class="chart-scroll" tabindex="0" role="region" aria-label="([^"]+)">'
        r'<svg [^>]*aria-label="([^"]+)"',
        page,
    )
    names = ["Peta jalan semua program", "Peta jalan Smart Governance", "Peta jalan Smart Environment"]
    assert frames == [(name, name) for name in names]  # each frame is named after the chart it holds
    assert page.count("Geser ke samping untuk melihat seluruh bagan") == 3
