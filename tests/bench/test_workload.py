"""The deadline-rush workload of `make bench`: its mix and think time, and its clicks against the real pages.

No load runs here: the clicks of one staff member and one reviewer go through Django's test client
with CSRF checks on, reading the pages with the same helpers the locust users use (bench/pages.py),
so a changed form or template that would break the benchmark fails here first.
"""

import importlib
import random

import pytest

from bench import pages
from opd.forms import SubmissionForm
from opd.models import Submission, SubmissionKind, SubmissionStatus
from opd.models.submissions import FIRST_YEAR, LAST_YEAR, FundingSource, Horizon, Priority
from opd.quick_wins import quick_win_window
from pillars.models import Element


@pytest.fixture
def locustfile(monkeypatch):
    """Import the locust users without letting locust monkey-patch the test process for gevent."""
    monkeypatch.setenv("LOCUST_SKIP_MONKEY_PATCH", "1")
    pytest.importorskip("locust", reason="locust comes with requirements-bench.txt")
    return importlib.import_module("bench.locustfile")


def test_the_mix_is_80_percent_staff_15_kominfo_5_bupati_with_2_to_8_seconds_between_clicks(locustfile):
    classes = [locustfile.OpdStaff, locustfile.KominfoReviewer, locustfile.BupatiOffice]
    assert [user_class.weight for user_class in classes] == [80, 15, 5]
    assert not any(getattr(user_class, "fixed_count", 0) for user_class in classes)
    waits = [locustfile.OpdStaff.wait_time(None) for _ in range(2000)]
    assert 2 <= min(waits) < 2.5 and 7.5 < max(waits) <= 8
    assert locustfile.KominfoReviewer.wait_time is locustfile.OpdStaff.wait_time


def test_each_role_clicks_what_the_deadline_rush_asks_for(locustfile):
    def weights(user_class) -> dict:
        counts: dict = {}
        for function in user_class.tasks:
            counts[function.__name__] = counts.get(function.__name__, 0) + 1
        return counts

    assert weights(locustfile.OpdStaff) == {"dashboard": 2, "own_list": 3, "open_submission": 3, "work_on_draft": 4}
    assert weights(locustfile.KominfoReviewer) == {
        "dashboard": 1,
        "queue": 3,
        "queue_filtered": 2,
        "search": 2,
        "open_submission": 3,
        "comment": 1,
        "review": 2,
    }
    assert weights(locustfile.BupatiOffice) == {"dashboard": 1, "roadmap": 1}


def test_the_load_generator_refuses_any_host_but_loopback(locustfile):
    user = locustfile.OpdStaff.__new__(locustfile.OpdStaff)
    user.host = "http://10.0.0.5:8000"
    with pytest.raises(RuntimeError, match="127.0.0.1"):
        user.on_start()


@pytest.fixture
def workload(pillars) -> dict:
    return {
        "elements": list(Element.objects.values_list("pk", "pillar_id")),
        "choices": {
            "kind": SubmissionKind.values,
            "horizon": Horizon.values,
            "priority": Priority.values,
            "funding_source": FundingSource.values,
        },
        "years": [FIRST_YEAR, LAST_YEAR],
        "quick_win_window": list(quick_win_window(FIRST_YEAR)),
    }


