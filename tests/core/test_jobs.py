"""The one background-job path (core.jobs), run on both export models: queue, claim, store, fail."""

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from core import jobs
from core.models import BackgroundJob
from masterplan.models import MasterplanExport
from mojokerto_portal.celery import app
from opd.models import SubmissionExport
from tests.masterplan.factories import MasterplanFactory
from tests.opd.submission_factories import fast_password_hasher  # noqa: F401

Status = BackgroundJob.Status


def queued_job(model, user):
    if model is SubmissionExport:
        return SubmissionExport.objects.create(requested_by=user, file_format="csv")
    masterplan = MasterplanFactory(created_by=user)
    return MasterplanExport.objects.create(masterplan=masterplan, version=1, requested_by=user)


@pytest.fixture(params=[SubmissionExport, MasterplanExport], ids=["submission_export", "masterplan_export"])
def job(request, kominfo_admin, settings, tmp_path):
    """A queued job of each concrete kind."""
    settings.MEDIA_ROOT = tmp_path
    return queued_job(request.param, kominfo_admin)


def fresh(job):
    return type(job).objects.get(pk=job.pk)


def run(job, work, attempt_limit: int = jobs.ATTEMPT_LIMIT):
    return jobs.job_run(
        type(job),
        job.pk,
        work=work,
        failure_reason=lambda error: f"it broke: {error}",
        interrupted="interrupted too often",
        attempt_limit=attempt_limit,
    )


def broken(job):
    raise ValueError("no more paper")


def test_both_exports_share_the_statuses_of_the_abstract_job():
    assert SubmissionExport.Status is MasterplanExport.Status is BackgroundJob.Status
    assert Status.values == ["queued", "running", "done", "failed"]


@pytest.mark.django_db
def test_work_that_raises_fails_the_job_with_its_reason_and_the_time_it_ended(job):
    failed = run(job, broken)

    assert fresh(job).status == failed.status == Status.FAILED
    assert failed.error == "it broke: no more paper" and failed.attempts == 1
    assert failed.started_at <= failed.finished_at and not failed.file


@pytest.mark.django_db
def test_a_job_delivered_more_often_than_its_limit_fails_with_the_time_it_ended(job):
    type(job).objects.filter(pk=job.pk).update(status=Status.RUNNING, attempts=3)

    failed = run(job, broken, attempt_limit=3)

    assert failed.status == Status.FAILED and failed.error == "interrupted too often"
    assert failed.attempts == 4 and failed.finished_at is not None


@pytest.mark.django_db
def test_an_unreachable_queue_fails_the_job_after_commit_with_the_brokers_words(
    job, monkeypatch, settings, django_capture_on_commit_callbacks
):
    sent = []

    def broker_down(name, args=None, **options):
        sent.append((name, args))
        raise ConnectionError("connection refused")

    monkeypatch.setattr(app, "send_task", broker_down)
    settings.JOB_QUEUE_RETRY_SECONDS = 0  # give up at once (the retries have tests of their own)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.job_enqueue(type(job), job.pk, task_name="some.task", queue_down="Queue down (%(error)s).")
        assert sent == []  # nothing leaves before the row is committed

    assert sent == [("some.task", [job.pk])]
    failed = fresh(job)
    assert failed.status == Status.FAILED and failed.error == "Queue down (connection refused)."
    assert failed.finished_at is not None


@pytest.mark.django_db
def test_jobs_that_no_worker_will_finish_are_failed_with_the_time_it_was_noticed(job, kominfo_admin, settings):
    model = type(job)
    limit = 600 + settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    long_ago = timezone.now() - timedelta(seconds=limit + 120)
    model.objects.filter(pk=job.pk).update(created_at=long_ago)  # never taken from the queue
    other = queued_job(model, kominfo_admin)
    model.objects.filter(pk=other.pk).update(status=Status.RUNNING, started_at=long_ago)  # its worker died
    now = timezone.now()

    count = jobs.jobs_fail_stale(model, time_limit=600, running_reason="gone", queued_reason="never taken", now=now)

    assert count == 2
    assert (fresh(job).status, fresh(job).error, fresh(job).finished_at) == (Status.FAILED, "never taken", now)
    assert (fresh(other).status, fresh(other).error, fresh(other).finished_at) == (Status.FAILED, "gone", now)
    assert jobs.jobs_fail_stale(model, time_limit=600, running_reason="", queued_reason="", now=now) == 0


@pytest.mark.django_db
def test_recent_jobs_are_not_taken_for_stale(job):
    type(job).objects.filter(pk=job.pk).update(status=Status.RUNNING, started_at=timezone.now())

    assert jobs.jobs_fail_stale(type(job), time_limit=600, running_reason="gone", queued_reason="never") == 0
    assert fresh(job).status == Status.RUNNING


@pytest.mark.django_db
def test_a_finished_job_keeps_its_state_when_failed_again(job):
    first = jobs.job_fail(type(job), job.pk, reason="first reason")

    again = jobs.job_fail(type(job), job.pk, reason="second reason")

    assert again.error == "first reason" and again.finished_at == first.finished_at


@pytest.mark.django_db
def test_a_stored_job_is_done_with_its_file_size_and_checksum(job, tmp_path):
    content = b"a finished file\n" * 1000

    def work(claimed):
        with jobs.temporary_file(tmp_path / "jobs", prefix=".job-") as (handle, temporary):
            jobs.job_progress(type(claimed), claimed.pk, percent=100)
            assert fresh(claimed).progress == 99  # 100 only once the file is in place
            handle.write(content)
        return jobs.job_store(type(claimed), claimed.pk, temporary=temporary, name="jobs/finished.bin")

    done = run(job, work)

    assert fresh(job).status == done.status == Status.DONE and done.progress == 100
    assert done.file.name == "jobs/finished.bin" and Path(done.file.path).read_bytes() == content
    assert done.size == len(content) and done.sha256 == hashlib.sha256(content).hexdigest()
    assert sorted(path.name for path in (tmp_path / "jobs").iterdir()) == ["finished.bin"]
    assert done.duration is not None and not done.is_running


@pytest.mark.django_db
def test_a_job_is_running_until_it_is_done_or_failed(job):
    assert job.is_running and job.duration is None
    claimed = jobs.job_claim(type(job), job.pk, attempt_limit=3, exhausted_reason="")
    assert claimed.status == Status.RUNNING and claimed.is_running
    assert not jobs.job_fail(type(job), job.pk, reason="stopped").is_running
