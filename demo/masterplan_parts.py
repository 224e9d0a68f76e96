"""The demo masterplan's other parts: front matter, region profile, RPJMD, governance, SWOT strategies, adoption.

DEMO DATA: plausible figures for Kabupaten Mojokerto (18 kecamatan, 299 desa, 5 kelurahan; RPJMD 2021–2026),
rounded and not official. Every text says so where a reader of the PDF would look (title, document number).
"""

import datetime
from decimal import Decimal

from masterplan import services
from masterplan.models import Masterplan, PillarAnalysis
from masterplan.selectors import executive_summary_draft
from opd.models import Opd, User

DEMO_NOTE = "DATA CONTOH (demo) — bukan dokumen resmi Pemerintah Kabupaten Mojokerto."
SOURCE_BPS = "BPS Kabupaten Mojokerto, Kabupaten Mojokerto Dalam Angka (data contoh)"

FRONT_MATTER = {
    "foreword": (
        "Puji syukur ke hadirat Tuhan Yang Maha Esa, Masterplan Smart City Kabupaten Mojokerto dapat "
        "diselesaikan. Dokumen ini menjadi pedoman bersama perangkat daerah, dunia usaha, perguruan tinggi "
        "dan masyarakat dalam mewujudkan Kabupaten Mojokerto yang cerdas, melayani dan berdaya saing.\n\n" + DEMO_NOTE
    ),
    "background": (
        "Gerakan Menuju 100 Smart City mendorong kabupaten/kota menyusun rencana induk kota cerdas yang "
        "selaras dengan RPJMD. Kabupaten Mojokerto memiliki kawasan industri Ngoro, warisan Majapahit di "
        "Trowulan dan layanan publik yang mulai terdigitalisasi, namun aplikasi antar-OPD belum terintegrasi."
    ),
    "purpose": (
        "Maksud penyusunan adalah memberi arah pembangunan smart city sepuluh tahun ke depan. Tujuannya "
        "menetapkan program prioritas per pilar, target terukur, kebutuhan anggaran dan tata kelolanya."
    ),
    "scope": (
        "Masterplan mencakup enam pilar smart city (tata kelola, branding, ekonomi, kehidupan, masyarakat dan "
        "lingkungan) untuk periode 2025–2034, dengan horizon jangka pendek, menengah dan panjang."
    ),
    "methodology": (
        "Penyusunan melalui bimbingan teknis bersama Kementerian Komunikasi dan Digital, pengumpulan usulan OPD "
        "melalui portal ini, analisis kesiapan struktur, infrastruktur dan suprastruktur, analisis SWOT, serta "
        "penyelarasan dengan RPJMD 2021–2026."
    ),
}

PROFILE = {
    "area_km2": Decimal("969.36"),
    "kecamatan_count": 18,
    "desa_count": 299,
    "kelurahan_count": 5,
    "area_source": SOURCE_BPS,
    "population": 1_132_000,
    "population_year": 2023,
    "population_source": SOURCE_BPS,
    "grdp": 78_500_000_000_000,
    "grdp_growth": Decimal("5.21"),
    "grdp_year": 2023,
    "grdp_source": SOURCE_BPS,
    "hdi": Decimal("75.12"),
    "hdi_year": 2023,
    "hdi_source": SOURCE_BPS,
    "poverty_rate": Decimal("9.63"),
    "poverty_rate_year": 2023,
    "poverty_rate_source": SOURCE_BPS,
    "internet_coverage": Decimal("92.50"),
    "internet_coverage_year": 2024,
    "has_data_centre": True,
    "has_command_centre": False,
    "application_count": 137,
    "application_count_year": 2024,
    "ict_source": "Diskominfo Kabupaten Mojokerto, pendataan aplikasi SPBE (data contoh)",
    "narrative": (
        "Kabupaten Mojokerto terletak di Provinsi Jawa Timur, berbatasan dengan Kota Mojokerto, Kabupaten "
        "Jombang, Lamongan, Gresik, Sidoarjo, Pasuruan dan Malang. Wilayahnya terdiri atas 18 kecamatan, "
        "299 desa dan 5 kelurahan, dari dataran rendah industri di utara hingga lereng Pacet dan Trawas di "
        "selatan. " + DEMO_NOTE
    ),
}

RPJMD_MISSIONS = [
    (1, "Meningkatkan kualitas sumber daya manusia yang sehat, cerdas dan berdaya saing"),
    (2, "Mewujudkan pertumbuhan ekonomi yang inklusif berbasis potensi lokal"),
    (3, "Meningkatkan kualitas infrastruktur dan lingkungan hidup yang berkelanjutan"),
    (4, "Mewujudkan tata kelola pemerintahan yang baik, bersih dan melayani"),
    (5, "Mewujudkan kehidupan masyarakat yang religius, aman dan berbudaya"),
]
RPJMD_INDICATORS = [
    {"name": "Indeks Pembangunan Manusia", "unit": "poin", "baseline": Decimal("73.83"), "target": Decimal("75.50")},
    {"name": "Pertumbuhan ekonomi", "unit": "%", "baseline": Decimal("4.80"), "target": Decimal("5.60")},
    {"name": "Persentase penduduk miskin", "unit": "%", "baseline": Decimal("10.57"), "target": Decimal("8.50")},
    {"name": "Indeks SPBE", "unit": "poin", "baseline": Decimal("2.61"), "target": Decimal("3.50")},
]
# Which RPJMD missions each pillar's programmes serve.
MISSIONS_OF_PILLAR = {"GOV": [4], "BRD": [2, 5], "ECO": [2], "LIV": [1, 3], "SOC": [1, 5], "ENV": [3]}

