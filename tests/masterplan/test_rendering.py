"""The export render service: one file per export, written atomically, attempts counted, failures explained."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.db import OperationalError, connection
from django.utils import timezone, translation
from pypdf import PdfReader

from core import jobs
from masterplan import rendering
from masterplan.models import MasterplanExport
from masterplan.rendering import masterplan_export_render
from masterplan.services import masterplan_exports_fail_stale
from tests.masterplan.factories import MasterplanFactory, ProgrammeFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

Status = MasterplanExport.Status


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def export(kominfo_admin, pillars):
    masterplan = MasterplanFactory(created_by=kominfo_admin)
    ProgrammeFactory(masterplan=masterplan, title="Rekam medis elektronik puskesmas")
    return MasterplanExport.objects.create(masterplan=masterplan, version=2, requested_by=kominfo_admin)


def files_in(folder) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def render_failing_with(monkeypatch, error: BaseException, calls: list | None = None):
    def failing(masterplan, *, version, book, on_progress=None):
        if calls is not None:
            calls.append(version)
        raise error

    monkeypatch.setattr(rendering, "render_masterplan_pdf", failing)


@pytest.mark.django_db
def test_a_rendered_export_is_done_with_its_file_checksum_size_and_pages(export, media):
    done = masterplan_export_render(export_id=export.pk)

    done.refresh_from_db()
    assert done.status == Status.DONE and done.progress == 100 and done.attempts == 1 and done.error == ""
    content = (media / done.file.name).read_bytes()
    assert done.sha256 == hashlib.sha256(content).hexdigest()
    assert done.file.name == f"masterplan/masterplan-{export.pk}-lengkap-v2.pdf"  # the whole set, version 2
    assert done.size == len(content)
    assert done.page_count == len(PdfReader(io.BytesIO(content)).pages)
    assert done.started_at <= done.finished_at
    assert files_in(media) == [done.file.name]  # no temporary file left beside it


@pytest.mark.django_db
def test_a_repeated_delivery_of_a_done_export_makes_no_second_file(export, media, monkeypatch):
    first = masterplan_export_render(export_id=export.pk)
    calls = []
    render_failing_with(monkeypatch, AssertionError("must not render again"), calls)

    again = masterplan_export_render(export_id=export.pk)

    assert calls == []
    assert again.status == Status.DONE and again.file.name == first.file.name and again.attempts == 1
    assert files_in(media) == [first.file.name]


@pytest.mark.django_db
def test_a_failing_render_marks_the_export_failed_with_its_reason_and_leaves_no_file(export, media, monkeypatch):
    render_failing_with(monkeypatch, ValueError("font table is broken"))

    failed = masterplan_export_render(export_id=export.pk)

    failed.refresh_from_db()
    assert failed.status == Status.FAILED and failed.finished_at is not None and not failed.file
    assert "font table is broken" in failed.error and "ValueError" in failed.error
    assert files_in(media) == []


@pytest.mark.django_db
def test_a_failure_while_storing_leaves_neither_the_file_nor_its_temporary(export, media, monkeypatch):
    def refuse_to_move(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jobs.os, "replace", refuse_to_move)

    failed = masterplan_export_render(export_id=export.pk)

    assert failed.status == Status.FAILED and "No space left on device" in failed.error
    assert files_in(media) == []


@pytest.mark.django_db
def test_a_failure_after_the_move_removes_the_file_again(export, media, monkeypatch):
    original_save = MasterplanExport.save

    def save_failing_when_done(self, *args, **kwargs):
        if self.status == Status.DONE:
            raise RuntimeError("row could not be written")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(MasterplanExport, "save", save_failing_when_done)

    failed = masterplan_export_render(export_id=export.pk)

    assert failed.status == Status.FAILED and "row could not be written" in failed.error
    assert files_in(media) == []


@pytest.mark.django_db
def test_a_render_beyond_the_attempt_limit_is_failed_without_rendering(export, media, monkeypatch):
    # Three deliveries already started and died with their worker (out of memory, killed).
    MasterplanExport.objects.filter(pk=export.pk).update(status=Status.RUNNING, attempts=3, progress=40)
    calls = []
    render_failing_with(monkeypatch, AssertionError("must not render"), calls)

    with translation.override("en"):
        failed = masterplan_export_render(export_id=export.pk, attempt_limit=3)

    assert calls == []
    assert failed.status == Status.FAILED and failed.attempts == 4
    assert "interrupted 3 times" in failed.error
    assert files_in(media) == []


@pytest.mark.django_db
def test_a_transient_database_error_is_left_to_the_task_to_retry(export, media, monkeypatch):
    render_failing_with(monkeypatch, OperationalError("server closed the connection unexpectedly"))

    with pytest.raises(OperationalError):
        masterplan_export_render(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == Status.RUNNING and export.attempts == 1 and export.error == ""


@pytest.mark.django_db
def test_another_delivery_that_finished_first_keeps_its_file(export, media, monkeypatch):
    real = rendering.render_masterplan_pdf

    def render_while_another_delivery_finishes(masterplan, *, version, book, on_progress=None):
        result = real(masterplan, version=version, book=book, on_progress=on_progress)
        MasterplanExport.objects.filter(pk=export.pk).update(
            status=Status.DONE, file="masterplan/other.pdf", progress=100
        )
        return result

    monkeypatch.setattr(rendering, "render_masterplan_pdf", render_while_another_delivery_finishes)

    kept = masterplan_export_render(export_id=export.pk)

    assert kept.status == Status.DONE and kept.file.name == "masterplan/other.pdf"
    assert files_in(media) == []  # ours, finished second, was thrown away


@pytest.mark.django_db(transaction=True)
def test_the_attempt_and_each_progress_step_are_committed_while_rendering(export, media, monkeypatch):
    seen = []

    def render_that_kills_the_worker(masterplan, *, version, book, on_progress=None):
        on_progress(40)
        row = MasterplanExport.objects.get(pk=export.pk)
        seen.append((connection.in_atomic_block, row.status, row.attempts, row.progress))
        on_progress(100)
        seen.append(MasterplanExport.objects.get(pk=export.pk).progress)
        raise SystemExit("the worker process dies here")

    monkeypatch.setattr(rendering, "render_masterplan_pdf", render_that_kills_the_worker)

    with pytest.raises(SystemExit):
        masterplan_export_render(export_id=export.pk)

    assert seen == [(False, Status.RUNNING, 1, 40), 99]  # 100 only once the file is in place
    export.refresh_from_db()
    assert export.status == Status.RUNNING and export.attempts == 1  # the dead attempt still counts


@pytest.mark.django_db
def test_renders_whose_worker_vanished_long_ago_are_marked_failed(export, settings):
    MasterplanExport.objects.filter(pk=export.pk).update(status=Status.RUNNING, started_at=timezone.now())
    assert masterplan_exports_fail_stale() == 0
    later = timezone.now() + timedelta(hours=2)

    with translation.override("en"):
        assert masterplan_exports_fail_stale(now=later) == 1

    export.refresh_from_db()
    assert export.status == Status.FAILED and "stopped without finishing" in export.error
