"""Masterplans and programmes for tests, and a realistic masterplan of every pillar for the PDF."""

import factory
from factory.django import DjangoModelFactory

from core.roles import Role
from masterplan.models import Indicator, IndicatorTarget, Masterplan, PillarAnalysis, Programme, ProgrammeBudget
from opd.models import FundingSource, Submission, SubmissionStatus
from pillars.models import Element, Pillar
from pillars.reference import load_pillars
from tests.factories import OpdFactory, UserFactory
from tests.opd.submission_factories import SubmissionFactory


def first_element() -> Element:
    if not Element.objects.exists():
        load_pillars(Pillar, Element)
    return Element.objects.order_by("pillar__order", "order").first()


class MasterplanFactory(DjangoModelFactory):
    class Meta:
        model = Masterplan

    title = "Masterplan Smart City Kabupaten Mojokerto"
    start_year = 2023
    end_year = 2032
    short_term_end_year = 2026
    vision = "Kabupaten Mojokerto yang cerdas, melayani dan berdaya saing."
    missions = "Tata kelola pemerintahan berbasis elektronik\nLayanan publik yang mudah dan cepat"
    targets = "Indeks SPBE predikat Sangat Baik pada 2027"
    regulation_basis = "Peraturan Presiden Nomor 95 Tahun 2018 tentang SPBE"
    created_by = factory.SubFactory(UserFactory, role=Role.KOMINFO_ADMIN)


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    masterplan = factory.SubFactory(MasterplanFactory)
    element = factory.LazyFunction(first_element)
    title = factory.Sequence(lambda n: f"Program uji {n}")
    description = "Deskripsi program."
    lead_opd = factory.SubFactory(OpdFactory)
    start_year = 2024
    end_year = factory.LazyAttribute(lambda programme: min(programme.start_year + 2, programme.masterplan.end_year))
    order = factory.Sequence(lambda n: n)

    @classmethod
    def _create(cls, model_class, *args, budget=1_000_000_000, funding_source=FundingSource.APBD_KABUPATEN, **kwargs):
        """Create the programme with its budget spread evenly over its years (the rest on the first) from one source."""
        programme = super()._create(model_class, *args, **kwargs)
        years = programme.years
        share = budget // len(years)
        amounts = dict.fromkeys(years, share)
        amounts[years[0]] += budget - share * len(years)
        ProgrammeBudget.objects.bulk_create(
            [
                ProgrammeBudget(programme=programme, year=year, source=funding_source, amount=amount)
                for year, amount in amounts.items()
                if amount
            ]
        )
        return programme


