"""A realistic spread of demo submissions: several OPDs, all six pillars, every state."""

import csv
from pathlib import Path

from django.db import transaction

from core.roles import Role
from opd.models import Comment, Opd, Submission, User
from opd.services import comments as comment_service
from opd.services import submissions as service
from pillars.models import Element

DATA = Path(__file__).resolve().parent / "data" / "submissions.csv"
WHOLE_NUMBERS = ("start_year", "end_year", "budget")


def demo_rows() -> list[dict]:
    """Return the demo submissions of demo/data/submissions.csv, numbers as int (an empty cell as None)."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for name in WHOLE_NUMBERS:
            row[name] = int(row[name]) if row[name] else None
    return rows


def _staff_for(opd: Opd, password: str) -> User:
    username = "staf." + opd.code.lower().replace("kec-", "kec.")
    user = User.objects.filter(opd=opd, role=Role.OPD_STAFF, is_active=True).order_by("pk").first()
    if user is None:
        user = User(
            username=username,
            role=Role.OPD_STAFF,
            opd=opd,
            first_name="Operator",
            last_name=opd.short_name,
            email=f"{username}@example.invalid",
        )
        user.set_password(password)
        user.save()
    return user


@transaction.atomic
def demo_submissions_create(*, password: str) -> int:
    """Create the demo submissions (once: nothing happens if any submission exists)."""
    if Submission.objects.exists():
        return 0
    admin = User.objects.get(username="admin.kominfo")
    elements = {element.code: element for element in Element.objects.select_related("pillar")}
    rows = demo_rows()
    for row in rows:
        final = row["final_state"]
        staff = _staff_for(Opd.objects.get(code=row["opd"]), password)
        element = elements[row["element"]]
        submission = service.submission_create(
            by=staff,
            data={
                "pillar": element.pillar,
                "element": element,
                "current_condition": row["problem"],
                "proposed_solution": row["solution"],
                "expected_output": row["output"],
                "expected_outcome": row["outcome"],
                **{
                    name: row[name]
                    for name in (
                        "kind",
                        "title",
                        "beneficiaries",
                        "indicator",
                        "horizon",
                        "start_year",
                        "end_year",
                        "budget",
                        "funding_source",
                        "priority",
                    )
                },  # fmt: skip
            },
        )
        if final == "draft":
            continue
        submission = service.submission_submit(submission=submission, by=staff)
        if final == "withdrawn":
            service.submission_withdraw(submission=submission, by=staff, reason="Digabung dengan usulan Diskop UM.")
            continue
        if final == "submitted":
            continue
        submission = service.submission_start_review(submission=submission, by=admin)
        if final == "in_review":
            comment_service.comment_add(
                submission=submission,
                by=admin,
                visibility=Comment.Visibility.INTERNAL,
                body="Cek keterkaitan dengan program SPBE yang sudah berjalan.",
            )
        elif final == "revision_requested":
            service.submission_request_revision(
                submission=submission,
                by=admin,
                reason="Mohon lengkapi indikator dengan target per tahun dan lampirkan data dukung.",
            )
            comment_service.comment_add(
                submission=submission, by=staff, body="Baik, kami lengkapi dan kirim ulang minggu ini."
            )
        elif final == "approved":
            service.submission_approve(
                submission=submission, by=admin, reason="Selaras dengan RPJMD; lanjut ke masterplan."
            )
        elif final == "rejected":
            service.submission_reject(
                submission=submission,
                by=admin,
                reason="Sudah tercakup dalam program PJU provinsi; tidak perlu usulan terpisah.",
            )
    return len(rows)
