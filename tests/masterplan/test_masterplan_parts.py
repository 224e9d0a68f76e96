"""The masterplan's new parts: horizons, the Quick Win rule, codes, yearly budgets per source, copying a plan."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from masterplan import services
from masterplan.models import (
    GovernanceBody,
    GovernanceMember,
    Masterplan,
    Programme,
    RegionProfile,
    Rpjmd,
    RpjmdIndicator,
    RpjmdMission,
    Term,
)
from masterplan.selectors import budget_totals, roadmap
from masterplan.services import IndicatorData
from masterplan.validators import validate_emblem
from opd.models import Opd
from pillars.models import Element
from tests.masterplan.factories import fill_required_parts
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The refusals are matched in their English source."""
    with translation.override("en"):
        yield


@pytest.fixture
def lead(db):
    return Opd.objects.get_or_create(
        code="DISKOMINFO", defaults={"name": "Dinas Kominfo", "short_name": "Diskominfo", "kind": "dinas"}
    )[0]


def add(masterplan, admin, lead, *, start, end, code="GOV-SVC", quick=False, budgets=None, indicators=None, **extra):
    return services.programme_create(
        masterplan=masterplan,
        by=admin,
        data={
            "title": f"Program {code} {start}",
            "element": Element.objects.get(code=code),
            "lead_opd": lead,
            "start_year": start,
            "end_year": end,
            "is_quick_win": quick,
        },
        budgets=budgets or {},
        indicators=indicators or [],
        **extra,
    )


def test_horizons_follow_the_start_year_with_two_or_three_terms(masterplan):
    # masterplan 2023–2032, short term until 2027, no medium term
    assert [masterplan.horizon_of(year) for year in (2023, 2027, 2028, 2032)] == ["short", "short", "long", "long"]
    masterplan.medium_term_end_year = 2029
    assert [masterplan.horizon_of(year, 2032) for year in (2027, 2028, 2029, 2030)] == [
        Term.SHORT,
        Term.MEDIUM,
        Term.MEDIUM,
        Term.LONG,
    ]
    assert [band[0] for band in masterplan.horizon_years()] == ["short", "medium", "long"]
    assert masterplan.horizon_years()[1][2:] == (2028, 2029)


def test_the_queryset_horizons_agree_with_horizon_of(masterplan, kominfo_admin, lead):
    services.masterplan_update(masterplan=masterplan, by=kominfo_admin, data={"medium_term_end_year": 2029})
    masterplan.refresh_from_db()
    programmes = [add(masterplan, kominfo_admin, lead, start=year, end=year) for year in range(2023, 2033)]
    for term, queryset in (
        (Term.SHORT, Programme.objects.short_term()),
        (Term.MEDIUM, Programme.objects.medium_term()),
        (Term.LONG, Programme.objects.long_term()),
    ):
        expected = {p.pk for p in programmes if masterplan.horizon_of(p.start_year) == term}
        assert set(queryset.values_list("pk", flat=True)) == expected and expected


def test_a_medium_term_outside_short_and_end_is_refused_by_the_database(masterplan):
    with pytest.raises(IntegrityError), transaction.atomic():
        Masterplan.objects.filter(pk=masterplan.pk).update(medium_term_end_year=2027)  # equal to the short term
    with pytest.raises(IntegrityError), transaction.atomic():
        Masterplan.objects.filter(pk=masterplan.pk).update(quick_win_years=3)


def test_a_quick_win_must_end_within_the_window_and_the_service_says_so(masterplan, kominfo_admin, lead):
    with pytest.raises(ValidationError) as refused:
        add(masterplan, kominfo_admin, lead, start=2023, end=2024, quick=True)
    assert "is_quick_win" in refused.value.message_dict and "2023" in refused.value.message_dict["is_quick_win"][0]
    assert not Programme.objects.exists()
    add(masterplan, kominfo_admin, lead, start=2023, end=2023, quick=True)
    services.masterplan_update(masterplan=masterplan, by=kominfo_admin, data={"quick_win_years": 2})
    masterplan.refresh_from_db()
    second = add(masterplan, kominfo_admin, lead, start=2023, end=2024, quick=True)
    with pytest.raises(ValidationError, match="Quick Win"):  # shrinking the window would strand the second
        services.masterplan_update(masterplan=masterplan, by=kominfo_admin, data={"quick_win_years": 1})
    with pytest.raises(ValidationError):
        services.programme_update(programme=second, by=kominfo_admin, data={"end_year": 2025})
    assert Programme.objects.get(pk=second.pk).end_year == 2024


