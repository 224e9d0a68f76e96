"""Benchmark data: the regency at size S, M or L, generated fast (bulk inserts) and deterministically.

Only for `make bench` and development: it deletes every submission and masterplan first and gives the
named bench accounts one known password.
"""

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from core.roles import Role
from masterplan.models import Indicator, IndicatorTarget, Masterplan, PillarAnalysis, Programme, ProgrammeBudget
from opd.models import (
    Comment,
    FundingSource,
    Horizon,
    Opd,
    Priority,
    ReferenceCounter,
    Submission,
    SubmissionEvent,
    SubmissionKind,
    SubmissionStatus,
    User,
)
from opd.services.opd_import import opd_import_csv
from pillars.models import Element, Pillar

OPD_CSV = Path(__file__).resolve().parent.parent / "opd" / "data" / "opd_kabupaten_mojokerto.csv"
BATCH = 2000
SEED = 20221


@dataclass(frozen=True)
class Size:
    name: str
    submissions: int
    programmes: int


SIZES = {
    "S": Size("S", 1_000, 150),
    "M": Size("M", 10_000, 1_000),
    "L": Size("L", 100_000, 5_000),
}

# The named accounts (the same names as the demo and the tests), and how many of each role the
# simulated users of `make bench` log in as: staf.<opd>, staf.<opd>.2, ...; admin.kominfo, admin.kominfo2, ...;
# pimpinan, pimpinan2, ... (several people of one account may be logged in at once).
ADMIN = "admin.kominfo"
EXECUTIVE = "pimpinan"
STAFF = "staf.dinkes"
STAFF_OPD = "DINKES"
STAFF_PER_OPD = 4
KOMINFO_ACCOUNTS = 8
EXECUTIVE_ACCOUNTS = 3
MAIN_MASTERPLAN = "Masterplan Smart City Kabupaten Mojokerto"

# A realistic spread of states (weights, percent).
STATUS_WEIGHTS = {
    SubmissionStatus.DRAFT: 8,
    SubmissionStatus.SUBMITTED: 14,
    SubmissionStatus.IN_REVIEW: 10,
    SubmissionStatus.REVISION_REQUESTED: 8,
    SubmissionStatus.APPROVED: 45,
    SubmissionStatus.REJECTED: 10,
    SubmissionStatus.WITHDRAWN: 5,
}
NOUNS = (
    "layanan",
    "aplikasi",
    "data",
    "puskesmas",
    "desa",
    "perizinan",
    "sampah",
    "pasar",
    "sekolah",
    "wisata",
    "pajak",
    "jalan",
    "air",
    "UMKM",
    "arsip",
    "pengaduan",
    "kependudukan",
    "bencana",
    "pertanian",
    "transportasi",
)
VERBS = ("integrasi", "digitalisasi", "pemantauan", "pendataan", "otomasi", "penguatan", "pengembangan")
WORDS = (
    "warga",
    "petugas",
    "terpadu",
    "daring",
    "kecamatan",
    "kabupaten",
    "laporan",
    "sistem",
    "informasi",
    "pelayanan",
    "cepat",
    "akurat",
    "terbuka",
    "tersebar",
    "manual",
    "kertas",
    "jaringan",
    "dasbor",
    "peta",
    "sensor",
)


# Words of particular topics: each appears in about 1% of the problem texts, as real topics would.
RARE_WORDS = (
    "stunting",
    "posyandu",
    "irigasi",
    "sertifikat",
    "retribusi",
    "ambulans",
    "banjir",
    "kompos",
    "padi",
    "tebu",
    "majapahit",
    "trowulan",
    "ngoro",
    "pacet",
    "alas-kaki",
    "batik",
    "beasiswa",
    "lansia",
    "disabilitas",
    "kesehatan-ibu",
    "imunisasi",
    "jamban",
    "lampu-jalan",
    "cctv",
    "parkir",
    "terminal",
    "perpustakaan",
    "koperasi",
    "nelayan",
    "ternak",
)


def _sentence(rng: random.Random, length: int, rare: bool = False) -> str:
    words = [rng.choice(WORDS + NOUNS) for _ in range(length)]
    if rare and rng.random() < 0.3:
        words.insert(rng.randrange(len(words)), rng.choice(RARE_WORDS))
    return (" ".join(words)).capitalize() + "."


def _title(rng: random.Random) -> str:
    return f"{rng.choice(VERBS).capitalize()} {rng.choice(NOUNS)} {rng.choice(WORDS)} {rng.choice(NOUNS)}"


@contextmanager
def fixed_timestamps(*models):
    """Let bulk inserts keep the made-up dates instead of auto_now/auto_now_add's current time."""
    changed = []
    for model in models:
        for field in model._meta.concrete_fields:
            for flag in ("auto_now", "auto_now_add"):
                if getattr(field, flag, False):
                    setattr(field, flag, False)
                    changed.append((field, flag))
    try:
        yield
    finally:
        for field, flag in changed:
            setattr(field, flag, True)


