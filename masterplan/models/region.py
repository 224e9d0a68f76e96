"""What the masterplan says about the regency: its profile, its RPJMD, and who governs the smart city."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opd.models import Opd

from .masterplan import Masterplan

# Figures of the profile may be older than the masterplan's period (the latest census, last year's BPS data).
PROFILE_FIRST_YEAR = 1990
PROFILE_LAST_YEAR = 2050
MAX_POPULATION = 100_000_000
MAX_AREA_KM2 = 1_000_000
MAX_GRDP = 10**16  # ten thousand trillion Rupiah
MAX_COUNT = 10_000
MAX_APPLICATIONS = 100_000
# The rows an RPJMD and a governance body hold at most: their forms offer rows up to these, the services refuse more.
MAX_RPJMD_MISSIONS = 30
MAX_RPJMD_INDICATORS = 50
MAX_BODY_MEMBERS = 60

# The year field of each figure, and the range each number must lie in (the form checks the same ranges).
PROFILE_YEAR_FIELDS = (
    "population_year",
    "grdp_year",
    "hdi_year",
    "poverty_rate_year",
    "internet_coverage_year",
    "application_count_year",
)
PROFILE_RANGES = {
    "area_km2": (0, MAX_AREA_KM2),
    "population": (0, MAX_POPULATION),
    "kecamatan_count": (0, MAX_COUNT),
    "desa_count": (0, MAX_COUNT),
    "kelurahan_count": (0, MAX_COUNT),
    "grdp": (0, MAX_GRDP),
    "grdp_growth": (-100, 100),
    "hdi": (0, 100),
    "poverty_rate": (0, 100),
    "internet_coverage": (0, 100),
    "application_count": (0, MAX_APPLICATIONS),
    **dict.fromkeys(PROFILE_YEAR_FIELDS, (PROFILE_FIRST_YEAR, PROFILE_LAST_YEAR)),
}


def _year(name: str):
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": (PROFILE_FIRST_YEAR, PROFILE_LAST_YEAR)})


def _between(name: str, low, high):
    return Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__range": (low, high)})


class RegionProfile(models.Model):
    """Profil Daerah: the regency in figures, each with its year and source, and a narrative."""

    YEAR_FIELDS = PROFILE_YEAR_FIELDS
    RANGES = PROFILE_RANGES

    masterplan = models.OneToOneField(Masterplan, on_delete=models.CASCADE, related_name="profile")
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)
    area_source = models.CharField(_("source of the area and administrative divisions"), max_length=200, blank=True)
    kecamatan_count = models.PositiveIntegerField(_("number of kecamatan"), null=True, blank=True)
    desa_count = models.PositiveIntegerField(_("number of desa"), null=True, blank=True)
    kelurahan_count = models.PositiveIntegerField(_("number of kelurahan"), null=True, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population: year"), null=True, blank=True)
    population_source = models.CharField(_("population: source"), max_length=200, blank=True)
    grdp = models.PositiveBigIntegerField(_("GRDP (Rupiah)"), null=True, blank=True)
    grdp_growth = models.DecimalField(_("economic growth (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    grdp_year = models.PositiveSmallIntegerField(_("GRDP: year"), null=True, blank=True)
    grdp_source = models.CharField(_("GRDP: source"), max_length=200, blank=True)
    hdi = models.DecimalField(_("human development index (IPM)"), max_digits=5, decimal_places=2, null=True, blank=True)
    hdi_year = models.PositiveSmallIntegerField(_("IPM: year"), null=True, blank=True)
    hdi_source = models.CharField(_("IPM: source"), max_length=200, blank=True)
    poverty_rate = models.DecimalField(_("poverty rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    poverty_rate_year = models.PositiveSmallIntegerField(_("poverty rate: year"), null=True, blank=True)
    poverty_rate_source = models.CharField(_("poverty rate: source"), max_length=200, blank=True)
    internet_coverage = models.DecimalField(
        _("internet coverage (% of desa/kelurahan)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    internet_coverage_year = models.PositiveSmallIntegerField(_("internet coverage: year"), null=True, blank=True)
    has_data_centre = models.BooleanField(_("the regency has its own data centre"), default=False)
    has_command_centre = models.BooleanField(_("the regency has a command centre"), default=False)
    application_count = models.PositiveIntegerField(_("number of applications in use"), null=True, blank=True)
    application_count_year = models.PositiveSmallIntegerField(_("applications: year"), null=True, blank=True)
    ict_source = models.CharField(_("ICT baseline: source"), max_length=200, blank=True)
    narrative = models.TextField(_("narrative"), blank=True)

    class Meta:
        verbose_name = _("region profile")
        constraints = [
            *[
                models.CheckConstraint(condition=_year(name), name=f"profile_{name}_in_range")
                for name in PROFILE_YEAR_FIELDS
            ],
            *[
                models.CheckConstraint(condition=_between(name, *PROFILE_RANGES[name]), name=f"profile_{name}_in_range")
                for name in (
                    "area_km2",
                    "population",
                    "kecamatan_count",
                    "desa_count",
                    "kelurahan_count",
                    "grdp",
                    "grdp_growth",
                    "hdi",
                    "poverty_rate",
                    "internet_coverage",
                    "application_count",
                )
            ],
        ]

    def __str__(self) -> str:
        return f"{self.masterplan} · {_('region profile')}"


class Rpjmd(models.Model):
    """The regency's RPJMD the masterplan aligns with: its period, vision, missions and key indicators (IKU)."""

    masterplan = models.OneToOneField(Masterplan, on_delete=models.CASCADE, related_name="rpjmd")
    start_year = models.PositiveSmallIntegerField(_("first year of the RPJMD"))
    end_year = models.PositiveSmallIntegerField(_("last year of the RPJMD"))
    regulation = models.CharField(_("Peraturan Daerah on the RPJMD"), max_length=200, blank=True)
    vision = models.TextField(_("RPJMD vision"))

    class Meta:
        verbose_name = _("RPJMD")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    start_year__gte=PROFILE_FIRST_YEAR, end_year__lte=PROFILE_LAST_YEAR, end_year__gte=F("start_year")
                ),
                name="rpjmd_period_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"RPJMD {self.start_year}–{self.end_year}"