def indicator_with_targets(programme, *, name="Aplikasi berjalan", kind="output", unit="%", targets=None):
    """Create an indicator of the programme with a numeric target per year (by default rising to 100)."""
    indicator = Indicator.objects.create(programme=programme, name=name, kind=kind, unit=unit, baseline_value=0)
    years = programme.years
    values = targets or {year: 100 * (index + 1) // len(years) for index, year in enumerate(years)}
    IndicatorTarget.objects.bulk_create(
        [IndicatorTarget(indicator=indicator, year=year, value=value) for year, value in values.items()]
    )
    return indicator


OPDS = [
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", "Diskominfo"),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", "Bappeda"),
    ("DINKES", "Dinas Kesehatan", "Dinkes"),
    ("DLH", "Dinas Lingkungan Hidup", "DLH"),
    ("DISHUB", "Dinas Perhubungan", "Dishub"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("DISPARPORA", "Dinas Kepemudaan, Olahraga, Kebudayaan dan Pariwisata", "Disparpora"),
    ("DISPERINDAG", "Dinas Perindustrian dan Perdagangan", "Disperindag"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "DPMPTSP"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", "BPBD"),
    ("DINDIK", "Dinas Pendidikan", "Dindik"),
    ("BAPENDA", "Badan Pendapatan Daerah", "Bapenda"),
]

# (element code, title, lead OPD code): what a regency's OPDs typically propose, per element.
PROGRAMMES = [
    ("GOV-SVC", "Mal Pelayanan Publik digital dan antrean daring", "DPMPTSP"),
    ("GOV-SVC", "Kanal pengaduan masyarakat terpadu", "DISKOMINFO"),
    ("GOV-BUR", "Integrasi aplikasi OPD ke Super App Kabupaten", "DISKOMINFO"),
    ("GOV-POL", "Portal Satu Data Kabupaten dan katalog metadata", "BAPPEDA"),
    ("BRD-TOU", "Promosi digital kawasan cagar budaya Trowulan", "DISPARPORA"),
    ("BRD-BUS", "Katalog daring produk unggulan IKM alas kaki", "DISPERINDAG"),
    ("BRD-APP", "Papan informasi digital alun-alun dan ruang publik", "DPUPR"),
    ("ECO-IND", "Inkubator bisnis digital bagi UMKM", "DISPERINDAG"),
    ("ECO-WEL", "Basis data terpadu penerima bantuan sosial", "DISKOMINFO"),
    ("ECO-TRX", "Pembayaran pajak dan retribusi daerah non-tunai", "BAPENDA"),
    ("LIV-HAR", "Sistem informasi tata ruang dan perizinan bangunan", "DPUPR"),
    ("LIV-HEA", "Rekam medis elektronik puskesmas", "DINKES"),
    ("LIV-HEA", "Antrean daring dan telekonsultasi puskesmas", "DINKES"),
    ("LIV-MOB", "Halte pintar dan informasi angkutan terpadu", "DISHUB"),
    ("SOC-COM", "Aplikasi partisipasi warga dalam musrenbang", "BAPPEDA"),
    ("SOC-LRN", "Perpustakaan digital dan literasi digital sekolah", "DINDIK"),
    ("SOC-SEC", "Command center dan layanan darurat 112", "DISKOMINFO"),
    ("SOC-SEC", "Sistem peringatan dini banjir dan longsor", "BPBD"),
    ("ENV-PRO", "Pemantauan kualitas udara dan air sungai", "DLH"),
    ("ENV-WST", "Pemantauan armada pengangkut sampah dan bank sampah", "DLH"),
    ("ENV-NRG", "Penerangan jalan umum tenaga surya dan hemat energi", "DISHUB"),
]
KECAMATAN = ["Trowulan", "Sooko", "Puri", "Bangsal", "Mojoanyar", "Dlanggu", "Kutorejo", "Pungging", "Ngoro"]

ANALYSIS_TEXT = {
    "structure_condition": "Tim pelaksana smart city dan Dewan Smart City sudah dibentuk; SDM TIK terbatas.",
    "structure_gap": "Belum ada pejabat fungsional pranata komputer di setiap OPD.",
    "infrastructure_condition": "Jaringan serat optik menjangkau kantor kecamatan; pusat data milik sendiri.",
    "infrastructure_gap": "Desa di lereng Pacet dan Trawas belum terjangkau internet stabil.",
    "superstructure_condition": "Peraturan Bupati tentang SPBE dan Satu Data sudah terbit.",
    "superstructure_gap": "Prosedur berbagi pakai data antar-OPD belum dibakukan.",
    "strengths": "Komitmen pimpinan kuat\nWarisan budaya Majapahit",
    "weaknesses": "Aplikasi OPD belum terintegrasi\nAnggaran TIK kecil",
    "opportunities": "Dukungan Gerakan Menuju 100 Smart City\nKawasan industri Ngoro",
    "threats": "Serangan siber meningkat\nKeterbatasan anggaran daerah",
}


def realistic_masterplan(*, admin, programme_count: int = 20, submission_count: int = 8) -> Masterplan:
    """Return a masterplan of every pillar: filled analyses, programmes with targets, sources, quick wins."""
    load_pillars(Pillar, Element)
    opds = {code: OpdFactory(code=code, name=name, short_name=short) for code, name, short in OPDS}
    masterplan = MasterplanFactory(
        created_by=admin,
        short_term_end_year=2027,
        missions="\n".join(
            [
                "Mewujudkan tata kelola pemerintahan berbasis elektronik yang terpadu",
                "Meningkatkan kualitas layanan publik yang mudah, cepat dan terjangkau",
                "Mengembangkan ekonomi daerah dan pariwisata berbasis digital",
                "Membangun lingkungan hidup yang sehat dan berkelanjutan",
            ]
        ),
        targets="Indeks SPBE predikat Sangat Baik pada 2027\nSeluruh layanan perizinan dapat diakses daring",
        regulation_basis="\n".join(
            [
                "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
                "Peraturan Presiden Nomor 95 Tahun 2018 tentang Sistem Pemerintahan Berbasis Elektronik",
                "Peraturan Presiden Nomor 39 Tahun 2019 tentang Satu Data Indonesia",
            ]
        ),
    )
    for index, pillar in enumerate(Pillar.objects.order_by("order")):
        PillarAnalysis.objects.create(
            masterplan=masterplan,
            pillar=pillar,
            structure_score=2 + index % 3,
            infrastructure_score=3,
            superstructure_score=1 + index % 5,
            strategy=f"Memperkuat {pillar.name_id} melalui integrasi data dan layanan digital.",
            **ANALYSIS_TEXT,
        )
    elements = {element.code: element for element in Element.objects.all()}
    first_reference = Submission.objects.count() + 1
    submissions = [
        SubmissionFactory(
            opd=opds[PROGRAMMES[i % len(PROGRAMMES)][2]],
            title=f"Usulan {PROGRAMMES[i % len(PROGRAMMES)][1].lower()}",
            pillar=elements[PROGRAMMES[i % len(PROGRAMMES)][0]].pillar,
            element=elements[PROGRAMMES[i % len(PROGRAMMES)][0]],
            status=SubmissionStatus.APPROVED,
            reference=f"SC-2026-{first_reference + i:04d}",
        )
        for i in range(submission_count)
    ]
    sources = list(FundingSource.values)
    for number in range(programme_count):
        element_code, title, opd_code = PROGRAMMES[number % len(PROGRAMMES)]
        if number >= len(PROGRAMMES):
            title = f"{title} di Kecamatan {KECAMATAN[number // len(PROGRAMMES) % len(KECAMATAN)]}"
        start = 2023 + (number * 3) % 9
        end = min(start + number % 4, 2032)
        programme = ProgrammeFactory(
            masterplan=masterplan,
            element=elements[element_code],
            title=title,
            description=f"{title} agar layanan kepada warga lebih cepat, terukur dan terhubung antar-OPD.",
            lead_opd=opds[opd_code],
            start_year=start,
            end_year=end,
            budget=250_000_000 * (1 + number % 9),
            funding_source=sources[number % 3 if number % 5 else number % len(sources)],
            is_quick_win=number % 6 == 0 and end <= 2024,
            order=number,
        )
        programme.supporting_opds.set([opds[code] for code in ("DISKOMINFO", "BAPPEDA") if code != opd_code])
        if number < submission_count:
            programme.submissions.set([submissions[number]])
        indicator_with_targets(programme, name="Layanan terbangun", unit="% terbangun")
        indicator_with_targets(
            programme,
            name="Warga terlayani",
            kind="outcome",
            unit="% warga",
            targets={year: 20 + (year - start) * 10 for year in range(start, end + 1)},
        )
    return masterplan


def programme_parts_post(*, indicators=(), budgets=()) -> dict:
    """Return the formset fields of a programme form: indicator rows (dicts) and budget rows (year, source, amount)."""
    data = {
        "indicator-TOTAL_FORMS": str(len(indicators)),
        "indicator-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": str(len(budgets)),
        "budget-INITIAL_FORMS": "0",
    }
    for index, indicator in enumerate(indicators):
        data.update({f"indicator-{index}-{name}": value for name, value in indicator.items()})
    for index, (year, source, amount) in enumerate(budgets):
        data.update({f"budget-{index}-year": year, f"budget-{index}-source": source, f"budget-{index}-amount": amount})
    return data


def even_budgets(total: int, source: str, start: int, end: int) -> dict[tuple[int, str], int]:
    """Return a total spread evenly over the years, the Rupiah that do not divide on the first: the old display rule."""
    years = list(range(start, end + 1))
    share = total // len(years)
    budgets = {(year, source): share for year in years}
    budgets[(start, source)] += total - share * len(years)
    return {key: amount for key, amount in budgets.items() if amount}


def fill_required_parts(masterplan) -> None:
    """Fill every part a masterplan needs before it can be made final (straight into the tables, for tests)."""
    from decimal import Decimal

    from masterplan.models import GovernanceBody, GovernanceMember, PillarAnalysis, RegionProfile, Rpjmd, RpjmdMission
    from pillars.models import Pillar

    Masterplan.objects.filter(pk=masterplan.pk).update(
        foreword="Kata pengantar Bupati.",
        background="Latar belakang.",
        purpose="Maksud dan tujuan.",
        scope="Ruang lingkup.",
        methodology="Metodologi.",
        executive_summary="Ringkasan eksekutif.",
        vision=masterplan.vision or "Mojokerto cerdas",
        missions=masterplan.missions or "Layanan publik digital",
    )
    masterplan.refresh_from_db()
    RegionProfile.objects.update_or_create(
        masterplan=masterplan,
        defaults={
            "area_km2": Decimal("969.36"),
            "kecamatan_count": 18,
            "desa_count": 299,
            "kelurahan_count": 5,
            "population": 1_129_000,
            "population_year": 2023,
            "narrative": "Kabupaten Mojokerto di Jawa Timur.",
        },
    )
    rpjmd, _created = Rpjmd.objects.get_or_create(
        masterplan=masterplan, defaults={"start_year": 2021, "end_year": 2026, "vision": "Mojokerto maju"}
    )
    RpjmdMission.objects.get_or_create(rpjmd=rpjmd, number=1, defaults={"text": "Tata kelola yang baik"})
    for kind in ("dewan", "tim_pelaksana"):
        body, _created = GovernanceBody.objects.get_or_create(
            masterplan=masterplan, kind=kind, defaults={"decree_number": f"188/{kind}/2024"}
        )
        if not body.members.exists():
            GovernanceMember.objects.create(
                body=body, name="Ketua", position="Sekretaris Daerah", role_in_body="Ketua", outside_party="Pemkab"
            )
    for pillar in Pillar.objects.all():
        PillarAnalysis.objects.get_or_create(masterplan=masterplan, pillar=pillar)
    masterplan.analyses.update(
        **dict.fromkeys(("structure_score", "infrastructure_score", "superstructure_score"), 3),
        **dict.fromkeys(
            (
                "strengths",
                "weaknesses",
                "opportunities",
                "threats",
                "so_strategy",
                "wo_strategy",
                "st_strategy",
                "wt_strategy",
            ),
            "Isi",
        ),
    )
    for programme in masterplan.programmes.all():
        if not IndicatorTarget.objects.filter(indicator__programme=programme).exists():
            indicator_with_targets(programme)
        if not programme.budgets.exists():
            ProgrammeBudget.objects.create(
                programme=programme, year=programme.start_year, source="apbd_kabupaten", amount=1_000
            )


def governance_post(opd_id, **overrides) -> dict:
    """Return the POST of the governance part: both bodies, one member each from the given OPD."""
    data = {}
    for kind in ("dewan", "tim_pelaksana"):
        data |= {
            f"{kind}-decree_number": f"188/{kind}/2024",
            f"{kind}-member-TOTAL_FORMS": "1",
            f"{kind}-member-INITIAL_FORMS": "0",
            f"{kind}-member-0-name": "Ikfina",
            f"{kind}-member-0-position": "Bupati",
            f"{kind}-member-0-role_in_body": "Ketua",
            f"{kind}-member-0-opd": str(opd_id),
        }
    return data | overrides