def _wipe() -> None:
    """Delete every submission, masterplan and non-superuser account (benchmark databases only)."""
    tables = [
        model._meta.db_table
        for model in (
            IndicatorTarget,
            Indicator,
            ProgrammeBudget,
            Programme.rpjmd_missions.through,
            Programme.submissions.through,
            Programme.supporting_opds.through,
            Programme,
            PillarAnalysis,
            Masterplan,
            Comment,
            SubmissionEvent,
            Submission,
            ReferenceCounter,
        )
    ]
    from masterplan.models import MasterplanExport
    from opd.models import Attachment

    tables = [MasterplanExport._meta.db_table, Attachment._meta.db_table, *tables]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of rows inserted earlier in this transaction must run first.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    else:
        for model in (MasterplanExport, Attachment, Programme, Masterplan, Comment, SubmissionEvent):
            model.objects.all().delete()
        Submission.objects.all().delete()
        ReferenceCounter.objects.all().delete()
    User.objects.filter(is_superuser=False).delete()


def first_staff_username(opd: Opd) -> str:
    return STAFF if opd.code == STAFF_OPD else f"staf.{opd.code.lower()}"


def _accounts(opds: list[Opd], password: str) -> dict[str, User]:
    """Create the bench accounts of every role, all with one password hash; return them by username."""
    hashed = make_password(password)
    users = [
        User(username=ADMIN, role=Role.KOMINFO_ADMIN, first_name="Admin", last_name="Kominfo", password=hashed),
        *(
            User(
                username=f"{ADMIN}{number}",
                role=Role.KOMINFO_ADMIN,
                first_name="Penelaah",
                last_name=str(number),
                password=hashed,
            )
            for number in range(2, KOMINFO_ACCOUNTS + 1)
        ),
        User(username=EXECUTIVE, role=Role.EXECUTIVE, first_name="Pimpinan", last_name="Bupati", password=hashed),
        *(
            User(
                username=f"{EXECUTIVE}{number}",
                role=Role.EXECUTIVE,
                first_name="Staf",
                last_name="Pimpinan",
                password=hashed,
            )
            for number in range(2, EXECUTIVE_ACCOUNTS + 1)
        ),
    ]
    for opd in opds:
        first = first_staff_username(opd)
        for number in range(1, STAFF_PER_OPD + 1):
            users.append(
                User(
                    username=first if number == 1 else f"{first}.{number}",
                    role=Role.OPD_STAFF,
                    opd=opd,
                    first_name="Staf",
                    last_name=opd.short_name if number == 1 else f"{opd.short_name} {number}",
                    password=hashed,
                )
            )
    User.objects.bulk_create(users, batch_size=BATCH)
    return {user.username: user for user in User.objects.filter(username__in=[user.username for user in users])}


def generate(*, size: Size, password: str, pdf_programmes: tuple[int, ...] = (), log=print) -> dict:
    """Replace the database's submissions and masterplans by a generated regency of the given size."""
    rng = random.Random(SEED)
    with transaction.atomic():
        _wipe()
        opd_import_csv(data=OPD_CSV.read_bytes())
        opds = list(Opd.objects.filter(is_active=True).order_by("code"))
        users = _accounts(opds, password)
        admins = [users[ADMIN], users[f"{ADMIN}2"]]
        # The first staff account of each OPD wrote its submissions.
        staff_by_opd = {opd.pk: users[first_staff_username(opd)] for opd in opds}
        elements = list(Element.objects.select_related("pillar"))
        counts = {"opds": len(opds), "users": len(users)}

        submissions = _submissions(rng, size.submissions, opds, elements, staff_by_opd, admins)
        counts["submissions"] = len(submissions)
        log(f"  {len(submissions)} submissions")
        counts["events"], counts["comments"] = _history(rng, submissions, staff_by_opd, admins)
        log(f"  {counts['events']} events, {counts['comments']} comments")
        approved = [s for s in submissions if s.status == SubmissionStatus.APPROVED]
        main = _masterplan(rng, MAIN_MASTERPLAN, size.programmes, opds, elements, approved, admins[0])
        counts["masterplan"] = main.pk
        counts["programmes"] = size.programmes
        for number in pdf_programmes:
            extra = _masterplan(
                rng, f"Masterplan uji PDF {number} program", number, opds, elements, approved, admins[0]
            )
            counts[f"pdf_masterplan_{number}"] = extra.pk
        log(
            f"  masterplan of {size.programmes} programmes"
            + (f", PDF masterplans {pdf_programmes}" if pdf_programmes else "")
        )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # As autovacuum would soon: statistics for the planner, and the visibility map for index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return counts


