"""The roadmap's figures summed by the database equal a plain Python computation over the programmes.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL: the queries must give the same whole Rupiah on both.
"""

import random
from collections import Counter, defaultdict

import pytest
from django.urls import reverse

from masterplan import services
from masterplan.models import Programme, ProgrammeBudget
from masterplan.selectors import (
    PROGRAMMES_PER_PAGE,
    roadmap,
    unused_approved_submission_count,
    unused_approved_submissions,
)
from opd.models import FundingSource, Opd
from opd.models.submissions import MAX_BUDGET
from pillars.models import Element, Pillar
from tests.masterplan.factories import even_budgets

pytestmark = pytest.mark.django_db


@pytest.fixture
def opds(db):
    return [
        Opd.objects.create(code=f"OPD{number}", name=f"Dinas {name}", short_name=name, kind="dinas")
        for number, name in enumerate(["Kominfo", "Dinkes", "DLH", "Bappeda"])
    ]


def bulk_programmes(masterplan, opds, specs):
    """Create programmes from (element code, start, end, budget, quick win, source, lead index) directly.

    Directly, not through the service, so that a programme may also lie partly outside the period (a service
    refuses that today). Its budget becomes yearly rows spread evenly over its years inside the period (the
    Rupiah that do not divide on the first), as the data migration moved the old single budgets.
    """
    elements = {element.code: element for element in Element.objects.all()}
    programmes = Programme.objects.bulk_create(
        Programme(
            masterplan=masterplan,
            element=elements[code],
            title=f"Program {number:04d}",
            lead_opd=opds[lead],
            start_year=start,
            end_year=end,
            is_quick_win=quick,
            order=number % 7,
        )
        for number, (code, start, end, budget, quick, source, lead) in enumerate(specs)
    )
    rows = []
    for programme, (_code, start, end, budget, _quick, source, _lead) in zip(programmes, specs, strict=True):
        first, last = max(start, masterplan.start_year), min(end, masterplan.end_year)
        if first <= last:
            for (year, fund), amount in even_budgets(budget, source, first, last).items():
                rows.append(ProgrammeBudget(programme=programme, year=year, source=fund, amount=amount))
    ProgrammeBudget.objects.bulk_create(rows)
    return programmes


def expected_figures(masterplan) -> dict:
    """Compute the roadmap's figures the straightforward way: every budget row of every programme in Python."""
    programmes = list(
        Programme.objects.filter(masterplan=masterplan)
        .select_related("element", "lead_opd")
        .prefetch_related("budgets")
    )
    by_year = dict.fromkeys(range(masterplan.start_year, masterplan.end_year + 1), 0)
    by_pillar = {pk: [0, 0, 0] for pk in Pillar.objects.values_list("pk", flat=True)}
    by_source, by_lead = defaultdict(int), Counter()
    quick_budget = 0
    for programme in programmes:
        pillar = by_pillar[programme.element.pillar_id]
        pillar[0] += 1
        for row in programme.budgets.all():
            by_year[row.year] += row.amount
            pillar[1] += row.amount
            if programme.start_year <= masterplan.short_term_end_year:
                pillar[2] += row.amount
            if programme.is_quick_win:
                quick_budget += row.amount
            by_source[row.source] += row.amount
        by_lead[programme.lead_opd.name] += 1
    short_term = [programme for programme in programmes if programme.start_year <= masterplan.short_term_end_year]
    quick_wins = [programme for programme in programmes if programme.is_quick_win]
    return {
        "count": len(programmes),
        "short": len(short_term),
        "long": len(programmes) - len(short_term),
        "quick": len(quick_wins),
        "quick_budget": quick_budget,
        "budget": sum(figures[1] for figures in by_pillar.values()),
        "short_budget": sum(figures[2] for figures in by_pillar.values()),
        "by_year": by_year,
        "by_pillar": {pk: tuple(figures) for pk, figures in by_pillar.items()},
        "by_source": [(label, by_source[value]) for value, label in FundingSource.choices if by_source[value]],
        "by_lead": sorted(by_lead.items(), key=lambda item: (-item[1], item[0])),
    }


def figures_of(plan) -> dict:
    return {
        "count": plan.count,
        "short": plan.short_term_count,
        "long": plan.long_term_count,
        "quick": plan.quick_win_count,
        "quick_budget": plan.quick_win_budget,
        "budget": plan.budget,
        "short_budget": plan.short_term_budget,
        "by_year": plan.budget_by_year,
        "by_pillar": {
            pillar.pillar.pk: (pillar.count, pillar.budget, pillar.short_term_budget) for pillar in plan.pillars
        },
        "by_source": plan.budget_by_source,
        "by_lead": [(opd.name, opd.programme_count) for opd in plan.lead_opds],
    }