DEWAN = [
    ("Bupati Mojokerto", "Bupati", "Ketua", None, "Pemerintah Kabupaten Mojokerto"),
    ("Sekretaris Daerah", "Sekretaris Daerah", "Wakil Ketua", None, "Sekretariat Daerah"),
    ("Kepala Bappeda", "Kepala Badan", "Anggota", "BAPPEDA", ""),
    ("Kepala Diskominfo", "Kepala Dinas", "Sekretaris", "DISKOMINFO", ""),
    ("Rektor Universitas Mayjen Sungkono", "Rektor", "Anggota", None, "Perguruan tinggi (data contoh)"),
]
TIM_PELAKSANA = [
    ("Kepala Diskominfo", "Kepala Dinas", "Ketua", "DISKOMINFO", ""),
    ("Sekretaris Bappeda", "Sekretaris", "Wakil Ketua", "BAPPEDA", ""),
    ("Kepala Bidang Aplikasi Informatika", "Kepala Bidang", "Sekretaris", "DISKOMINFO", ""),
    ("Kepala Bidang Pelayanan Kesehatan", "Kepala Bidang", "Anggota", "DINKES", ""),
    ("Kepala Bidang Pengelolaan Sampah", "Kepala Bidang", "Anggota", "DLH", ""),
]

SWOT_STRATEGIES = {
    "so_strategy": "Memanfaatkan komitmen pimpinan untuk mengikuti program nasional dan menarik mitra.",
    "wo_strategy": "Memakai dukungan Gerakan Menuju 100 Smart City untuk mengintegrasikan aplikasi OPD.",
    "st_strategy": "Menguatkan keamanan informasi dan kolaborasi antar-OPD menghadapi ancaman siber.",
    "wt_strategy": "Memprioritaskan layanan berdampak besar dengan anggaran terbatas dan berbagi pakai infrastruktur.",
}


def _members(rows) -> list[dict]:
    opds = {opd.code: opd for opd in Opd.objects.filter(code__in=[row[3] for row in rows if row[3]])}
    return [
        {
            "name": name,
            "position": position,
            "role_in_body": role,
            "opd": opds.get(code) if code else None,
            "outside_party": outside if not (code and code in opds) else "",
        }
        for name, position, role, code, outside in rows
    ]


def demo_masterplan_parts_fill(*, masterplan: Masterplan, admin: User) -> None:
    """Fill every part of the demo masterplan through the services, as Kominfo would through the pages."""
    services.profile_save(masterplan=masterplan, by=admin, data=PROFILE)
    rpjmd = services.rpjmd_save(
        masterplan=masterplan,
        by=admin,
        data={
            "start_year": 2021,
            "end_year": 2026,
            "regulation": "Peraturan Daerah Kabupaten Mojokerto tentang RPJMD 2021–2026 (data contoh)",
            "vision": "Terwujudnya Kabupaten Mojokerto yang religius, sejahtera, adil, dan berdaya saing.",
        },
        missions=RPJMD_MISSIONS,
        indicators=[{**row, "year": 2026} for row in RPJMD_INDICATORS],
    )
    missions = {mission.number: mission for mission in rpjmd.missions.all()}
    for programme in masterplan.programmes.select_related("element__pillar"):
        programme.rpjmd_missions.set([missions[n] for n in MISSIONS_OF_PILLAR[programme.element.pillar.code]])
    for kind, rows, number, date in (
        ("dewan", DEWAN, "188.45/112/HK/416-012/2024", datetime.date(2024, 2, 12)),
        ("tim_pelaksana", TIM_PELAKSANA, "188.45/113/HK/416-012/2024", datetime.date(2024, 2, 12)),
    ):
        services.governance_body_save(
            masterplan=masterplan,
            by=admin,
            kind=kind,
            data={"decree_number": number, "decree_date": date},
            members=_members(rows),
        )
    for analysis in PillarAnalysis.objects.filter(masterplan=masterplan):
        services.analysis_update(analysis=analysis, by=admin, data=SWOT_STRATEGIES)
    masterplan.refresh_from_db()
    services.masterplan_update(
        masterplan=masterplan,
        by=admin,
        data={
            **FRONT_MATTER,
            "executive_summary": executive_summary_draft(masterplan) + "\n\n" + DEMO_NOTE,
            "regulation_number": "Peraturan Bupati Mojokerto Nomor 00 Tahun 2025 (data contoh)",
            "regulation_date": datetime.date(2025, 3, 3),
            "document_number": "DEMO/MP-SC/2025",
        },
    )
