"""CSV and XLSX exports of the filtered submission list, written by the export service (as the worker does)."""

import csv
import datetime
import hashlib
import io
import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone, translation
from openpyxl import load_workbook

from opd.exports import headers, write_csv
from opd.models import Submission, SubmissionExport
from opd.services import submissions as service
from opd.services.exports import submission_export_run, submission_export_start
from pillars.models import Pillar

from .submission_factories import (  # noqa: F401  (fast_password_hasher: autouse fixture)
    SubmissionFactory,
    approved,
    fast_password_hasher,
    in_review,
    rejected,
    sent,
)

pytestmark = pytest.mark.django_db
Status = SubmissionExport.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def run_export(user, query: dict, file_format: str = "csv") -> SubmissionExport:
    """Request an export as the list would, then write it as the worker does."""
    export = submission_export_start(user=user, params=QueryDict(urlencode(query)), file_format=file_format)
    return submission_export_run(export_id=export.pk)


def rows_of(export: SubmissionExport) -> list[list]:
    assert export.status == Status.DONE, export.error
    content = Path(export.file.path).read_bytes()
    if export.file_format == "csv":
        text = content.decode("utf-8")
        assert text.startswith("\ufeff")
        return list(csv.reader(io.StringIO(text[1:])))
    workbook = load_workbook(io.BytesIO(content))
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def id_headers() -> list[str]:
    with translation.override("id"):
        return [str(header) for header in headers()]


def by_reference(rows) -> dict:
    """Return the data rows keyed by their reference (the first column)."""
    header, *data = rows
    assert header == id_headers()
    return {row[0]: dict(zip(header, row, strict=True)) for row in data}


@pytest.fixture
def catalogue(staff_dinkes, staff_dlh, kominfo_admin, pillars):
    env = Pillar.objects.get(code="ENV")
    dinkes = {"opd": staff_dinkes.opd, "created_by": staff_dinkes}
    dlh = {"opd": staff_dlh.opd, "created_by": staff_dlh, "pillar": env, "element": env.elements.last()}
    return {
        "draft": SubmissionFactory(**dinkes, title="Draf rahasia"),
        "sent": sent(SubmissionFactory(**dinkes, title="Telemedisin")),
        "reviewing": in_review(SubmissionFactory(**dlh, title="Sensor udara"), kominfo_admin),
        "approved": approved(SubmissionFactory(**dinkes, title="Dasbor gizi"), kominfo_admin, reason="Prioritas RPJMD"),
        "rejected": rejected(SubmissionFactory(**dlh, title="Bank sampah"), kominfo_admin, reason="Sudah ada di DLH"),
    }


def references(catalogue, *keys) -> set[str]:
    return {catalogue[key].reference for key in keys}


# --- Contents -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"status": ""}, ("sent", "reviewing", "approved", "rejected")),
        ({}, ("sent", "reviewing")),  # the same default as the review queue
        ({"status": "approved"}, ("approved",)),
        ({"status": "", "pillar": "ENV"}, ("reviewing", "rejected")),
        ({"status": "", "opd": "DLH"}, ("reviewing", "rejected")),
        ({"status": "", "q": "gizi"}, ("approved",)),
        ({"status": "", "kind": "kebutuhan"}, ()),
        ({"status": "", "ordering": "-budget"}, ("sent", "reviewing", "approved", "rejected")),
    ],
)
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_holds_exactly_the_filtered_rows(client, kominfo_admin, catalogue, query, expected, file_format):
    query = dict(query)
    if query.get("pillar") == "ENV":
        query["pillar"] = Pillar.objects.get(code="ENV").pk
    if query.get("opd") == "DLH":
        query["opd"] = catalogue["reviewing"].opd_id

    export = run_export(kominfo_admin, query, file_format)

    rows = rows_of(export)
    assert set(by_reference(rows)) == references(catalogue, *expected)
    assert export.row_count == len(expected) == len(rows) - 1
    content = Path(export.file.path).read_bytes()
    assert export.progress == 100 and export.size == len(content)
    assert export.sha256 == hashlib.sha256(content).hexdigest()
    # The export and the list page agree on the same query, in the same order.
    client.force_login(kominfo_admin)
    page = client.get("/usulan/", query).context["page"]
    assert [row[0] for row in rows[1:]] == [submission.reference for submission in page.object_list]