def _submissions(rng, total, opds, elements, staff_by_opd, admins) -> list[Submission]:
    now = timezone.now()
    statuses = list(STATUS_WEIGHTS)
    weights = list(STATUS_WEIGHTS.values())
    counters: dict[int, int] = {}
    rows = []
    for index in range(total):
        opd = opds[index % len(opds)]
        element = rng.choice(elements)
        status = rng.choices(statuses, weights)[0]
        created = now - timedelta(days=rng.uniform(1, 3 * 365))
        start = rng.randint(2024, 2030)
        sent = status != SubmissionStatus.DRAFT
        submitted = created + timedelta(hours=rng.uniform(1, 240)) if sent else None
        reference = None
        if sent:
            year = timezone.localtime(submitted).year
            counters[year] = counters.get(year, 0) + 1
            reference = f"SC-{year}-{counters[year]:04d}"
        decided = status in (
            SubmissionStatus.APPROVED,
            SubmissionStatus.REJECTED,
            SubmissionStatus.REVISION_REQUESTED,
        )
        decided_at = submitted + timedelta(days=rng.uniform(1, 30)) if decided else None
        updated = decided_at or submitted or created
        reviewer = rng.choice(admins) if status != SubmissionStatus.SUBMITTED and sent else None
        rows.append(
            Submission(
                reference=reference,
                opd=opd,
                created_by=staff_by_opd[opd.pk],
                kind=rng.choice(SubmissionKind.values),
                title=_title(rng),
                pillar_id=element.pillar_id,
                element=element,
                current_condition=_sentence(rng, 25, rare=True),
                proposed_solution=_sentence(rng, 20),
                beneficiaries=_sentence(rng, 5),
                expected_output=_sentence(rng, 6),
                expected_outcome=_sentence(rng, 6),
                indicator=_sentence(rng, 5),
                horizon=rng.choice(Horizon.values),
                start_year=start,
                end_year=start + rng.randint(0, 4),
                budget=rng.randint(5, 500) * 10_000_000,
                funding_source=rng.choice(FundingSource.values),
                priority=rng.choice(Priority.values),
                related_system="",
                status=status,
                assigned_reviewer=reviewer,
                decided_by=reviewer if decided else None,
                decision_reason=_sentence(rng, 8) if decided else "",
                created_at=created,
                updated_at=updated,
                submitted_at=submitted,
                last_submitted_at=submitted,
                decided_at=decided_at,
            )
        )
    with fixed_timestamps(Submission):
        Submission.objects.bulk_create(rows, batch_size=BATCH)
    ReferenceCounter.objects.bulk_create([ReferenceCounter(year=y, last_number=n) for y, n in counters.items()])
    return rows


def _history(rng, submissions, staff_by_opd, admins) -> tuple[int, int]:
    """Create each submission's events (created, sent, review, decision) and some comments."""
    Action = SubmissionEvent.Action
    Status = SubmissionStatus
    events, comments = [], []
    event_total = comment_total = 0
    for submission in submissions:
        staff = staff_by_opd[submission.opd_id]
        snapshot = {"title": submission.title, "kind": submission.kind, "budget": submission.budget}
        events.append(
            SubmissionEvent(
                submission=submission,
                actor=staff,
                action=Action.CREATED,
                to_status=Status.DRAFT,
                snapshot=snapshot,
                created_at=submission.created_at,
            )
        )
        if submission.submitted_at:
            events.append(
                SubmissionEvent(
                    submission=submission,
                    actor=staff,
                    action=Action.SUBMITTED,
                    from_status=Status.DRAFT,
                    to_status=Status.SUBMITTED,
                    created_at=submission.submitted_at,
                )
            )
        if submission.assigned_reviewer_id:
            events.append(
                SubmissionEvent(
                    submission=submission,
                    actor=submission.assigned_reviewer,
                    action=Action.REVIEW_STARTED,
                    from_status=Status.SUBMITTED,
                    to_status=Status.IN_REVIEW,
                    created_at=submission.submitted_at + timedelta(hours=1),
                )
            )
        if submission.decided_at:
            action = {
                Status.APPROVED: Action.APPROVED,
                Status.REJECTED: Action.REJECTED,
                Status.REVISION_REQUESTED: Action.REVISION_REQUESTED,
            }[submission.status]
            events.append(
                SubmissionEvent(
                    submission=submission,
                    actor=submission.decided_by,
                    action=action,
                    from_status=Status.IN_REVIEW,
                    to_status=submission.status,
                    note=submission.decision_reason,
                    created_at=submission.decided_at,
                )
            )
        if submission.status == Status.WITHDRAWN:
            events.append(
                SubmissionEvent(
                    submission=submission,
                    actor=staff,
                    action=Action.WITHDRAWN,
                    from_status=Status.SUBMITTED,
                    to_status=Status.WITHDRAWN,
                    created_at=submission.updated_at,
                )
            )
        if submission.assigned_reviewer_id and rng.random() < 0.6:
            for number in range(rng.randint(1, 3)):
                comments.append(
                    Comment(
                        submission=submission,
                        author=submission.assigned_reviewer if number % 2 == 0 else staff,
                        visibility=Comment.Visibility.INTERNAL if rng.random() < 0.2 else Comment.Visibility.OPD,
                        body=_sentence(rng, 15),
                        created_at=submission.submitted_at + timedelta(hours=2 + number),
                    )
                )
        if len(events) >= BATCH * 5:
            event_total += _flush(SubmissionEvent, events)
        if len(comments) >= BATCH * 5:
            comment_total += _flush(Comment, comments)
    return event_total + _flush(SubmissionEvent, events), comment_total + _flush(Comment, comments)


