"""A demo masterplan with programmes in all six pillars, so a newcomer can generate a PDF at once."""

from decimal import Decimal

from django.db import transaction

from demo.masterplan_parts import demo_masterplan_parts_fill
from masterplan import services
from masterplan.models import Masterplan, PillarAnalysis
from masterplan.services import IndicatorData
from opd.models import Opd, Submission, User
from pillars.models import Element

VISION = "Kabupaten Mojokerto yang cerdas, melayani dan berdaya saing melalui pemanfaatan teknologi informasi."
MISSIONS = """Mewujudkan tata kelola pemerintahan berbasis elektronik yang terpadu
Meningkatkan kualitas layanan publik yang mudah, cepat dan terjangkau
Mengembangkan ekonomi daerah dan pariwisata berbasis digital
Membangun lingkungan hidup yang sehat dan berkelanjutan"""
TARGETS = """Indeks SPBE Kabupaten mencapai predikat Sangat Baik pada 2027
Seluruh layanan perizinan dapat diakses daring pada 2026
Satu Data Kabupaten Mojokerto berjalan di seluruh OPD
Waktu tanggap kedaruratan di bawah 15 menit"""
REGULATIONS = """Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah
Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik
Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia
Peraturan Daerah Kabupaten Mojokerto tentang RPJMD 2021–2026"""

ANALYSES = {
    "GOV": (3, 2, 3, "Komitmen pimpinan kuat; SPBE sudah berjalan", "Aplikasi OPD belum terintegrasi"),
    "BRD": (2, 3, 2, "Warisan Majapahit di Trowulan", "Promosi wisata belum digital"),
    "ECO": (3, 3, 2, "Kawasan industri Ngoro dan IKM alas kaki", "UMKM belum masuk pasar daring"),
    "LIV": (3, 2, 3, "27 puskesmas dan 2 RSUD", "Rekam medis masih kertas"),
    "SOC": (2, 2, 2, "Partisipasi warga tinggi", "Pengaduan belum terlacak"),
    "ENV": (2, 2, 3, "Bank sampah di banyak desa", "Pemantauan kualitas udara belum ada"),
}

EXTRA_PROGRAMMES = [
    (
        "GOV-BUR",
        "Integrasi aplikasi layanan OPD ke Super App Kabupaten",
        "DISKOMINFO",
        2026,
        2027,
        1_800_000_000,
        False,
    ),
    ("BRD-APP", "Penataan wajah kota dan papan informasi digital alun-alun", "DPUPR", 2028, 2030, 2_400_000_000, False),
    ("ECO-IND", "Inkubator bisnis digital IKM alas kaki", "DISPERINDAG", 2027, 2029, 900_000_000, False),
    ("SOC-SEC", "Command center dan call center 112", "DISKOMINFO", 2025, 2026, 650_000_000, True),
    ("ENV-WST", "Sistem pemantauan armada pengangkut sampah", "DLH", 2029, 2031, 1_100_000_000, False),
    ("LIV-MOB", "Halte pintar dan informasi angkutan terpadu", "DISHUB", 2030, 2032, 3_200_000_000, False),
]


QUICK_WIN_YEARS = 2
START_YEAR, END_YEAR = 2025, 2034
QUICK_WIN_LAST_YEAR = START_YEAR + QUICK_WIN_YEARS - 1