def test_the_csv_has_every_column_of_a_decided_submission(kominfo_admin, catalogue):
    decided = Submission.objects.select_related("opd", "pillar", "element").get(pk=catalogue["rejected"].pk)

    export = run_export(kominfo_admin, {"status": "rejected"})

    assert export.download_name.startswith("usulan-smart-city-") and export.download_name.endswith(".csv")
    row = by_reference(rows_of(export))[decided.reference]
    values = list(row.values())
    with translation.override("id"):
        assert values[:8] == [
            decided.reference,
            decided.get_status_display(),
            decided.get_kind_display(),
            decided.title,
            "DLH",
            "Dinas Lingkungan Hidup",
            decided.pillar.name,
            decided.element.name,
        ]
        assert values[14] == decided.get_horizon_display()
        assert values[18:20] == [decided.get_funding_source_display(), decided.get_priority_display()]
    assert values[8:14] == [
        decided.current_condition,
        decided.proposed_solution,
        decided.beneficiaries,
        decided.expected_output,
        decided.expected_outcome,
        decided.indicator,
    ]
    assert values[15:18] == ["2026", "2028", "1250000000"]
    local = timezone.localtime(decided.decided_at).strftime("%d-%m-%Y %H:%M")
    first_sent = timezone.localtime(decided.submitted_at).strftime("%d-%m-%Y %H:%M")
    assert values[21] == timezone.localtime(decided.created_at).strftime("%d-%m-%Y %H:%M")
    assert values[22] == first_sent and values[23] == first_sent
    assert values[24] == timezone.localtime(decided.updated_at).strftime("%d-%m-%Y %H:%M")
    assert values[-3:] == ["Admin Kominfo", local, "Sudah ada di DLH"]
    assert values[20] == "Staf DLH"
    assert all(value != "" for value in values[:20])


def test_the_xlsx_opens_and_keeps_numbers_and_dates_typed(kominfo_admin, catalogue):
    export = run_export(kominfo_admin, {"status": "approved"}, "xlsx")

    assert export.download_name.endswith(".xlsx")
    row = by_reference(rows_of(export))[catalogue["approved"].reference]
    values = list(row.values())
    assert values[15:18] == [2026, 2028, 1_250_000_000]
    assert isinstance(values[21], datetime.datetime)  # created
    decided_at = timezone.localtime(catalogue["approved"].decided_at).replace(tzinfo=None)
    assert abs(values[-2] - decided_at) < datetime.timedelta(seconds=1)
    assert values[-3:] == ["Admin Kominfo", values[-2], "Prioritas RPJMD"]
    sheet = load_workbook(export.file.path).worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["W2"].number_format == "dd-mm-yyyy hh:mm"
    assert sheet["R2"].number_format == "#,##0"


def test_text_with_control_characters_still_makes_a_valid_xlsx(kominfo_admin, staff_dinkes, pillars):
    sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes, title="Aplikasi\x01 <SIM> & \x0bdata "))
    rows = rows_of(run_export(kominfo_admin, {"status": ""}, "xlsx"))
    assert rows[1][3] == "Aplikasi <SIM> & data "


def test_a_resent_submission_keeps_its_last_decision_in_the_export(kominfo_admin, catalogue):
    returned = service.submission_request_revision(
        submission=catalogue["sent"], by=kominfo_admin, reason="Tambah indikator"
    )
    row = by_reference(rows_of(run_export(kominfo_admin, {"status": "revision_requested"})))[returned.reference]
    assert list(row.values())[-1] == "Tambah indikator"


def test_headers_and_names_follow_the_language_of_the_request(kominfo_admin, catalogue):
    with translation.override("en"):
        export = submission_export_start(user=kominfo_admin, params=QueryDict("status=approved"), file_format="csv")
    export = submission_export_run(export_id=export.pk)  # the worker runs in no particular language
    header, row = rows_of(export)
    assert header[0] == "Reference number" and row[1] == "Approved"