class RpjmdMission(models.Model):
    """One mission of the RPJMD, numbered as the RPJMD numbers it."""

    rpjmd = models.ForeignKey(Rpjmd, on_delete=models.CASCADE, related_name="missions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("mission"))

    class Meta:
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rpjmd", "number"], name="rpjmd_mission_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=99), name="rpjmd_mission_number_1_to_99"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class RpjmdIndicator(models.Model):
    """A key performance indicator (IKU) of the RPJMD with its baseline and its target in one year."""

    rpjmd = models.ForeignKey(Rpjmd, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=2, null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("target year"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__range=(PROFILE_FIRST_YEAR, PROFILE_LAST_YEAR)), name="rpjmd_indicator_year_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GovernanceBody(models.Model):
    """The Dewan Smart City or the Tim Pelaksana, set up by a decree (SK Bupati)."""

    class Kind(models.TextChoices):
        DEWAN = "dewan", _("Smart City Council (Dewan Smart City)")
        TIM_PELAKSANA = "tim_pelaksana", _("Implementation Team (Tim Pelaksana)")

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="governance_bodies")
    kind = models.CharField(_("body"), max_length=20, choices=Kind.choices)
    decree_number = models.CharField(_("SK Bupati number"), max_length=100, blank=True)
    decree_date = models.DateField(_("SK Bupati date"), null=True, blank=True)

    class Meta:
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["masterplan", "kind"], name="governance_one_body_per_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class GovernanceMember(models.Model):
    """A member of a governance body: from an OPD of the regency, or from outside (a university, a company)."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200)
    role_in_body = models.CharField(_("role in the body"), max_length=200)
    opd = models.ForeignKey(
        Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("OPD")
    )
    outside_party = models.CharField(_("outside party"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opd__isnull=True) | Q(outside_party=""), name="governance_member_opd_or_outside"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role_in_body})"
