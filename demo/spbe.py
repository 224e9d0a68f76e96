"""A demo application inventory (about 40 applications) and data catalogue (about 30 datasets) of Kabupaten
Mojokerto's OPDs, linked to the demo masterplan's programmes and submissions, so every SPBE view shows data."""

import csv
from pathlib import Path

from django.db import transaction

from masterplan.models import Masterplan, Programme
from opd.models import Opd, Submission, User
from spbe.models import (
    Application,
    Dataset,
    DatasetRole,
    ProgrammeApplication,
    ProgrammeDataset,
    ProgrammeDomain,
    SubmissionApplication,
    SubmissionDataset,
)
from spbe.overlap import as_record, similar_applications
from spbe.services.imports import applications_import

DATA = Path(__file__).resolve().parent / "data"

# Programme (by title) → (applications, datasets it needs, datasets it produces, domains set by Kominfo).
PROGRAMME_LINKS = {
    "Rekam medis elektronik terintegrasi puskesmas": (
        ["SIMPUS Puskesmas"], ["Jumlah penduduk menurut kecamatan dan jenis kelamin"],
        ["Kunjungan pasien puskesmas"], [],
    ),
    "Sensor kualitas udara di kawasan industri Ngoro": (
        ["Pemantauan Kualitas Udara"], [], ["Indeks kualitas udara kawasan industri"], ["infrastructure"],
    ),
    "Platform belajar daring guru SD": (["Belajar Daring Guru"], ["Jumlah sekolah dan murid"], [], []),
    "Perizinan berusaha terintegrasi OSS dan SIMBG": (
        ["SiCantik Perizinan"], ["Rencana pola ruang"], ["Izin terbit menurut jenis"], ["business_process"],
    ),
    "Tur virtual situs Majapahit Trowulan": (["Jelajah Majapahit"], [], ["Kunjungan wisatawan"], []),
    "Pembayaran PBB lewat QRIS": (["E-PBB QRIS"], [], ["Realisasi pendapatan asli daerah"], []),
    "Integrasi aplikasi layanan OPD ke Super App Kabupaten": (
        ["Super App Mojokerto", "SSO ASN Mojokerto"], ["Pengaduan masyarakat"], [], ["security"],
    ),
    "Command center dan call center 112": (
        ["Call Center 112", "Command Center Dashboard", "CCTV Terpadu"], ["Kejadian bencana", "Kejadian kebakaran"],
        [], [],
    ),
    "Sistem pemantauan armada pengangkut sampah": ([], ["Timbulan sampah harian"], [], ["infrastructure"]),
    "Halte pintar dan informasi angkutan terpadu": (["Info Angkutan Pedesaan"], ["Jadwal angkutan pedesaan"], [], []),
}  # fmt: skip
# Submission (by title) → (its OPD's applications, datasets it needs, a new application it asks for or None).
SUBMISSION_LINKS = {
    "Aplikasi bank sampah digital": (["Bank Sampah Digital"], ["Timbulan sampah harian"]),
    "Sistem informasi ketersediaan tempat tidur RSUD": ([], ["Ketersediaan tempat tidur rawat inap"]),
    "Data stunting tersebar di banyak aplikasi": (["E-Stunting"], ["Prevalensi balita stunting per desa"]),
    "Peringatan dini banjir Sungai Brantas": (["Peringatan Dini Banjir"], ["Tinggi muka air Sungai Brantas"]),
    "Pasar daring UMKM Mojokerto": (["Pasar Daring UMKM"], ["Jumlah UMKM menurut sektor"]),
    "Peta tata ruang daring untuk warga": (["Peta Tata Ruang Daring"], ["Rencana pola ruang"]),
}
# A draft need for an application that resembles one of another OPD (the overlap warning of the demo).
PROPOSED = ("Sistem informasi ketersediaan tempat tidur RSUD", "Informasi Tempat Tidur Rawat Inap", "Dinkes")


def _datasets_create() -> int:
    producers = {opd.code: opd for opd in Opd.objects.all()}
    applications = {application.name: application for application in Application.objects.all()}
    count = 0
    with open(DATA / "datasets.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            dataset = Dataset.objects.create(
                producer=producers[row["producer"]],
                **{name: row[name] for name in ("title", "description", "frequency", "unit", "level", "format")},
                reference_codes=row["reference_codes"],
                status=row["status"],
            )
            dataset.applications.set(
                [applications[name] for name in row["applications"].split(";") if name in applications]
            )
            count += 1
    return count


def _links_create(masterplan: Masterplan | None, admin: User) -> None:
    applications = {application.name: application for application in Application.objects.all()}
    datasets = {dataset.title: dataset for dataset in Dataset.objects.all()}
    if masterplan is not None:
        programmes = {programme.title: programme for programme in Programme.objects.filter(masterplan=masterplan)}
        for title, (names, needs, produces, domains) in PROGRAMME_LINKS.items():
            programme = programmes.get(title)
            if programme is None:
                continue
            ProgrammeApplication.objects.bulk_create(
                [ProgrammeApplication(programme=programme, application=applications[name]) for name in names]
            )
            ProgrammeDataset.objects.bulk_create(
                [ProgrammeDataset(programme=programme, dataset=datasets[t], role=DatasetRole.NEEDS) for t in needs]
                + [
                    ProgrammeDataset(programme=programme, dataset=datasets[t], role=DatasetRole.PRODUCES)
                    for t in produces
                ]
            )
            ProgrammeDomain.objects.bulk_create([ProgrammeDomain(programme=programme, domain=d) for d in domains])
    submissions = {submission.title: submission for submission in Submission.objects.select_related("created_by")}
    for title, (names, needs) in SUBMISSION_LINKS.items():
        submission = submissions.get(title)
        if submission is None:
            continue
        SubmissionApplication.objects.bulk_create(
            [
                SubmissionApplication(submission=submission, application=applications[name], created_by=admin)
                for name in names
                if applications[name].opd_id == submission.opd_id
            ]
        )
        SubmissionDataset.objects.bulk_create(
            [SubmissionDataset(submission=submission, dataset=datasets[t], role=DatasetRole.NEEDS) for t in needs]
        )
    submission = submissions.get(PROPOSED[0])
    if submission is not None:
        similar = similar_applications(name=PROPOSED[1], purpose="Ketersediaan tempat tidur rawat inap")
        application = Application.objects.create(
            opd=submission.opd, name=PROPOSED[1], purpose="Ketersediaan tempat tidur rawat inap di RSUD",
            kind=Application.Kind.PUBLIC_SERVICE, status=Application.Status.PLANNED,
        )  # fmt: skip
        SubmissionApplication.objects.create(
            submission=submission, application=application, is_new=True, similar=as_record(similar),
            created_by=submission.created_by,
        )  # fmt: skip


@transaction.atomic
def demo_spbe_create(*, admin: User) -> tuple[int, int] | None:
    """Create the demo inventory, catalogue and links once; return their sizes, or None when already there."""
    if Application.objects.exists():
        return None
    result = applications_import(data=(DATA / "applications.csv").read_bytes(), by=admin)
    datasets = _datasets_create()
    _links_create(Masterplan.objects.order_by("created_at").first(), admin)
    return len(result.created), datasets