def test_progress_is_reported_while_writing(kominfo_admin, staff_dinkes, pillars, tmp_path):
    for _ in range(5):
        sent(SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes))
    seen = []
    with open(tmp_path / "out.csv", "wb") as handle:
        count = write_csv(Submission.objects.all(), handle, on_row=seen.append, every=2)
    assert count == 5 and seen == [2, 4]


# --- Formula injection ------------------------------------------------------------------------------------


DANGEROUS = ['=HYPERLINK("http://evil.example","klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]


@pytest.fixture
def dangerous(staff_dinkes, pillars):
    return [
        sent(
            SubmissionFactory(
                opd=staff_dinkes.opd, created_by=staff_dinkes, title=text, current_condition=text, indicator=text
            )
        )
        for text in DANGEROUS
    ]


def test_csv_cells_that_look_like_formulas_are_neutralised(kominfo_admin, dangerous):
    rows = by_reference(rows_of(run_export(kominfo_admin, {"status": ""})))
    for submission, text in zip(dangerous, DANGEROUS, strict=True):
        row = list(rows[submission.reference].values())
        assert row[3] == row[8] == row[13] == "'" + text


def test_xlsx_cells_that_look_like_formulas_are_text_not_formulas(kominfo_admin, dangerous):
    export = run_export(kominfo_admin, {"status": ""}, "xlsx")
    header, *data = list(load_workbook(export.file.path).worksheets[0].iter_rows())
    assert len(data) == len(DANGEROUS)
    for cells in data:
        for cell in cells:
            assert cell.data_type != "f", cell.value
        assert cells[3].value == "'" + DANGEROUS[[s.reference for s in dangerous].index(cells[0].value)]


# --- Who exports what -------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_opd_staff_export_only_their_own_opd(staff_dlh, catalogue, file_format):
    query = {"status": "", "opd": catalogue["sent"].opd_id}  # asking for Dinkes changes nothing
    rows = rows_of(run_export(staff_dlh, query, file_format))
    assert set(by_reference(rows)) == references(catalogue, "reviewing", "rejected")


def test_opd_staff_export_includes_their_own_drafts(staff_dinkes, catalogue):
    rows = rows_of(run_export(staff_dinkes, {"status": ""}))
    assert {row[3] for row in rows[1:]} == {"Draf rahasia", "Telemedisin", "Dasbor gizi"}


@pytest.mark.parametrize("who", ["kominfo_admin", "executive"])
def test_drafts_never_appear_in_kominfo_or_executive_exports(request, catalogue, who):
    user = request.getfixturevalue(who)
    for query in ({"status": ""}, {"status": "draft"}, {"q": "rahasia"}):
        rows = rows_of(run_export(user, query))
        assert all(row[3] != "Draf rahasia" for row in rows[1:])
        assert all(row[0] for row in rows[1:])


# --- Bad requests -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, file_format",
    [
        ("year=100000", "csv"),
        ("year=0", "xlsx"),
        ("year=1e30", "csv"),
        ("year=2051", "csv"),
        ("status=zzz", "csv"),
        ("pillar=abc", "xlsx"),
        ("opd=999999", "csv"),
        ("ordering=password", "csv"),
        ("status=", "pdf"),
        ("status=", ""),
    ],
)
def test_a_filter_or_format_that_cannot_be_understood_is_refused_and_nothing_is_queued(
    kominfo_admin, catalogue, query, file_format
):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        submission_export_start(user=kominfo_admin, params=QueryDict(query), file_format=file_format)
    message = " ".join(refused.value.messages)
    assert "CSV or XLSX" in message if file_format not in ("csv", "xlsx") else "could not be understood" in message
    assert not SubmissionExport.objects.exists()


def test_a_person_cannot_have_more_than_three_exports_waiting(kominfo_admin, catalogue):
    for _ in range(3):
        submission_export_start(user=kominfo_admin, params=QueryDict(""), file_format="csv")
    with translation.override("en"), pytest.raises(ValidationError, match="already have 3 exports in progress"):
        submission_export_start(user=kominfo_admin, params=QueryDict(""), file_format="csv")
    assert SubmissionExport.objects.count() == 3


