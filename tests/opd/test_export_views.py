"""The export pages: start from the list's filter, follow progress, download; only the requester sees an export."""

from pathlib import Path

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opd.models import SubmissionExport
from opd.services.exports import submission_export_run, submission_export_start
from tests.factories import UserFactory

from .submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401

pytestmark = pytest.mark.django_db
Status = SubmissionExport.Status
EXPORTS = "/usulan/ekspor/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def sent_submissions(staff_dinkes, pillars):
    return [sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)) for _ in range(3)]


def finished_export(user, query="status=", file_format="csv") -> SubmissionExport:
    export = submission_export_start(user=user, params=QueryDict(query), file_format=file_format)
    return submission_export_run(export_id=export.pk)


def test_the_list_buttons_post_the_filter_shown_and_lead_to_the_progress(client, kominfo_admin, sent_submissions):
    client.force_login(kominfo_admin)
    page = client.get("/usulan/", {"status": "submitted", "q": "layanan"})
    html = page.content.decode()
    assert f'action="{EXPORTS}"' in html and 'data-testid="export-xlsx"' in html
    query = page.context["export_query"]
    assert QueryDict(query)["status"] == "submitted" and QueryDict(query)["q"] == "layanan"

    response = client.post(EXPORTS, {"query": query, "file_format": "xlsx"})

    export = SubmissionExport.objects.get()
    assert response.status_code == 302 and response.url == f"{EXPORTS}#export-{export.pk}"
    assert export.requested_by == kominfo_admin and export.file_format == "xlsx" and export.status == Status.QUEUED
    assert QueryDict(export.query)["q"] == "layanan" and "layanan" in export.description
    listing = client.get(EXPORTS).content.decode()
    assert f'id="export-{export.pk}"' in listing and "hx-get" in listing and "<progress" in listing


def test_a_finished_export_is_downloaded_by_its_requester(client, kominfo_admin, sent_submissions):
    export = finished_export(kominfo_admin, file_format="xlsx")
    client.force_login(kominfo_admin)

    row = client.get(reverse("submissions:export_status", args=[export.pk])).content.decode()
    assert "hx-get" not in row and 'data-testid="export-download"' in row
    response = client.get(reverse("submissions:export_download", args=[export.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == f'attachment; filename="{export.download_name}"'
    assert b"".join(response.streaming_content) == Path(export.file.path).read_bytes()


@pytest.mark.parametrize("who", ["another_admin", "executive", "staff_dinkes"])
def test_nobody_else_sees_or_downloads_an_export_not_even_another_admin(client, request, kominfo_admin, who, pillars):
    export = finished_export(kominfo_admin)
    failed = SubmissionExport.objects.create(requested_by=kominfo_admin, file_format="csv", status=Status.FAILED)
    other = UserFactory(role="kominfo_admin") if who == "another_admin" else request.getfixturevalue(who)
    client.force_login(other)

    for name in ("export_status", "export_download"):
        assert client.get(reverse(f"submissions:{name}", args=[export.pk])).status_code == 404
    assert client.post(reverse("submissions:export_retry", args=[failed.pk])).status_code == 404
    assert f"export-{export.pk}" not in client.get(EXPORTS).content.decode()
    assert SubmissionExport.objects.count() == 2


def test_the_export_pages_need_a_login(client, kominfo_admin, pillars):
    export = finished_export(kominfo_admin)
    for url in (EXPORTS, reverse("submissions:export_download", args=[export.pk])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_an_unfinished_or_vanished_file_is_a_404(client, kominfo_admin, pillars):
    queued = submission_export_start(user=kominfo_admin, params=QueryDict(""), file_format="csv")
    done = finished_export(kominfo_admin)
    Path(done.file.path).unlink()
    client.force_login(kominfo_admin)
    for export in (queued, done):
        assert client.get(reverse("submissions:export_download", args=[export.pk])).status_code == 404


def test_a_bad_filter_or_format_is_explained_and_nothing_is_queued(client, kominfo_admin, pillars):
    client.force_login(kominfo_admin)
    client.cookies["django_language"] = "en"
    for data in ({"query": "year=1e30", "file_format": "csv"}, {"query": "", "file_format": "pdf"}, {}):
        response = client.post(EXPORTS, data, follow=True)
        assert response.status_code == 200
        texts = [str(message) for message in response.context["messages"]]
        assert any("could not be understood" in text or "CSV or XLSX" in text for text in texts), texts
    assert not SubmissionExport.objects.exists()


def test_the_old_in_request_export_addresses_are_gone(client, kominfo_admin, sent_submissions):
    client.force_login(kominfo_admin)
    for path in ("/usulan/ekspor.csv", "/usulan/ekspor.xlsx"):
        assert client.get(path, {"status": ""}).status_code == 404
    assert not SubmissionExport.objects.exists()


def test_a_get_never_starts_an_export(client, kominfo_admin, sent_submissions):
    client.force_login(kominfo_admin)
    assert client.get(EXPORTS, {"query": "status=", "file_format": "csv"}).status_code == 200
    assert client.get(reverse("submissions:export_retry", args=[1])).status_code == 405
    assert not SubmissionExport.objects.exists()


def test_a_failed_export_shows_its_reason_and_can_be_retried(client, kominfo_admin, sent_submissions, media):
    (media / "exports").write_text("in the way")
    client.force_login(kominfo_admin)
    client.cookies["django_language"] = "en"
    client.post(EXPORTS, {"query": "status=", "file_format": "csv"})
    failed = submission_export_run(export_id=SubmissionExport.objects.get().pk)
    row = client.get(reverse("submissions:export_status", args=[failed.pk])).content.decode()
    assert 'data-testid="export-error"' in row and "could not be written on the server" in row
    assert 'data-testid="export-retry"' in row
    (media / "exports").unlink()

    response = client.post(reverse("submissions:export_retry", args=[failed.pk]))

    retried = SubmissionExport.objects.exclude(pk=failed.pk).get()
    assert response.status_code == 302 and response.url.endswith(f"#export-{retried.pk}")
    assert submission_export_run(export_id=retried.pk).status == Status.DONE


@pytest.mark.parametrize("who", ["staff_dinkes", "executive"])
def test_every_role_that_reads_the_list_may_export_it(client, request, who, sent_submissions):
    user = request.getfixturevalue(who)
    client.force_login(user)
    client.post(EXPORTS, {"query": "status=", "file_format": "csv"})
    export = submission_export_run(export_id=SubmissionExport.objects.get(requested_by=user).pk)
    assert export.status == Status.DONE and export.row_count == 3


def test_the_exports_page_and_a_status_row_cost_a_fixed_number_of_queries(
    client, kominfo_admin, sent_submissions, django_assert_num_queries
):
    client.force_login(kominfo_admin)
    finished_export(kominfo_admin)
    with CaptureQueriesContext(connection) as one:
        assert client.get(EXPORTS).status_code == 200
    for _ in range(3):
        finished_export(kominfo_admin)
    SubmissionExport.objects.create(requested_by=kominfo_admin, file_format="xlsx", status=Status.FAILED, error="x")
    with django_assert_num_queries(len(one)):
        assert client.get(EXPORTS).status_code == 200
    export = SubmissionExport.objects.first()
    with CaptureQueriesContext(connection) as status:
        assert client.get(reverse("submissions:export_status", args=[export.pk])).status_code == 200
    assert len(status) <= 3  # session, user, the export