def demo_indicators(output: str, outcome: str, start: int, end: int) -> list[IndicatorData]:
    """Return an output indicator counted in percent built, and an outcome indicator in percent of citizens served."""
    years = range(start, end + 1)
    count = len(years)
    return [
        IndicatorData(
            name=(output or "Sistem berjalan")[:300],
            kind="output",
            unit="% terbangun",
            baseline_value=Decimal(0),
            baseline_year=start - 1,
            data_source="Laporan OPD pengampu",
            targets={year: Decimal(100 * (index + 1) // count) for index, year in enumerate(years)},
        ),
        IndicatorData(
            name=(outcome or "Warga terlayani")[:300],
            kind="outcome",
            unit="% warga terlayani",
            baseline_value=Decimal(15),
            baseline_year=start - 1,
            data_source="Survei kepuasan masyarakat",
            targets={year: Decimal(min(95, 25 + 10 * index)) for index, year in enumerate(years)},
        ),
    ]


# How a programme's own budget runs over its years, as a share of an even split: a smaller first year
# (preparation, pilot), the build in the next years, then running costs.
YEAR_PROFILE = {1: (1.0,), 2: (0.7, 1.3)}
LONGER_PROFILE = (0.6, 1.4, 1.2)
LATER_YEAR = 0.8
ROUNDED_TO = 1_000_000


def year_shares(total: int, years: int) -> list[int]:
    """Return `total` spread over `years` years after the demo's yearly profile, in round millions where it can."""
    weights = YEAR_PROFILE.get(years) or (LONGER_PROFILE + (LATER_YEAR,) * years)[:years]
    unit = ROUNDED_TO if total >= ROUNDED_TO * 10 * years else 1
    shares = [int(total * weight / sum(weights)) // unit * unit for weight in weights]
    peak = shares.index(max(shares))
    shares[peak] += total - sum(shares)
    return shares


def demo_budgets(total: int, source: str, start: int, end: int) -> dict[tuple[int, str], int]:
    """Return a budget spread over the years, co-funded by the province, DAK and Dana Desa (demo data)."""
    years = list(range(start, end + 1))
    own = source or "apbd_kabupaten"
    budgets = {(year, own): share for year, share in zip(years, year_shares(total, len(years)), strict=True)}
    average = total // len(years)

    def part(divisor: int) -> int:  # a co-funder's share of an average year, in round millions where it can
        return average // divisor // ROUNDED_TO * ROUNDED_TO or average // divisor

    if len(years) > 1:
        budgets[(end, "apbd_provinsi")] = part(4)
        budgets[(years[1], "dak")] = part(3)
    if len(years) > 2:
        budgets[(start, "dana_desa")] = part(10)
    return budgets


@transaction.atomic
def demo_masterplan_create(*, admin: User) -> Masterplan | None:
    """Create the demo masterplan once; return it, or None when a masterplan already exists."""
    if Masterplan.objects.exists():
        return None
    masterplan = services.masterplan_create(
        by=admin,
        data={
            "title": "Masterplan Smart City Kabupaten Mojokerto (Data Contoh)",
            "start_year": START_YEAR,
            "end_year": END_YEAR,
            "short_term_end_year": 2026,
            "medium_term_end_year": 2030,
            "quick_win_years": QUICK_WIN_YEARS,
            "vision": VISION,
            "missions": MISSIONS,
            "targets": TARGETS,
            "regulation_basis": REGULATIONS,
        },
    )
    for analysis in PillarAnalysis.objects.filter(masterplan=masterplan).select_related("pillar"):
        structure, infrastructure, superstructure, strength, weakness = ANALYSES[analysis.pillar.code]
        services.analysis_update(
            analysis=analysis,
            by=admin,
            data={
                "structure_score": structure,
                "infrastructure_score": infrastructure,
                "superstructure_score": superstructure,
                "structure_condition": "Tim smart city dan Dewan Smart City sudah dibentuk.",
                "infrastructure_condition": "Jaringan fiber menjangkau kantor kecamatan.",
                "superstructure_condition": "Peraturan Bupati tentang SPBE sudah terbit.",
                "strengths": strength,
                "weaknesses": weakness,
                "opportunities": "Dukungan program Gerakan Menuju 100 Smart City",
                "threats": "Keterbatasan anggaran dan SDM TIK",
                "strategy": f"Memperkuat {analysis.pillar.name} melalui integrasi data dan layanan.",
            },
        )
    for submission in Submission.objects.filter(status="approved").select_related("element", "opd"):
        start, end = max(submission.start_year, START_YEAR), min(submission.end_year, END_YEAR)
        services.programme_create(
            masterplan=masterplan,
            by=admin,
            submissions=[submission],
            data={
                "title": submission.title,
                "element": submission.element,
                "description": submission.proposed_solution,
                "lead_opd": submission.opd,
                "start_year": start,
                "end_year": end,
                "is_quick_win": submission.horizon == "quick_win" and submission.end_year <= QUICK_WIN_LAST_YEAR,
            },
            indicators=demo_indicators(submission.expected_output, submission.indicator, start, end),
            budgets=demo_budgets(submission.budget, submission.funding_source, start, end),
        )
    elements = {element.code: element for element in Element.objects.all()}
    for code, title, opd_code, start, end, budget, quick in EXTRA_PROGRAMMES:
        services.programme_create(
            masterplan=masterplan,
            by=admin,
            data={
                "title": title,
                "element": elements[code],
                "description": title,
                "lead_opd": Opd.objects.get(code=opd_code),
                "start_year": start,
                "end_year": end,
                "is_quick_win": quick,
            },
            indicators=demo_indicators("Sistem berjalan", "Kepuasan warga meningkat", start, end),
            budgets=demo_budgets(budget, "apbd_kabupaten", start, end),
        )
    demo_masterplan_parts_fill(masterplan=masterplan, admin=admin)
    return masterplan
