"""A complete, valid draft submission, and helpers that move one through the real services."""

import struct
import zlib

import factory
import pytest
from factory.django import DjangoModelFactory

from core.roles import Role
from opd.models import FundingSource, Horizon, Priority, Submission, SubmissionKind
from opd.services import submissions as service
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.factories import OpdFactory, UserFactory


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Hash test passwords with MD5: PBKDF2 would make each user cost a quarter of a second.

    Import it into a test module to use it there (it is autouse within that module).
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pillar_with_elements(code: str = "GOV") -> Pillar:
    """Return a reference pillar, loading the reference data if a transactional test flushed it."""
    if not Pillar.objects.filter(code=code).exists():
        load_pillars(Pillar, Element)
    return Pillar.objects.get(code=code)


class SubmissionFactory(DjangoModelFactory):
    """A draft with every field REQUIRED_TO_SUBMIT filled in: it can be sent as it is.

    Pass `opd=` and `created_by=` (staff of that OPD) in tests; by default both are made up.
    """

    class Meta:
        model = Submission

    opd = factory.SubFactory(OpdFactory)
    created_by = factory.SubFactory(UserFactory, role=Role.OPD_STAFF, opd=factory.SelfAttribute("..opd"))
    kind = SubmissionKind.INNOVATION
    title = factory.Sequence(lambda n: f"Aplikasi layanan terpadu {n}")
    pillar = factory.LazyFunction(pillar_with_elements)
    element = factory.LazyAttribute(lambda submission: submission.pillar.elements.order_by("order").first())
    current_condition = "Antrean layanan masih manual dan lama."
    proposed_solution = "Aplikasi antrean daring yang terhubung ke SIMPUS."
    beneficiaries = "Warga yang berobat ke puskesmas."
    expected_output = "Satu aplikasi antrean daring."
    expected_outcome = "Waktu tunggu turun separuh."
    indicator = "90% antrean diambil secara daring."
    horizon = Horizon.SHORT_TERM
    start_year = 2026
    end_year = 2028
    budget = 1_250_000_000
    funding_source = FundingSource.APBD_KABUPATEN
    priority = Priority.HIGH


def sent(submission: Submission) -> Submission:
    """Send a draft through the service, as its creator."""
    return service.submission_submit(submission=submission, by=submission.created_by)


def in_review(submission: Submission, admin) -> Submission:
    return service.submission_start_review(submission=sent(submission), by=admin)


def returned_for_revision(submission: Submission, admin, reason: str = "Lengkapi indikator.") -> Submission:
    return service.submission_request_revision(submission=sent(submission), by=admin, reason=reason)


def approved(submission: Submission, admin, reason: str = "") -> Submission:
    return service.submission_approve(submission=sent(submission), by=admin, reason=reason)


def rejected(submission: Submission, admin, reason: str = "Sudah ada aplikasi serupa.") -> Submission:
    return service.submission_reject(submission=sent(submission), by=admin, reason=reason)


def withdrawn(submission: Submission) -> Submission:
    return service.submission_withdraw(submission=sent(submission), by=submission.created_by)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    """Return a real, minimal RGB PNG image (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * width for _row in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels)) + chunk(b"IEND", b"")
