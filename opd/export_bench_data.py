"""Many realistic submissions at once (bulk_create), to measure the exports; never used by the portal itself."""

import random
from datetime import timedelta

from django.utils import timezone

from opd.models import Opd, Submission, SubmissionKind, SubmissionStatus, User
from opd.models.submissions import FundingSource, Horizon, Priority
from pillars.models import Element

BATCH = 5000
PARAGRAPH = (
    "Layanan masih dicatat manual di buku register; data tidak tersambung antar-OPD sehingga laporan "
    "bulanan terlambat dan sulit diverifikasi oleh pimpinan."
)


def bulk_submissions(*, count: int, prefix: str = "BN", seed: int = 2026) -> int:
    """Create count sent submissions spread over every OPD and element; return how many were created."""
    rng = random.Random(seed)
    opds = list(Opd.objects.all())
    elements = list(Element.objects.select_related("pillar"))
    users = list(User.objects.filter(is_active=True)) or [None]
    now = timezone.now()
    statuses = [SubmissionStatus.SUBMITTED, SubmissionStatus.IN_REVIEW, SubmissionStatus.APPROVED]
    created = 0
    while created < count:
        batch = []
        for number in range(created, min(created + BATCH, count)):
            element = rng.choice(elements)
            user = rng.choice(users)
            sent_at = now - timedelta(minutes=rng.randint(1, 500_000))
            status = rng.choice(statuses)
            batch.append(
                Submission(
                    reference=f"{prefix}-{number:07d}",
                    opd=rng.choice(opds),
                    created_by=user,
                    kind=rng.choice(SubmissionKind.values),
                    title=f"Aplikasi layanan terpadu nomor {number}",
                    pillar=element.pillar,
                    element=element,
                    current_condition=PARAGRAPH,
                    proposed_solution=PARAGRAPH,
                    beneficiaries="Masyarakat dan perangkat desa",
                    expected_output="Aplikasi daring",
                    expected_outcome="Layanan lebih cepat",
                    indicator="=100% desa terlayani" if number % 97 == 0 else "100% desa terlayani",
                    horizon=rng.choice(Horizon.values),
                    start_year=2026,
                    end_year=2028,
                    budget=rng.randint(10, 5000) * 1_000_000,
                    funding_source=rng.choice(FundingSource.values),
                    priority=rng.choice(Priority.values),
                    related_system="SIPD",
                    status=status,
                    assigned_reviewer=user if status != SubmissionStatus.SUBMITTED else None,
                    decided_by=user if status == SubmissionStatus.APPROVED else None,
                    decided_at=sent_at + timedelta(days=3) if status == SubmissionStatus.APPROVED else None,
                    decision_reason="Sesuai RPJMD" if status == SubmissionStatus.APPROVED else "",
                    submitted_at=sent_at,
                    last_submitted_at=sent_at,
                )
            )
        Submission.objects.bulk_create(batch)
        created += len(batch)
    return created