def test_odd_budgets_single_years_and_years_beyond_the_period_give_the_python_figures(masterplan, opds):
    bulk_programmes(
        masterplan,
        opds,
        [
            ("GOV-SVC", 2026, 2028, 1_000_000_001, False, "apbd_kabupaten", 0),  # 2 Rupiah left over, for 2026
            ("GOV-SVC", 2026, 2028, 2, True, "apbd_kabupaten", 0),  # less than one Rupiah a year: all on 2026
            ("GOV-SVC", 2023, 2032, 999_999_999_999_999, False, "csr", 1),  # the whole period, 9 left over
            ("ECO-IND", 2030, 2030, 7, False, "apbn", 2),  # a single year
            ("ECO-IND", 2032, 2032, 13, True, "apbn", 2),  # the last year alone
            ("ENV-WST", 2023, 2023, 0, False, "hibah", 3),  # no budget
            ("ENV-WST", 2021, 2024, 1_000, False, "hibah", 3),  # starts before the period: 2023-2024 only
            ("LIV-HEA", 2031, 2035, 1_001, False, "lainnya", 1),  # ends after it: 2031-2032 only
            ("SOC-LRN", 2040, 2041, 555, True, "csr", 0),  # wholly outside: counted, no budget row
            ("GOV-SVC", 2028, 2032, MAX_BUDGET, False, "apbd_provinsi", 0),  # the largest allowed budget
        ],
    )
    figures = figures_of(roadmap(masterplan))
    assert figures == expected_figures(masterplan)
    assert figures_of(roadmap(masterplan, pages={})) == figures  # the page's figures count every programme too
    assert figures["by_year"][2026] == 333_333_333 + 2 + 2 + 99_999_999_999_999
    assert figures["by_year"][2030] == 99_999_999_999_999 + 7 + MAX_BUDGET // 5
    assert figures["by_year"][2023] == 99_999_999_999_999 + 9 + 0 + 500
    assert figures["by_year"][2031] == 99_999_999_999_999 + 501 + MAX_BUDGET // 5


def test_many_random_programmes_give_the_python_figures(masterplan, opds):
    rng = random.Random(5)
    codes = list(Element.objects.values_list("code", flat=True))
    specs = []
    for _number in range(300):
        start = rng.randint(2023, 2032)
        end = rng.choice([start, start, rng.randint(start, 2032)])  # a third single-year
        budget = rng.choice([0, 1, rng.randint(2, 99), rng.randint(10**6, 10**12) | 1, rng.randint(1, MAX_BUDGET)])
        specs.append(
            (
                rng.choice(codes),
                start,
                end,
                budget,
                rng.random() < 0.2,
                rng.choice(FundingSource.values),
                rng.randint(0, 3),
            )
        )
    bulk_programmes(masterplan, opds, specs)
    figures = figures_of(roadmap(masterplan, pages={"GOV": "2"}))
    assert figures == expected_figures(masterplan)
    assert sum(figures["by_year"].values()) == figures["budget"]  # every programme inside the period: all spread


def test_each_pillar_shows_its_own_page_of_rows_in_the_roadmaps_order(masterplan, opds):
    rng = random.Random(7)
    codes = list(Element.objects.values_list("code", flat=True))
    bulk_programmes(
        masterplan,
        opds,
        [(codes[number % 18], rng.randint(2023, 2032), 2032, 10, False, "csr", 0) for number in range(140)],
    )
    in_order = defaultdict(list)  # the programme list's own order, the roadmap's
    for programme in Programme.objects.filter(masterplan=masterplan).select_related("element"):
        in_order[programme.element.pillar_id].append(programme.pk)
    pages = {"GOV": "2", "ECO": "3", "ENV": "99", "LIV": "nonsense"}
    plan = roadmap(masterplan, pages=pages)
    for pillar in plan.pillars:
        first = pillar.page.start_index() - 1
        assert [row.pk for row in pillar.programmes] == in_order[pillar.pillar.pk][first : first + PROGRAMMES_PER_PAGE]
        assert pillar.count == len(in_order[pillar.pillar.pk])
    pages = {pillar.pillar.code: (pillar.page.number, pillar.page.paginator.num_pages) for pillar in plan.pillars}
    assert pages["GOV"][0] == 2 and pages["ECO"][0] == 3 and pages["LIV"][0] == 1 and pages["SOC"][0] == 1
    assert pages["ENV"][0] == pages["ENV"][1] > 1  # beyond the last page: the last
    whole = roadmap(masterplan)  # the PDF's and the spreadsheet's: every programme, in the same order
    for pillar in whole.pillars:
        assert pillar.page is None
        assert [programme.pk for programme in pillar.programmes] == in_order[pillar.pillar.pk]
    assert whole.everything_shown and not plan.everything_shown