def test_codes_count_per_pillar_and_follow_a_change_of_pillar(masterplan, kominfo_admin, lead):
    first = add(masterplan, kominfo_admin, lead, start=2024, end=2025)
    second = add(masterplan, kominfo_admin, lead, start=2024, end=2025)
    env = add(masterplan, kominfo_admin, lead, start=2024, end=2025, code="ENV-PRO")
    assert (first.code, second.code, env.code) == ("GOV-01", "GOV-02", "ENV-01")
    services.programme_delete(programme=first, by=kominfo_admin)
    assert add(masterplan, kominfo_admin, lead, start=2024, end=2025).code == "GOV-03"  # never reused
    moved = services.programme_update(
        programme=second, by=kominfo_admin, data={"element": Element.objects.get(code="ENV-WST")}
    )
    assert moved.code == "ENV-02"


def test_budgets_and_targets_outside_the_programmes_years_are_refused_and_nothing_changes(
    masterplan, kominfo_admin, lead
):
    for budgets, indicators in (
        ({(2030, "csr"): 5}, []),
        ({(2024, "dak"): -5}, []),
        ({(2024, "tidak_ada"): 5}, []),
        ({}, [IndicatorData(name="Aplikasi", targets={2031: Decimal(1)})]),
        ({}, [IndicatorData(name=" ", targets={2024: Decimal(1)})]),
    ):
        with pytest.raises(ValidationError):
            add(masterplan, kominfo_admin, lead, start=2024, end=2025, budgets=budgets, indicators=indicators)
    assert not Programme.objects.exists()
    programme = add(masterplan, kominfo_admin, lead, start=2024, end=2026, budgets={(2026, "blud"): 9})
    with pytest.raises(ValidationError, match="2026"):  # shortening the years would strand the 2026 budget
        services.programme_update(programme=programme, by=kominfo_admin, data={"end_year": 2025})
    assert Programme.objects.get(pk=programme.pk).end_year == 2026


def test_budget_totals_per_pillar_year_and_source_add_up_every_way(masterplan, kominfo_admin, lead):
    add(
        masterplan,
        kominfo_admin,
        lead,
        start=2024,
        end=2025,
        budgets={(2024, "apbd_kabupaten"): 1_000, (2024, "dak"): 7, (2025, "dana_desa"): 300},
    )
    add(masterplan, kominfo_admin, lead, start=2025, end=2025, code="ENV-PRO", budgets={(2025, "dak"): 11})
    totals = budget_totals(masterplan)
    assert [value for value, _label in totals.sources] == ["apbd_kabupaten", "dak", "dana_desa"]
    gov = next(row for row in totals.pillars if row.pillar.code == "GOV")
    assert gov.total == 1_307 and gov.by_year[totals.years.index(2024)] == 1_007
    assert totals.amount(gov.pillar.pk, 2025, "dana_desa") == 300
    assert {value: total for value, _label, total in totals.by_source} == {
        "apbd_kabupaten": 1_000,
        "dak": 18,
        "dana_desa": 300,
    }
    assert totals.total == sum(totals.by_year) == sum(row.total for row in totals.pillars) == 1_318
    assert roadmap(masterplan).budget == totals.total


def test_a_new_draft_copies_every_part_and_keeps_the_codes(masterplan, kominfo_admin, lead):
    RegionProfile.objects.create(masterplan=masterplan, kecamatan_count=18, desa_count=299, kelurahan_count=5)
    rpjmd = Rpjmd.objects.create(masterplan=masterplan, start_year=2021, end_year=2026, vision="Mojokerto maju")
    mission = RpjmdMission.objects.create(rpjmd=rpjmd, number=1, text="Tata kelola")
    RpjmdIndicator.objects.create(rpjmd=rpjmd, name="IPM", unit="poin", target=Decimal("75.1"), year=2026)
    body = GovernanceBody.objects.create(
        masterplan=masterplan, kind="dewan", decree_number="188/1/2024", decree_date=datetime.date(2024, 1, 2)
    )
    GovernanceMember.objects.create(body=body, name="Bupati", position="Bupati", role_in_body="Ketua", opd=lead)
    programme = add(
        masterplan,
        kominfo_admin,
        lead,
        start=2024,
        end=2025,
        budgets={(2024, "apbd_kabupaten"): 10, (2025, "csr"): 5},
        indicators=[IndicatorData(name="Aplikasi", unit="unit", targets={2024: Decimal(1), 2025: Decimal(2)})],
        rpjmd_missions=[mission],
    )
    fill_required_parts(masterplan)
    final = services.masterplan_finalize(masterplan=masterplan, by=kominfo_admin)

    copy = services.masterplan_new_draft_from(masterplan=final, by=kominfo_admin)

    assert copy.profile.desa_count == 299 and copy.profile.pk != final.profile.pk
    assert copy.rpjmd.vision == "Mojokerto maju" and list(copy.rpjmd.indicators.values_list("name", flat=True)) == [
        "IPM"
    ]
    (new_mission,) = copy.rpjmd.missions.all()
    assert new_mission.pk != mission.pk
    body_copy = copy.governance_bodies.get(kind="dewan")
    assert body_copy.decree_number == "188/1/2024" and body_copy.members.get().name == "Bupati"
    (twin,) = copy.programmes.all()
    assert twin.code == programme.code == "GOV-01"
    assert list(twin.rpjmd_missions.all()) == [new_mission]
    assert sorted(twin.budgets.values_list("year", "source", "amount")) == [
        (2024, "apbd_kabupaten", 10),
        (2025, "csr", 5),
    ]
    assert [(t.year, t.value) for t in twin.indicators.get().targets.all()] == [(2024, 1), (2025, 2)]
    assert programme.budgets.count() == 2 and programme.indicators.get().targets.count() == 2  # the final's own


