"""The rows of the programme form (indicators, budgets) and of the part pages (missions, IKU, members): the row counts
a browser sends are checked, never trusted, and rows the page's script adds are saved."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from masterplan import services
from masterplan.models import GovernanceBody, Indicator, Programme, ProgrammeBudget, Rpjmd
from opd.models import Opd
from pillars.models import Element
from tests.masterplan.factories import governance_post, programme_parts_post
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.fixture
def programme(masterplan, kominfo_admin):
    lead = Opd.objects.get_or_create(code="DLH", defaults={"name": "Dinas LH", "short_name": "DLH", "kind": "dinas"})[0]
    return services.programme_create(
        masterplan=masterplan,
        by=kominfo_admin,
        data={
            "title": "Super App",
            "element": Element.objects.get(code="GOV-SVC"),
            "description": "Integrasi",
            "lead_opd": lead,
            "start_year": 2024,
            "end_year": 2026,
        },
        budgets={(2024, "apbd_kabupaten"): 1_000_000},
        indicators=[services.IndicatorData(name="Aplikasi berjalan", kind="output", targets={})],
    )


def edit_url(programme) -> str:
    return reverse("masterplan:programme_edit", args=[programme.masterplan_id, programme.pk])


def edit_post(programme, *, indicators=1, budgets=1, **overrides) -> dict:
    """Return the edit form as the page sends it: the saved rows first (INITIAL_FORMS), then the typed ones."""
    data = {
        "title": programme.title,
        "element": programme.element_id,
        "lead_opd": programme.lead_opd_id,
        "start_year": "2024",
        "end_year": "2026",
        "version": str(programme.version),
        **programme_parts_post(
            indicators=[{"name": f"Indikator {number}", "kind": "output"} for number in range(indicators)],
            budgets=[("2025", "apbd_kabupaten", "2.000.000")] * budgets,
        ),
        "indicator-INITIAL_FORMS": "1",
        "budget-INITIAL_FORMS": "1",
    }
    return data | overrides


def saved(programme) -> tuple:
    return (
        tuple(Indicator.objects.filter(programme=programme).order_by("order").values_list("name", flat=True)),
        tuple(ProgrammeBudget.objects.filter(programme=programme).values_list("year", "source", "amount")),
        Programme.objects.get(pk=programme.pk).version,
    )


TAMPERED = [
    ("indicator-TOTAL_FORMS", "10000"),
    ("indicator-TOTAL_FORMS", "51"),
    ("indicator-TOTAL_FORMS", "abc"),
    ("indicator-TOTAL_FORMS", "-1"),
    ("indicator-TOTAL_FORMS", ""),
    ("indicator-TOTAL_FORMS", None),
    ("indicator-INITIAL_FORMS", "x"),
    ("indicator-INITIAL_FORMS", "-1"),
    ("indicator-INITIAL_FORMS", "2"),
    ("budget-TOTAL_FORMS", "10000"),
    ("budget-TOTAL_FORMS", "201"),
    ("budget-TOTAL_FORMS", "1e3"),
    ("budget-TOTAL_FORMS", "-5"),
    ("budget-TOTAL_FORMS", "²"),
    ("budget-INITIAL_FORMS", None),
]


@pytest.mark.parametrize("field, value", TAMPERED)
def test_tampered_row_counts_are_refused_with_a_message_and_change_nothing(kominfo_admin, programme, field, value):
    client = logged_in(kominfo_admin)
    before = saved(programme)
    data = edit_post(programme)
    if value is None:
        del data[field]
    else:
        data[field] = value
    response = client.post(edit_url(programme), data, follow=True)
    assert response.redirect_chain == [(edit_url(programme), 302)]
    assert saved(programme) == before
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and "tidak ada yang disimpan" in shown[0], shown
    assert response.context["indicators"].total_form_count() == 1 + 2  # the saved row and the empty ones, afresh


def test_a_tampered_new_programme_is_not_created_and_the_chosen_submissions_stay_in_the_address(
    kominfo_admin, masterplan, programme
):
    client = logged_in(kominfo_admin)
    count = Programme.objects.count()
    path = reverse("masterplan:programme_create", args=[masterplan.pk]) + "?submission=1"
    data = edit_post(programme, **{"indicator-INITIAL_FORMS": "0", "budget-INITIAL_FORMS": "0"})
    data.pop("version")
    response = client.post(path, data | {"budget-TOTAL_FORMS": "abc"})
    assert response.status_code == 302 and response["Location"] == path
    assert Programme.objects.count() == count


def test_rows_added_in_the_browser_up_to_the_limit_are_saved(kominfo_admin, programme):
    """The page offers 1 saved + 2 empty indicator rows; the script adds rows up to 50, each index after the last."""
    client = logged_in(kominfo_admin)
    response = client.post(edit_url(programme), edit_post(programme, indicators=50, budgets=4))
    assert response.status_code == 302
    names, budgets, _version = saved(programme)
    assert names == tuple(f"Indikator {number}" for number in range(50))
    assert budgets == ((2025, "apbd_kabupaten", 8_000_000),)  # four rows of the same year and source add up


def test_the_page_offers_an_empty_row_template_and_an_add_button_hidden_until_the_script_runs(kominfo_admin, programme):
    page = logged_in(kominfo_admin).get(edit_url(programme)).content.decode()
    for prefix, maximum in (("indicator", 50), ("budget", 200)):
        assert f'data-formset="{prefix}"' in page
        assert f'name="{prefix}-MAX_NUM_FORMS" value="{maximum}"' in page
        assert f'name="{prefix}-__prefix__-' in page  # inside <template>: not sent with the form
    assert page.count("<template data-formset-template>") == 2
    assert page.count("data-formset-controls hidden") == 2
    assert page.count("data-formset-without-script") == 2
    assert page.count("data-formset-new") == 2  # only the two templates' rows can be removed


def rpjmd_post(**overrides) -> dict:
    return {
        "start_year": "2021",
        "end_year": "2026",
        "vision": "Mojokerto maju",
        "mission-TOTAL_FORMS": "1",
        "mission-INITIAL_FORMS": "0",
        "mission-0-number": "1",
        "mission-0-text": "Tata kelola",
        "iku-TOTAL_FORMS": "0",
        "iku-INITIAL_FORMS": "0",
    } | overrides


@pytest.mark.parametrize(
    "part, field, value",
    [
        ("part_rpjmd", "mission-TOTAL_FORMS", "-1"),
        ("part_rpjmd", "mission-TOTAL_FORMS", "31"),
        ("part_rpjmd", "iku-TOTAL_FORMS", "abc"),
        ("part_rpjmd", "iku-INITIAL_FORMS", "3"),
        ("part_governance", "dewan-member-TOTAL_FORMS", "10000"),
        ("part_governance", "tim_pelaksana-member-TOTAL_FORMS", "-2"),
        ("part_governance", "tim_pelaksana-member-INITIAL_FORMS", None),
    ],
)
def test_tampered_row_counts_on_a_part_page_are_refused_and_change_nothing(
    kominfo_admin, masterplan, staff_dinkes, part, field, value
):
    client = logged_in(kominfo_admin)
    path = reverse(f"masterplan:{part}", args=[masterplan.pk])
    good = rpjmd_post() if part == "part_rpjmd" else governance_post(staff_dinkes.opd_id)
    assert client.post(path, good, follow=True).redirect_chain  # saved once, so a wrongly accepted POST would show
    before = (
        tuple(Rpjmd.objects.filter(masterplan=masterplan).values_list("missions__text", "indicators__name")),
        tuple(GovernanceBody.objects.filter(masterplan=masterplan).values_list("kind", "members__name")),
    )
    data = good | {field: value} if value is not None else {k: v for k, v in good.items() if k != field}
    response = client.post(path, data, follow=True)
    assert response.redirect_chain == [(path, 302)]
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and shown[0].endswith(("tidak ada yang disimpan.", "ulangi perubahan Anda.")), shown
    after = (
        tuple(Rpjmd.objects.filter(masterplan=masterplan).values_list("missions__text", "indicators__name")),
        tuple(GovernanceBody.objects.filter(masterplan=masterplan).values_list("kind", "members__name")),
    )
    assert after == before and any(after)


def test_a_part_page_offers_the_empty_row_template_with_numbered_labels(kominfo_admin, masterplan):
    page = logged_in(kominfo_admin).get(reverse("masterplan:part_governance", args=[masterplan.pk])).content.decode()
    for prefix in ("dewan-member", "tim_pelaksana-member"):
        assert f'data-formset="{prefix}"' in page
        assert f'name="{prefix}-__prefix__-name"' in page
    assert len(re.findall(r'aria-label="[^"]+ __number__" data-formset-numbered', page)) == 2 * 5  # 5 columns
    assert re.search(r'aria-label="[^"]+ 3"', page)  # the rows the server renders keep their numbers
    assert "formset-rows.js" in page
