"""The masterplan's services and roadmap: placement by years, budgets, freezing, assembly, export requests."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from masterplan import services
from masterplan.models import Masterplan, MasterplanExport, Programme
from masterplan.selectors import roadmap, source_submissions_by_opd, unused_approved_submissions
from pillars.models import Element
from tests.masterplan.factories import even_budgets, fill_required_parts
from tests.opd.submission_factories import SubmissionFactory, approved, fast_password_hasher  # noqa: F401

pytestmark = pytest.mark.django_db


def add_programme(
    masterplan,
    admin,
    *,
    start,
    end,
    budget=1_000_000,
    code="GOV-SVC",
    quick=False,
    submissions=(),
    lead=None,
    source="apbd_kabupaten",
):
    from opd.models import Opd

    lead = (
        lead
        or Opd.objects.get_or_create(
            code="DISKOMINFO", defaults={"name": "Dinas Kominfo", "short_name": "Diskominfo", "kind": "dinas"}
        )[0]
    )
    return services.programme_create(
        masterplan=masterplan,
        by=admin,
        submissions=submissions,
        data={
            "title": f"Program {code} {start}",
            "element": Element.objects.get(code=code),
            "lead_opd": lead,
            "start_year": start,
            "end_year": end,
            "is_quick_win": quick,
        },
        budgets=even_budgets(budget, source, start, end),
    )


def test_a_new_masterplan_has_an_analysis_for_each_of_the_six_pillars(masterplan):
    assert masterplan.analyses.count() == 6


def test_programmes_starting_by_the_end_of_the_short_term_are_short_term(masterplan, kominfo_admin):
    boundary = add_programme(masterplan, kominfo_admin, start=2027, end=2032)
    after = add_programme(masterplan, kominfo_admin, start=2028, end=2028)
    first = add_programme(masterplan, kominfo_admin, start=2023, end=2023)
    plan = roadmap(masterplan)
    assert {p.pk for p in plan.short_term} == {boundary.pk, first.pk}
    assert [p.pk for p in plan.long_term] == [after.pk]
    assert set(Programme.objects.short_term().values_list("pk", flat=True)) == {boundary.pk, first.pk}
    assert list(Programme.objects.long_term().values_list("pk", flat=True)) == [after.pk]


def test_moving_the_short_term_end_moves_programmes_between_roadmaps(masterplan, kominfo_admin):
    programme = add_programme(masterplan, kominfo_admin, start=2028, end=2029)
    assert roadmap(masterplan).long_term == [programme]
    services.masterplan_update(masterplan=masterplan, by=kominfo_admin, data={"short_term_end_year": 2028})
    masterplan.refresh_from_db()
    assert [p.pk for p in roadmap(masterplan).short_term] == [programme.pk]


def test_budget_totals_per_pillar_year_and_source(masterplan, kominfo_admin):
    add_programme(masterplan, kominfo_admin, start=2026, end=2028, budget=3_000_000_001, code="GOV-SVC")
    add_programme(masterplan, kominfo_admin, start=2030, end=2030, budget=500_000_000, code="ENV-PRO", source="csr")
    plan = roadmap(masterplan)
    by_pillar = {pillar.pillar.code: pillar.budget for pillar in plan.pillars}
    assert by_pillar["GOV"] == 3_000_000_001 and by_pillar["ENV"] == 500_000_000 and by_pillar["ECO"] == 0
    assert plan.budget == 3_500_000_001
    assert plan.budget_by_year[2026] == 1_000_000_001  # the Rupiah that do not divide go to the first year
    assert plan.budget_by_year[2027] == plan.budget_by_year[2028] == 1_000_000_000
    assert plan.budget_by_year[2030] == 500_000_000
    assert sum(plan.budget_by_year.values()) == plan.budget
    assert dict(plan.budget_by_source) == {"APBD Kabupaten": 3_000_000_001, "CSR": 500_000_000}


def test_programme_years_must_lie_inside_the_period(masterplan, kominfo_admin):
    with pytest.raises(ValidationError) as raised:
        add_programme(masterplan, kominfo_admin, start=2022, end=2024)
    assert "start_year" in raised.value.message_dict
    with pytest.raises(ValidationError):
        add_programme(masterplan, kominfo_admin, start=2030, end=2033)
    assert not Programme.objects.exists()


def test_only_approved_submissions_feed_a_programme(masterplan, kominfo_admin, staff_dinkes):
    draft = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    with pytest.raises(ValidationError) as raised:
        add_programme(masterplan, kominfo_admin, start=2026, end=2027, submissions=[draft])
    assert "submissions" in raised.value.message_dict
    good = approved(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)
    assert list(unused_approved_submissions(masterplan)) == [good]
    programme = add_programme(masterplan, kominfo_admin, start=2026, end=2027, submissions=[good])
    assert list(programme.submissions.all()) == [good]
    assert list(unused_approved_submissions(masterplan)) == []
    assert source_submissions_by_opd(masterplan) == [(staff_dinkes.opd, [good])]


def test_several_submissions_merge_into_one_programme_and_one_feeds_several(masterplan, kominfo_admin, staff_dinkes):
    first = approved(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)
    second = approved(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes), kominfo_admin)
    merged = add_programme(masterplan, kominfo_admin, start=2026, end=2027, submissions=[first, second])
    again = add_programme(masterplan, kominfo_admin, start=2028, end=2029, submissions=[first])
    assert set(merged.submissions.all()) == {first, second}
    assert set(first.programmes.all()) == {merged, again}


def test_a_final_masterplan_is_frozen_and_a_new_draft_copies_it(masterplan, kominfo_admin):
    programme = add_programme(masterplan, kominfo_admin, start=2023, end=2023, quick=True)
    fill_required_parts(masterplan)
    final = services.masterplan_finalize(masterplan=masterplan, by=kominfo_admin)
    assert final.is_final and final.finalized_by == kominfo_admin
    with pytest.raises(ValidationError, match="final"):
        add_programme(final, kominfo_admin, start=2026, end=2027)
    with pytest.raises(ValidationError):
        services.masterplan_update(masterplan=final, by=kominfo_admin, data={"title": "Baru"})
    with pytest.raises(ValidationError):
        services.programme_delete(programme=programme, by=kominfo_admin)
    copy = services.masterplan_new_draft_from(masterplan=final, by=kominfo_admin)
    assert copy.status == Masterplan.Status.DRAFT and copy.based_on == final
    assert copy.programmes.count() == 1 and copy.analyses.count() == 6
    assert Programme.objects.filter(masterplan=final).count() == 1


def test_an_empty_masterplan_cannot_be_made_final(masterplan, kominfo_admin):
    with pytest.raises(ValidationError):
        services.masterplan_finalize(masterplan=masterplan, by=kominfo_admin)


def test_moving_a_programme_reorders_its_pillar(masterplan, kominfo_admin):
    first = add_programme(masterplan, kominfo_admin, start=2026, end=2027)
    second = add_programme(masterplan, kominfo_admin, start=2028, end=2029)
    services.programme_move(programme=second, by=kominfo_admin, direction=-1)
    ordered = list(Programme.objects.filter(masterplan=masterplan).order_by("order").values_list("pk", flat=True))
    assert ordered == [second.pk, first.pk]
    services.programme_move(programme=second, by=kominfo_admin, direction=-1)  # already first: nothing moves
    assert list(Programme.objects.order_by("order").values_list("pk", flat=True)) == ordered


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_only_kominfo_edits_the_masterplan(request, masterplan, who):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        add_programme(masterplan, user, start=2026, end=2027)
    with pytest.raises(PermissionDenied):
        services.masterplan_finalize(masterplan=masterplan, by=user)


def test_two_generate_clicks_while_one_runs_give_one_export(
    masterplan, kominfo_admin, executive, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.masterplan_export_start(masterplan=masterplan, by=kominfo_admin)
        second = services.masterplan_export_start(masterplan=masterplan, by=executive)
    assert first.pk == second.pk and first.version == 1
    assert MasterplanExport.objects.count() == 1
    assert len(callbacks) == 1  # one render queued
    MasterplanExport.objects.filter(pk=first.pk).update(status="done")
    with django_capture_on_commit_callbacks(execute=False):
        third = services.masterplan_export_start(masterplan=masterplan, by=kominfo_admin)
    assert third.version == 2


def test_opd_staff_cannot_request_a_pdf(masterplan, staff_dinkes):
    with pytest.raises(PermissionDenied):
        services.masterplan_export_start(masterplan=masterplan, by=staff_dinkes)


def test_a_programme_holds_at_most_the_indicators_its_form_offers(masterplan, kominfo_admin):
    """The service refuses what the edit form could not show again: one limit for every way in."""
    from masterplan.models.programmes import MAX_INDICATORS

    programme = add_programme(masterplan, kominfo_admin, start=2024, end=2025)
    many = [services.IndicatorData(name=f"Indikator {number}") for number in range(MAX_INDICATORS + 1)]
    with pytest.raises(ValidationError) as raised:
        services.programme_update(programme=programme, by=kominfo_admin, data={}, indicators=many)
    assert f"paling banyak {MAX_INDICATORS} indikator" in " ".join(raised.value.message_dict["indicators"])
    assert not programme.indicators.exists()
    services.programme_update(programme=programme, by=kominfo_admin, data={}, indicators=many[:MAX_INDICATORS])
    assert programme.indicators.count() == MAX_INDICATORS
