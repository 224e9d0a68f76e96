"""What the document says about the regency: its profile in figures, its RPJMD and the alignment matrix, and
the governance bodies. Each read once per document (a fixed number of queries), tolerant of a part left empty."""

from dataclasses import dataclass

from core.templatetags.portal import rupiah

from ..models import GovernanceBody, RegionProfile, Rpjmd
from .facts import number


@dataclass(frozen=True)
class Figure:
    """A line of the profile's table: what, how much (with its unit), which year, from which source."""

    label: str
    value: str
    year: object
    source: str


@dataclass(frozen=True)
class AlignmentRow:
    """A mission of the RPJMD and, per pillar, the codes of the programmes serving it."""

    label: str
    cells: list[list[str]]


GOVERNANCE_LABELS = {"dewan": "Dewan Smart City", "tim_pelaksana": "Tim Pelaksana Smart City"}


def profile_of(masterplan):
    """Return the masterplan's region profile, or None when it has none yet."""
    return RegionProfile.objects.filter(masterplan=masterplan).first()


def profile_figures(profile) -> list[Figure]:
    """Return the profile's figures as the table prints them, the empty ones left out."""
    if profile is None:
        return []
    area_source = profile.area_source
    rows = [
        ("Luas wilayah", profile.area_km2, "km²", None, area_source),
        ("Jumlah kecamatan", profile.kecamatan_count, "kecamatan", None, area_source),
        ("Jumlah desa", profile.desa_count, "desa", None, area_source),
        ("Jumlah kelurahan", profile.kelurahan_count, "kelurahan", None, area_source),
        ("Jumlah penduduk", profile.population, "jiwa", profile.population_year, profile.population_source),
        ("Produk Domestik Regional Bruto (PDRB)", profile.grdp, "rupiah", profile.grdp_year, profile.grdp_source),
        ("Pertumbuhan ekonomi", profile.grdp_growth, "%", profile.grdp_year, profile.grdp_source),
        ("Indeks Pembangunan Manusia (IPM)", profile.hdi, "", profile.hdi_year, profile.hdi_source),
        ("Persentase penduduk miskin", profile.poverty_rate, "%", profile.poverty_rate_year,
         profile.poverty_rate_source),
        ("Desa/kelurahan terjangkau internet", profile.internet_coverage, "%", profile.internet_coverage_year,
         profile.ict_source),
        ("Aplikasi yang digunakan", profile.application_count, "aplikasi", profile.application_count_year,
         profile.ict_source),
    ]  # fmt: skip
    figures = []
    for label, value, unit, year, source in rows:
        if value is None:
            continue
        if unit == "rupiah":
            shown = rupiah(value)
        elif unit == "%":
            shown = f"{number(value)}%"
        else:
            shown = f"{number(value)} {unit}".strip()
        figures.append(Figure(label, shown, year, source))
    figures.append(Figure("Pusat data milik daerah", "Ada" if profile.has_data_centre else "Belum ada", None,
                          profile.ict_source))  # fmt: skip
    figures.append(Figure("Command center", "Ada" if profile.has_command_centre else "Belum ada", None,
                          profile.ict_source))  # fmt: skip
    return figures


def rpjmd_of(masterplan):
    """Return the masterplan's RPJMD with its missions and indicators loaded, or None when it has none yet."""
    rpjmd = Rpjmd.objects.filter(masterplan=masterplan).first()
    if rpjmd is None:
        return None
    rpjmd.mission_rows = list(rpjmd.missions.all())
    rpjmd.indicator_rows = list(rpjmd.indicators.all())
    rpjmd.period_label = f"{rpjmd.start_year}–{rpjmd.end_year}"
    for indicator in rpjmd.indicator_rows:
        unit = indicator.unit
        indicator.baseline_label = (
            f"{number(indicator.baseline)} {unit}".strip() if indicator.baseline is not None else "–"
        )
        indicator.target_label = f"{number(indicator.target)} {unit} ({indicator.year})".replace("  ", " ")
    return rpjmd


def alignment_rows(rpjmd, roadmap) -> list[AlignmentRow]:
    """Return the alignment matrix: a row per RPJMD mission, a cell per pillar with the codes of its programmes."""
    if rpjmd is None:
        return []
    missions = {mission.pk: index for index, mission in enumerate(rpjmd.mission_rows)}
    cells = [[[] for _pillar in roadmap.pillars] for _mission in rpjmd.mission_rows]
    unaligned = [[] for _pillar in roadmap.pillars]
    for column, pillar in enumerate(roadmap.pillars):
        for programme in pillar.programmes:
            served = [missions[m.pk] for m in programme.mission_list if m.pk in missions]
            for row in served:
                cells[row][column].append(programme.number)
            if not served:
                unaligned[column].append(programme.number)
    rows = [
        AlignmentRow(f"Misi {mission.number}: {mission.text}", cells[index])
        for index, mission in enumerate(rpjmd.mission_rows)
    ]
    if any(unaligned):
        rows.append(AlignmentRow("Belum dikaitkan dengan misi RPJMD", unaligned))
    return rows


def governance_bodies(masterplan) -> list:
    """Return the Dewan Smart City and the Tim Pelaksana with their members, each with its Indonesian label."""
    loaded = list(
        GovernanceBody.objects.filter(masterplan=masterplan).prefetch_related("members__opd").order_by("kind")
    )
    for body in loaded:
        body.label = GOVERNANCE_LABELS.get(body.kind, body.get_kind_display())
        body.member_rows = list(body.members.all())
        for member in body.member_rows:
            member.role_label = member.role_in_body
            member.affiliation = member.opd.name if member.opd_id else (member.outside_party or "–")
    return loaded
