"""The revisions of a submission compared field by field: the selector, and the page in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from opd.models import Submission
from opd.selectors import revision_comparison
from opd.services import submissions as service
from pillars.models import Pillar

from .submission_factories import fast_password_hasher  # noqa: F401  (autouse fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """Labels and choices in the English source, as the tests write them."""
    with translation.override("en"):
        yield


@pytest.fixture
def draft(staff_dinkes, pillars):
    """A draft made through the service, so its creation is its first revision."""
    governance = Pillar.objects.get(code="GOV")
    content = {
        "kind": "inovasi",
        "title": "Judul pertama",
        "pillar": governance,
        "element": governance.elements.first(),
        "horizon": "short_term",
        "budget": 1_250_000_000,
    }
    return service.submission_create(by=staff_dinkes, data=content)


def edit(submission: Submission, by, **data) -> Submission:
    submission.refresh_from_db()
    return service.submission_update(submission=submission, by=by, data=data, expected_version=submission.version)


def changed_rows(comparison: dict) -> dict[str, tuple[str, str]]:
    return {str(row["label"]): (row["before"], row["after"]) for row in comparison["rows"] if row["changed"]}


def test_the_first_and_the_latest_revision_are_compared_by_default(draft, staff_dinkes):
    edit(draft, staff_dinkes, title="Judul kedua")
    environment = Pillar.objects.get(code="ENV")
    edit(draft, staff_dinkes, budget=2_500_000_000, horizon="quick_win", pillar=environment, element=None)
    comparison = revision_comparison(draft)

    assert len(comparison["revisions"]) == 3
    assert (comparison["older"], comparison["newer"]) == (comparison["revisions"][0], comparison["revisions"][-1])
    assert changed_rows(comparison) == {
        "title": ("Judul pertama", "Judul kedua"),
        "estimated budget (Rupiah)": ("Rp 1.250.000.000", "Rp 2.500.000.000"),
        "suggested horizon": ("Short term", "Quick win (within a year)"),
        "pillar": (str(Pillar.objects.get(code="GOV")), str(environment)),
        "element": (str(Pillar.objects.get(code="GOV").elements.first()), ""),
    }
    assert len(comparison["rows"]) == len(Submission.CONTENT_FIELDS)


def test_the_chosen_revisions_are_compared_older_first(draft, staff_dinkes):
    edit(draft, staff_dinkes, title="Judul kedua")
    edit(draft, staff_dinkes, title="Judul ketiga")
    first, second, third = revision_comparison(draft)["revisions"]

    chosen = revision_comparison(draft, str(third.pk), str(second.pk))  # the newer one chosen as "a"
    assert (chosen["older"], chosen["newer"]) == (second, third)
    assert changed_rows(chosen) == {"title": ("Judul kedua", "Judul ketiga")}

    same = revision_comparison(draft, str(second.pk), str(second.pk))
    assert changed_rows(same) == {} and len(same["rows"]) == len(Submission.CONTENT_FIELDS)


@pytest.mark.parametrize(("older", "newer"), [("abc", "999999"), ("", "-1"), (None, None)])
def test_unknown_choices_fall_back_to_the_first_and_the_latest(draft, staff_dinkes, older, newer):
    edit(draft, staff_dinkes, title="Judul kedua")
    comparison = revision_comparison(draft, older, newer)
    assert (comparison["older"], comparison["newer"]) == tuple(comparison["revisions"])


def test_another_submissions_revision_is_never_compared(draft, staff_dinkes):
    other = service.submission_create(by=staff_dinkes, data={"kind": "inovasi", "title": "Usulan lain"})
    foreign = revision_comparison(other)["revisions"][0]
    edit(draft, staff_dinkes, title="Judul kedua")
    comparison = revision_comparison(draft, str(foreign.pk))
    assert comparison["older"] == comparison["revisions"][0] != foreign


def test_a_submission_without_revisions_has_nothing_to_compare(draft):
    draft.events.all().delete()
    assert revision_comparison(draft) == {"revisions": [], "older": None, "newer": None, "rows": []}


def test_the_history_page_issues_the_same_queries_however_many_revisions(client, draft, staff_dinkes):
    client.force_login(staff_dinkes)
    address = reverse("submissions:history", args=[draft.pk])
    edit(draft, staff_dinkes, title="Judul kedua")
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    for number in range(3, 13):
        edit(draft, staff_dinkes, title=f"Judul ke-{number}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(address)
    assert response.status_code == 200 and len(response.context["revisions"]) == 12
    assert len(many) == len(few) <= 15
