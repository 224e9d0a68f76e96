"""The Kominfo/Bupati dashboard figures, computed in one grouped query, match counting each one directly."""

import pytest
from django.db.models import Q

from bench.data import ADMIN, Size, generate
from opd.models import Opd, Submission, SubmissionKind, SubmissionStatus, User
from opd.selectors import review_dashboard
from pillars.models import Pillar

AWAITING = (SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW)


@pytest.mark.django_db
def test_review_dashboard_figures_match_direct_counts(pillars):
    generate(size=Size("T", 400, 5), password="x-bench-password", log=lambda text: None)
    admin = User.objects.get(username=ADMIN)
    figures = review_dashboard(admin)
    sent = Submission.objects.filter(reference__isnull=False)

    assert figures["status_counts"] == {
        status: sent.filter(status=status).count() for status in SubmissionStatus.values
    }
    assert figures["awaiting_review"] == sent.filter(status__in=AWAITING).count()
    assert figures["assigned_to_me"] == sent.filter(status__in=AWAITING, assigned_reviewer=admin).count() > 0
    not_withdrawn = sent.exclude(status=SubmissionStatus.WITHDRAWN)
    assert figures["kinds"] == [
        (label, not_withdrawn.filter(kind=value).count()) for value, label in SubmissionKind.choices
    ]
    table = figures["pillar_table"]
    for row, pillar in zip(table["rows"], Pillar.objects.all(), strict=True):
        assert row["pillar"] == pillar
        assert row["counts"] == [
            sent.filter(pillar=pillar, status=value).count() for value, _label in table["statuses"]
        ]
    assert table["total"] == sent.exclude(status=SubmissionStatus.DRAFT).count()

    for opd in figures["participation"]:
        own = Submission.objects.filter(opd=opd)
        assert opd.drafts == own.filter(status=SubmissionStatus.DRAFT).count()
        assert opd.sent == own.filter(Q(reference__isnull=False) & ~Q(status=SubmissionStatus.WITHDRAWN)).count()
        assert opd.approved == own.filter(status=SubmissionStatus.APPROVED).count()
    assert len(figures["participation"]) == Opd.objects.filter(is_active=True).count()
    assert [opd.sent for opd in figures["participation"]] == sorted(opd.sent for opd in figures["participation"])


@pytest.mark.django_db
def test_executive_has_nothing_assigned(pillars):
    generate(size=Size("T", 50, 2), password="x-bench-password", log=lambda text: None)
    assert review_dashboard(User.objects.get(username="pimpinan"))["assigned_to_me"] == 0
