"""Races between people acting on the same submission at the same moment (PostgreSQL row locks).

Each test starts two threads, each with its own database connection, that call a real service after
a barrier. To make the race certain rather than likely, `_check_version` (which every service calls
while holding the row lock) waits a little before doing its real check: without the lock, both
threads would read the same state during that wait and both would write.
"""

import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from core.roles import Role
from opd.models import ReferenceCounter, Submission, SubmissionEvent, SubmissionStatus
from opd.services import submissions as service
from tests.concurrency import race
from tests.factories import UserFactory
from tests.services import need

from .submission_factories import SubmissionFactory, fast_password_hasher, sent  # noqa: F401

Status = SubmissionStatus
Action = SubmissionEvent.Action
pytestmark = pytest.mark.django_db(transaction=True)
HOLD_SECONDS = 0.3


@pytest.fixture(autouse=True)
def postgresql_with_slow_lock_holders(monkeypatch):
    need(connection.vendor == "postgresql", "needs PostgreSQL for row locks")
    check_version = service._check_version

    def slow_check_version(locked, expected_version):
        time.sleep(HOLD_SECONDS)
        check_version(locked, expected_version)

    monkeypatch.setattr(service, "_check_version", slow_check_version)


def winner_and_loser(outcomes):
    succeeded = [outcome for outcome in outcomes if isinstance(outcome, Submission)]
    failed = [outcome for outcome in outcomes if not isinstance(outcome, Submission)]
    assert len(succeeded) == 1, outcomes
    assert len(failed) == 1 and isinstance(failed[0], ValidationError), outcomes
    return succeeded[0], failed[0]


@pytest.fixture
def admins(db):
    return (
        UserFactory(username="admin.ani", role=Role.KOMINFO_ADMIN, first_name="Ani", last_name="Penelaah"),
        UserFactory(username="admin.budi", role=Role.KOMINFO_ADMIN, first_name="Budi", last_name="Penelaah"),
    )


@pytest.fixture
def draft(staff_dinkes):
    return SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)


def test_two_admins_deciding_at_once_leave_exactly_one_decision(draft, admins):
    submitted = sent(draft)
    ani, budi = admins

    outcomes = race(
        lambda: service.submission_approve(submission=submitted, by=ani, expected_version=submitted.version),
        lambda: service.submission_reject(
            submission=submitted, by=budi, reason="Duplikat", expected_version=submitted.version
        ),
    )

    decided, refused = winner_and_loser(outcomes)
    first = ani if decided.status == Status.APPROVED else budi
    row = Submission.objects.get(pk=submitted.pk)
    assert (row.status, row.decided_by) == (decided.status, first)
    assert refused.code == "already_decided"
    assert first.get_full_name() in refused.messages[0]
    decisions = row.events.filter(action__in=[Action.APPROVED, Action.REJECTED])
    assert [(event.action, event.actor) for event in decisions] == [(row.status, first)]
    assert row.version == submitted.version + 1


def test_two_admins_approving_at_once_approve_once(draft, admins):
    submitted = sent(draft)
    outcomes = race(
        *(lambda admin=admin: service.submission_approve(submission=submitted, by=admin) for admin in admins)
    )

    decided, refused = winner_and_loser(outcomes)
    assert refused.code == "already_decided"
    assert decided.decided_by.get_full_name() in refused.messages[0]
    assert Submission.objects.get(pk=submitted.pk).events.filter(action=Action.APPROVED).count() == 1


def test_a_withdrawal_and_a_decision_at_once_leave_exactly_one(draft, admins, staff_dinkes):
    submitted = sent(draft)
    outcomes = race(
        lambda: service.submission_withdraw(submission=submitted, by=staff_dinkes),
        lambda: service.submission_approve(submission=submitted, by=admins[0]),
    )

    stands, refused = winner_and_loser(outcomes)
    row = Submission.objects.get(pk=submitted.pk)
    assert row.status == stands.status
    assert refused.code in {"illegal_transition", "already_decided"}
    assert row.events.filter(action__in=[Action.WITHDRAWN, Action.APPROVED]).count() == 1


def test_two_sends_of_the_same_draft_at_once_give_one_reference_and_one_event(draft, staff_dinkes):
    colleague = UserFactory(username="staf.dinkes.2", role=Role.OPD_STAFF, opd=staff_dinkes.opd)

    outcomes = race(
        lambda: service.submission_submit(submission=draft, by=staff_dinkes),
        lambda: service.submission_submit(submission=draft, by=colleague),
    )

    sent_once, refused = winner_and_loser(outcomes)
    year = timezone.localdate().year
    assert refused.code == "illegal_transition"
    assert sent_once.reference == f"SC-{year}-0001"
    assert ReferenceCounter.objects.get(year=year).last_number == 1
    assert Submission.objects.get(pk=draft.pk).events.filter(action=Action.SUBMITTED).count() == 1


@pytest.mark.parametrize("last_number", [None, 7], ids=["new-year", "counter-exists"])
def test_sending_two_drafts_at_once_gives_two_consecutive_references(staff_dinkes, staff_dlh, last_number):
    year = timezone.localdate().year
    if last_number is not None:
        ReferenceCounter.objects.create(year=year, last_number=last_number)
    first = SubmissionFactory(opd=staff_dinkes.opd, created_by=staff_dinkes)
    second = SubmissionFactory(opd=staff_dlh.opd, created_by=staff_dlh)

    outcomes = race(
        lambda: service.submission_submit(submission=first, by=staff_dinkes),
        lambda: service.submission_submit(submission=second, by=staff_dlh),
    )

    assert all(isinstance(outcome, Submission) for outcome in outcomes), outcomes
    start = last_number or 0
    assert sorted(outcome.reference for outcome in outcomes) == [
        f"SC-{year}-{start + 1:04d}",
        f"SC-{year}-{start + 2:04d}",
    ]
    assert ReferenceCounter.objects.get(year=year).last_number == start + 2


def test_two_edits_from_the_same_page_version_save_one_and_refuse_the_other_as_stale(draft, staff_dinkes):
    colleague = UserFactory(username="staf.dinkes.2", role=Role.OPD_STAFF, opd=staff_dinkes.opd)

    outcomes = race(
        lambda: service.submission_update(
            submission=draft, by=staff_dinkes, data={"title": "Versi A"}, expected_version=1
        ),
        lambda: service.submission_update(
            submission=draft, by=colleague, data={"title": "Versi B"}, expected_version=1
        ),
    )

    saved, refused = winner_and_loser(outcomes)
    assert refused.code == "stale"
    row = Submission.objects.get(pk=draft.pk)
    assert (row.title, row.version) == (saved.title, 2)
    assert row.events.filter(action=Action.EDITED).count() == 1