def test_a_mission_of_another_masterplans_rpjmd_is_refused(masterplan, kominfo_admin, lead):
    other = services.masterplan_create(
        by=kominfo_admin,
        data={"title": "Lain", "start_year": 2023, "end_year": 2032, "short_term_end_year": 2027},
    )
    foreign = RpjmdMission.objects.create(
        rpjmd=Rpjmd.objects.create(masterplan=other, start_year=2021, end_year=2026, vision="V"), number=1, text="M"
    )
    with pytest.raises(ValidationError):
        add(masterplan, kominfo_admin, lead, start=2024, end=2024, rpjmd_missions=[foreign])
    assert not Programme.objects.exists()


def test_profile_figures_outside_their_ranges_are_refused_by_the_database(masterplan):
    for bad in ({"poverty_rate": Decimal("101")}, {"hdi": Decimal("-1")}, {"population_year": 1900}):
        with pytest.raises(IntegrityError), transaction.atomic():
            RegionProfile.objects.create(masterplan=masterplan, **bad)


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect/></svg>'


@pytest.mark.parametrize(
    "name, content",
    [
        ("lambang.png", PNG),
        ("lambang.svg", SVG),
    ],
)
def test_an_emblem_is_accepted_as_png_or_plain_svg_by_its_content(name, content):
    validate_emblem(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("lambang.png", b"GIF89a" + b"\x00" * 20, "neither"),
        ("lambang.png", SVG, "name ends in .png"),
        ("lambang.svg", SVG.replace(b"<rect/>", b"<script>alert(1)</script>"), "scripts"),
        ("lambang.svg", SVG.replace(b"<rect/>", b'<rect onload="x()"/>'), "scripts"),
        ("lambang.svg", SVG.replace(b"<rect/>", b'<image href="http://x/y.png"/>'), "scripts"),
        ("lambang.svg", b"<svg", "neither"),
        ("lambang.png", PNG + b"\x00" * (1024 * 1024), "1 MB"),
    ],
)
def test_an_emblem_that_is_not_a_plain_png_or_svg_is_refused_with_a_reason(name, content, message):
    with pytest.raises(ValidationError, match=message):
        validate_emblem(SimpleUploadedFile(name, content))


def test_the_rpjmd_and_a_body_hold_at_most_the_rows_their_forms_offer(masterplan, kominfo_admin):
    """The services refuse more rows than the part pages can show again, whatever sends them; nothing is saved."""
    from masterplan.models import GovernanceBody, Rpjmd
    from masterplan.models.region import MAX_BODY_MEMBERS, MAX_RPJMD_INDICATORS, MAX_RPJMD_MISSIONS

    period = {"start_year": 2021, "end_year": 2026, "vision": "Mojokerto maju"}
    missions = [(number, f"Misi {number}") for number in range(1, MAX_RPJMD_MISSIONS + 2)]
    with pytest.raises(ValidationError, match=f"at most {MAX_RPJMD_MISSIONS} missions"):
        services.rpjmd_save(masterplan=masterplan, by=kominfo_admin, data=period, missions=missions, indicators=[])
    with pytest.raises(ValidationError, match=f"at most {MAX_RPJMD_INDICATORS} key indicators"):
        services.rpjmd_save(
            masterplan=masterplan,
            by=kominfo_admin,
            data=period,
            missions=missions[:1],
            indicators=[{"name": "IPM"}] * (MAX_RPJMD_INDICATORS + 1),
        )
    with pytest.raises(ValidationError, match=f"at most {MAX_BODY_MEMBERS} members"):
        services.governance_body_save(
            masterplan=masterplan,
            by=kominfo_admin,
            kind=GovernanceBody.Kind.values[0],
            data={"decree_number": "188/1/2024"},
            members=[{"name": "Anggota"}] * (MAX_BODY_MEMBERS + 1),
        )
    assert not Rpjmd.objects.exists() and not GovernanceBody.objects.exists()
    rpjmd = services.rpjmd_save(
        masterplan=masterplan, by=kominfo_admin, data=period, missions=missions[:MAX_RPJMD_MISSIONS], indicators=[]
    )
    assert rpjmd.missions.count() == MAX_RPJMD_MISSIONS