def test_programme_rows_show_their_supporters_and_sources_and_escape_what_people_typed(
    client, kominfo_admin, masterplan, opds
):
    from tests.opd.submission_factories import SubmissionFactory

    (programme,) = bulk_programmes(masterplan, opds, [("GOV-SVC", 2024, 2026, 3_000, True, "csr", 0)])
    Programme.objects.filter(pk=programme.pk).update(title='<script>alert("x")</script> & Co')
    programme.supporting_opds.set([opds[2], opds[3]])
    submissions = [SubmissionFactory(opd=opds[1], reference=reference) for reference in ("USL-0002", "USL-0001")]
    programme.submissions.set(submissions)
    client.force_login(kominfo_admin)
    html = client.get(reverse("masterplan:detail", args=[masterplan.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
    assert '<br><span class="text-body-secondary">+ Bappeda, DLH</span>' in html  # by the OPDs' names
    first, second = sorted(submissions, key=lambda submission: submission.reference)
    assert (
        f'<a href="{reverse("submissions:detail", args=[first.pk])}">USL-0001</a>, '
        f'<a href="{reverse("submissions:detail", args=[second.pk])}">USL-0002</a>'
    ) in html
    assert reverse("masterplan:programme_edit", args=[masterplan.pk, programme.pk]) in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_the_unused_approved_count_follows_the_submission_list_rule(kominfo_admin, masterplan, opds):
    from opd.models import SubmissionStatus
    from tests.opd.submission_factories import SubmissionFactory

    other = services.masterplan_create(
        by=kominfo_admin,
        data={"title": "Masterplan Lain", "start_year": 2023, "end_year": 2032, "short_term_end_year": 2027},
    )
    statuses = [SubmissionStatus.APPROVED] * 6 + [SubmissionStatus.REJECTED, SubmissionStatus.SUBMITTED]
    submissions = [
        SubmissionFactory(opd=opds[0], status=status, reference=f"USL-{number:04d}")
        for number, status in enumerate(statuses)
    ]
    mine = bulk_programmes(masterplan, opds, [("GOV-SVC", 2024, 2025, 1, False, "csr", 0)] * 2)
    (theirs,) = bulk_programmes(other, opds, [("GOV-SVC", 2024, 2025, 1, False, "csr", 0)])
    mine[0].submissions.set(submissions[0:2])
    mine[1].submissions.set([submissions[1], submissions[6]])  # used twice; a rejected one used: not counted
    theirs.submissions.set(submissions[2:4])  # another masterplan's use leaves them unused here
    assert unused_approved_submission_count(masterplan) == unused_approved_submissions(masterplan).count() == 4
    assert unused_approved_submission_count(other) == unused_approved_submissions(other).count() == 4


def test_programmes_of_gives_each_programme_its_rows_as_lists_in_the_order_shown(kominfo_admin):
    from masterplan.models import Rpjmd, RpjmdMission
    from masterplan.selectors import programmes_of
    from tests.masterplan.factories import realistic_masterplan

    masterplan = realistic_masterplan(admin=kominfo_admin, programme_count=8, submission_count=4)
    rpjmd = Rpjmd.objects.create(masterplan=masterplan, start_year=2021, end_year=2026, vision="Mojokerto maju")
    second, first = (RpjmdMission.objects.create(rpjmd=rpjmd, number=n, text=f"Misi {n}") for n in (2, 1))
    for programme in Programme.objects.filter(masterplan=masterplan):
        programme.rpjmd_missions.set([second, first])
        ProgrammeBudget.objects.create(programme=programme, year=programme.start_year, source="csr", amount=1)

    programmes = list(programmes_of(masterplan))

    assert programmes and all(programme.indicator_list and programme.supporting_opd_list for programme in programmes)
    assert any(programme.submission_list for programme in programmes)
    for programme in programmes:
        assert programme.budget_list == list(programme.budgets.order_by("year", "source"))
        assert len(programme.budget_list) > 1
        assert programme.supporting_opd_list == list(programme.supporting_opds.order_by("name", "pk"))
        assert programme.submission_list == list(programme.submissions.order_by("reference", "pk"))
        assert programme.mission_list == [first, second]
        assert programme.indicator_list == list(programme.indicators.order_by("order", "pk"))
        for indicator in programme.indicator_list:
            assert indicator.target_list == list(indicator.targets.order_by("year"))
    paged = programmes_of(masterplan, with_targets=False, with_missions=False).first()
    assert not hasattr(paged, "indicator_list") and not hasattr(paged, "mission_list")