# --- Jobs: repeated delivery, failure, retention ----------------------------------------------------------


def test_a_repeated_delivery_of_a_finished_export_changes_nothing(kominfo_admin, catalogue):
    export = run_export(kominfo_admin, {"status": ""})
    content = Path(export.file.path).read_bytes()

    again = submission_export_run(export_id=export.pk)

    assert again.status == Status.DONE and again.attempts == 1 and again.file.name == export.file.name
    assert Path(export.file.path).read_bytes() == content
    assert [path.name for path in Path(export.file.path).parent.iterdir()] == [Path(export.file.name).name]


def test_an_unwritable_storage_folder_fails_with_the_reason_and_a_retry_works(kominfo_admin, catalogue, media):
    (media / "exports").write_text("a file where the exports folder should be")  # root can't be stopped by chmod

    with translation.override("en"):
        failed = run_export(kominfo_admin, {"status": "approved"}, "xlsx")

    assert failed.status == Status.FAILED and not failed.file
    assert "could not be written on the server" in failed.error
    (media / "exports").unlink()
    from opd.services.exports import submission_export_retry

    retried = submission_export_run(export_id=submission_export_retry(export=failed, user=kominfo_admin).pk)
    assert retried.file_format == "xlsx" and retried.query == failed.query
    assert set(by_reference(rows_of(retried))) == references(catalogue, "approved")


def test_an_export_delivered_too_often_ends_failed(kominfo_admin, catalogue):
    export = submission_export_start(user=kominfo_admin, params=QueryDict(""), file_format="csv")
    SubmissionExport.objects.filter(pk=export.pk).update(attempts=3, status=Status.RUNNING)

    with translation.override("en"):
        export = submission_export_run(export_id=export.pk, attempt_limit=3)

    assert export.status == Status.FAILED and "interrupted 3 times" in export.error and export.attempts == 4


def test_a_running_export_whose_worker_vanished_is_failed_when_the_next_starts(kominfo_admin, catalogue, settings):
    old = SubmissionExport.objects.create(requested_by=kominfo_admin, file_format="csv", status=Status.RUNNING)
    limit = settings.CELERY_TASK_TIME_LIMIT + settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    long_ago = timezone.now() - datetime.timedelta(seconds=limit + 120)
    SubmissionExport.objects.filter(pk=old.pk).update(started_at=long_ago)
    recent = SubmissionExport.objects.create(
        requested_by=kominfo_admin, file_format="csv", status=Status.RUNNING, started_at=timezone.now()
    )
    never_taken = SubmissionExport.objects.create(requested_by=kominfo_admin, file_format="csv")
    SubmissionExport.objects.filter(pk=never_taken.pk).update(created_at=long_ago)
    waiting = SubmissionExport.objects.create(requested_by=kominfo_admin, file_format="csv")

    submission_export_start(user=kominfo_admin, params=QueryDict(""), file_format="csv")

    for export in (old, recent, never_taken, waiting):
        export.refresh_from_db()
    assert old.status == never_taken.status == Status.FAILED and old.error and never_taken.error
    assert recent.status == Status.RUNNING and waiting.status == Status.QUEUED


def test_old_exports_and_their_files_are_deleted_when_a_new_one_starts(kominfo_admin, catalogue, settings):
    settings.SUBMISSION_EXPORT_RETENTION_DAYS = 7
    old = run_export(kominfo_admin, {"status": ""})
    kept = run_export(kominfo_admin, {"status": "approved"})
    eight_days_ago = timezone.now() - datetime.timedelta(days=8)
    SubmissionExport.objects.filter(pk=old.pk).update(created_at=eight_days_ago)
    old_path = Path(old.file.path)

    scratch = Path(settings.JOB_SCRATCH_DIR)
    orphan = scratch / ".export-999-abc.part"  # left by a worker killed mid-export
    orphan.write_text("half")
    os.utime(orphan, (eight_days_ago.timestamp(), eight_days_ago.timestamp()))
    fresh = scratch / ".export-1000-abc.part"  # maybe being written right now
    fresh.write_text("half")

    new = submission_export_start(user=kominfo_admin, params=QueryDict(""), file_format="csv")

    assert not orphan.exists() and fresh.exists()

    assert not old_path.exists() and not SubmissionExport.objects.filter(pk=old.pk).exists()
    assert Path(kept.file.path).exists() and SubmissionExport.objects.filter(pk__in=[kept.pk, new.pk]).count() == 2