def _flush(model, rows: list) -> int:
    with fixed_timestamps(model):
        model.objects.bulk_create(rows, batch_size=BATCH)
    count = len(rows)
    rows.clear()
    return count


def _masterplan(rng, title, total, opds, elements, approved, admin) -> Masterplan:
    """Create a masterplan 2023–2032 with its six analyses and `total` programmes, targets and sources."""
    masterplan = Masterplan.objects.create(
        title=title,
        start_year=2023,
        end_year=2032,
        short_term_end_year=2027,
        vision="Kabupaten Mojokerto yang cerdas, melayani dan berdaya saing.",
        missions="\n".join(_sentence(rng, 10) for _ in range(4)),
        targets="\n".join(_sentence(rng, 10) for _ in range(4)),
        regulation_basis="Undang-Undang Nomor 23 Tahun 2014\nPeraturan Presiden Nomor 95 Tahun 2018",
        created_by=admin,
    )
    PillarAnalysis.objects.bulk_create(
        [
            PillarAnalysis(
                masterplan=masterplan,
                pillar=pillar,
                structure_score=rng.randint(1, 5),
                infrastructure_score=rng.randint(1, 5),
                superstructure_score=rng.randint(1, 5),
                structure_condition=_sentence(rng, 20),
                infrastructure_condition=_sentence(rng, 20),
                superstructure_condition=_sentence(rng, 20),
                strengths=_sentence(rng, 12),
                weaknesses=_sentence(rng, 12),
                opportunities=_sentence(rng, 12),
                threats=_sentence(rng, 12),
                strategy=_sentence(rng, 20),
            )
            for pillar in Pillar.objects.all()
        ]
    )
    programmes = []
    for index in range(total):
        element = rng.choice(elements)
        start = rng.randint(2023, 2032)
        programmes.append(
            Programme(
                masterplan=masterplan,
                element=element,
                title=_title(rng),
                description=_sentence(rng, 30),
                lead_opd=rng.choice(opds),
                start_year=start,
                end_year=min(start + rng.randint(0, 3), 2032),
                code=f"{element.pillar.code}-{index + 1:02d}",
                is_quick_win=start == 2023 and rng.random() < 0.5,
                order=index,
            )
        )
    Programme.objects.bulk_create(programmes, batch_size=BATCH)
    indicators = [
        Indicator(programme=programme, name=_sentence(rng, 6), kind=kind, unit="%", baseline_value=0, order=order)
        for programme in programmes
        for order, kind in enumerate(("output", "outcome"), start=1)
    ]
    Indicator.objects.bulk_create(indicators, batch_size=BATCH)
    targets, budgets, sources, supporters = [], [], [], []
    for indicator in indicators:
        years = indicator.programme.years
        for step, year in enumerate(years, start=1):
            targets.append(IndicatorTarget(indicator=indicator, year=year, value=100 * step // len(years)))
    for programme in programmes:
        for year in programme.years:
            for source in rng.sample(FundingSource.values, rng.randint(1, 2)):
                budgets.append(
                    ProgrammeBudget(programme=programme, year=year, source=source, amount=rng.randint(5, 200) * 10**7)
                )
        for submission in rng.sample(approved, min(len(approved), rng.randint(1, 3))):
            sources.append(Programme.submissions.through(programme_id=programme.pk, submission_id=submission.pk))
        for opd in rng.sample(opds, rng.randint(0, 2)):
            if opd.pk != programme.lead_opd_id:
                supporters.append(Programme.supporting_opds.through(programme_id=programme.pk, opd_id=opd.pk))
    IndicatorTarget.objects.bulk_create(targets, batch_size=BATCH)
    ProgrammeBudget.objects.bulk_create(budgets, batch_size=BATCH)
    Programme.submissions.through.objects.bulk_create(sources, batch_size=BATCH, ignore_conflicts=True)
    Programme.supporting_opds.through.objects.bulk_create(supporters, batch_size=BATCH, ignore_conflicts=True)
    return masterplan