def log_in(client, username: str, password: str) -> None:
    """Log in through the login form with its CSRF token, as a simulated user does."""
    html = client.get("/akun/masuk/").content.decode()
    assert "/static/portal/css/portal.css" in "".join(pages.static_assets(html))
    token = pages.csrf_token(html)
    response = client.post("/akun/masuk/", {"csrfmiddlewaretoken": token, "username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]


@pytest.mark.django_db
def test_a_staff_member_drafts_uploads_and_sends_and_a_reviewer_approves_through_the_real_forms(
    client, settings, tmp_path, staff_dinkes, kominfo_admin, password, workload
):
    from django.test import Client

    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    staff_dinkes.set_password(password)
    staff_dinkes.save()
    kominfo_admin.set_password(password)
    kominfo_admin.save()
    rng = random.Random(7)
    staff = Client(enforce_csrf_checks=True)
    log_in(staff, "staf.dinkes", password)

    token = pages.csrf_token(staff.get("/usulan/baru/").content.decode())
    form = pages.new_draft_form(rng, workload) | {"csrfmiddlewaretoken": token}
    response = staff.post("/usulan/baru/", form)
    assert response.status_code == 302
    draft = pages.submission_id_of(response["Location"])
    assert Submission.objects.get(pk=draft).status == SubmissionStatus.DRAFT

    html = staff.get(f"/usulan/{draft}/ubah/").content.decode()
    full = pages.full_draft_form(rng, workload, title=form["title"], version=pages.form_version(html))
    response = staff.post(f"/usulan/{draft}/ubah/", full | {"csrfmiddlewaretoken": pages.csrf_token(html)})
    assert (response.status_code, response["Location"]) == (302, f"/usulan/{draft}/kirim/")

    html = staff.get(f"/usulan/{draft}/").content.decode()
    assert draft in pages.submission_ids(staff.get("/usulan/").content.decode())
    body, content_type = pages.multipart(
        {"csrfmiddlewaretoken": pages.csrf_token(html), "description": "Data dukung"},
        {"file": ("data-dukung.pdf", pages.SMALL_PDF, "application/pdf")},
    )
    response = staff.post(f"/usulan/{draft}/lampiran/", body, content_type=content_type)
    assert response.status_code == 302
    assert not pages.refused(staff.get(response["Location"]).content.decode())
    assert Submission.objects.get(pk=draft).attachments.count() == 1

    html = staff.get(f"/usulan/{draft}/kirim/").content.decode()
    send = {"csrfmiddlewaretoken": pages.csrf_token(html), "version": pages.form_version(html)}
    assert staff.post(f"/usulan/{draft}/kirim/", send).status_code == 302
    assert Submission.objects.get(pk=draft).status == SubmissionStatus.SUBMITTED

    reviewer = Client(enforce_csrf_checks=True)
    log_in(reviewer, "admin.kominfo", password)
    queue = reviewer.get("/usulan/?status=submitted&ordering=last_submitted_at&page=1").content.decode()
    assert pages.submission_ids(queue) == [draft]
    html = reviewer.get(f"/usulan/{draft}/").content.decode()
    response = reviewer.post(f"/usulan/{draft}/telaah/", {"csrfmiddlewaretoken": pages.csrf_token(html)})
    html = reviewer.get(response["Location"]).content.decode()
    assert not pages.refused(html)
    decision = {"csrfmiddlewaretoken": pages.csrf_token(html), "version": pages.form_version(html), "reason": ""}
    response = reviewer.post(f"/usulan/{draft}/keputusan/approve/", decision)
    assert not pages.refused(reviewer.get(response["Location"]).content.decode())
    assert Submission.objects.get(pk=draft).status == SubmissionStatus.APPROVED

    # A second decision on the same submission is refused with a message: an outcome, not an error.
    response = reviewer.post(f"/usulan/{draft}/keputusan/approve/", decision)
    assert response.status_code == 302
    assert pages.refused(reviewer.get(response["Location"]).content.decode())


@pytest.mark.django_db
def test_the_queue_filters_the_reviewers_use_are_ones_the_list_understands(kominfo_admin, dinkes, pillars):
    from django.http import QueryDict

    from opd.filters import SubmissionFilter

    rng = random.Random(3)
    work = {
        "pillars": [pillar.pk for pillar in pillars],
        "opds": [dinkes.pk],
        "choices": {"kind": SubmissionKind.values},
    }
    for _ in range(30):
        query = pages.queue_filters(rng, work)
        filterset = SubmissionFilter(QueryDict(query), queryset=Submission.objects.all(), user=kominfo_admin)
        assert filterset.is_valid(), (query, filterset.errors)


def test_a_redirect_is_followed_on_the_same_server_with_its_query_string():
    assert pages.local_path("http://127.0.0.1:57511/usulan/5/kirim/?from=edit") == "/usulan/5/kirim/?from=edit"
    assert pages.local_path("/usulan/5/#attachments") == "/usulan/5/"
    assert pages.submission_id_of("/usulan/5/kirim/") == 5


@pytest.mark.django_db
def test_every_full_draft_the_bench_sends_fits_the_draft_masterplans_quick_win_window(workload, kominfo_admin):
    """With a draft masterplan a quick win must end within its window: the simulated staff must respect it."""
    from tests.masterplan.factories import MasterplanFactory

    MasterplanFactory(
        start_year=2027, end_year=2036, short_term_end_year=2029, quick_win_years=1, created_by=kominfo_admin
    )
    workload = workload | {"quick_win_window": list(quick_win_window(FIRST_YEAR))}  # as bench.measure reads it
    assert workload["quick_win_window"] == [2027, 2027]
    rng = random.Random(11)
    horizons = set()
    for _ in range(80):
        data = pages.full_draft_form(rng, workload, title="Aplikasi antrean puskesmas", version=1)
        horizons.add(data["horizon"])
        form = SubmissionForm(data)
        assert form.is_valid(), (data, form.errors)
    assert Horizon.QUICK_WIN in horizons