def test_the_prune_command_deletes_old_exports(kominfo_admin, catalogue):
    from django.core.management import CommandError, call_command

    old = run_export(kominfo_admin, {"status": ""})
    SubmissionExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    out = io.StringIO()
    call_command("prune_exports", "--days", "5", stdout=out)
    assert SubmissionExport.objects.filter(pk=old.pk).exists() and "0 older than 5 days deleted" in out.getvalue()
    call_command("prune_exports", "--days", "2", stdout=out)
    assert not SubmissionExport.objects.filter(pk=old.pk).exists() and not Path(old.file.path).exists()
    with pytest.raises(CommandError):
        call_command("prune_exports", "--days", "-1")


def test_the_daily_beat_task_prunes_expired_exports_and_fails_vanished_ones(kominfo_admin, catalogue, settings):
    from mojokerto_portal.celery import app
    from opd.tasks import prune_exports

    old = run_export(kominfo_admin, {"status": ""})
    days = settings.SUBMISSION_EXPORT_RETENTION_DAYS + 1
    SubmissionExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    vanished = SubmissionExport.objects.create(requested_by=kominfo_admin, file_format="csv")
    SubmissionExport.objects.filter(pk=vanished.pk).update(
        status=SubmissionExport.Status.RUNNING, started_at=timezone.now() - datetime.timedelta(days=1)
    )

    assert prune_exports.apply().get() == {"stale": 1, "deleted": 1}
    assert not SubmissionExport.objects.filter(pk=old.pk).exists() and not Path(old.file.path).exists()
    vanished.refresh_from_db()
    assert vanished.status == SubmissionExport.Status.FAILED and vanished.finished_at is not None
    # Beat sends it by name: the schedule names a task the worker knows.
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    app.loader.import_default_modules()  # what a worker does at start: every app's tasks module
    assert "opd.prune_exports" in scheduled and scheduled <= set(app.tasks)


def test_only_the_requester_may_repeat_an_export_even_through_the_service(kominfo_admin, staff_dinkes, catalogue):
    from django.core.exceptions import PermissionDenied

    from opd.services.exports import submission_export_retry

    export = run_export(kominfo_admin, {"status": ""})
    with pytest.raises(PermissionDenied):
        submission_export_retry(export=export, user=staff_dinkes)
    again = submission_export_retry(export=export, user=kominfo_admin)
    assert again.pk != export.pk and again.query == export.query and again.requested_by == kominfo_admin


def test_an_export_reads_its_rows_a_chunk_at_a_time_in_the_lists_order(staff_dinkes, pillars, monkeypatch):
    """100,000 rows stay under 300 MB because no more than CHUNK rows are held at once (bench/notes.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opd import exports

    monkeypatch.setattr(exports, "CHUNK", 2)
    for title in ("Baris C", "Baris E", "Baris A", "Baris D", "Baris B"):
        Submission.objects.create(opd=staff_dinkes.opd, created_by=staff_dinkes, kind="inovasi", title=title)
    rows = exports.export_rows(Submission.objects.order_by("-title"))
    first = next(rows)
    Submission.objects.filter(title="Baris B").delete()  # gone before its chunk is read
    with CaptureQueriesContext(connection) as captured:
        rest = list(rows)
    assert [first[3]] + [row[3] for row in rest] == ["Baris E", "Baris D", "Baris C", "Baris A"]
    chunk_reads = [query for query in captured.captured_queries if '"opd_submission"."id" IN' in query["sql"]]
    assert len(chunk_reads) == 2  # the second and third chunk: (C, A) and (B)
    assert not any(query["sql"].startswith("DECLARE") for query in captured.captured_queries)
