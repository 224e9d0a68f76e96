"""The masterplan itself: its period and horizons, front matter, adoption, emblem, and the analysis per pillar."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from opd.models.submissions import FIRST_YEAR, LAST_YEAR
from pillars.models import Pillar

from ..validators import validate_emblem

MAX_QUICK_WIN_YEARS = 2


class Term(models.TextChoices):
    """The horizon of a programme: derived from its start year and the masterplan's end years, never stored."""

    SHORT = "short", _("Short term")
    MEDIUM = "medium", _("Medium term")
    LONG = "long", _("Long term")


def emblem_path(masterplan: "Masterplan", filename: str) -> str:
    # The name is the portal's, never the uploader's: only the checked extension is kept.
    suffix = ".svg" if filename.lower().endswith(".svg") else ".png"
    return f"masterplan/emblems/{masterplan.pk or 'new'}/emblem{suffix}"


class Masterplan(models.Model):
    """One edition of the Masterplan Smart City; final freezes it, a new draft may start from it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    # What a person writes on the masterplan's own row; a new draft started from a final masterplan copies these.
    CONTENT_FIELDS = (
        "title",
        "start_year",
        "end_year",
        "short_term_end_year",
        "medium_term_end_year",
        "quick_win_years",
        "vision",
        "missions",
        "targets",
        "regulation_basis",
    )
    FRONT_MATTER_FIELDS = ("foreword", "background", "purpose", "scope", "methodology")
    ADOPTION_FIELDS = ("regulation_number", "regulation_date", "document_number")
    COPIED_FIELDS = (*CONTENT_FIELDS, *FRONT_MATTER_FIELDS, "executive_summary", *ADOPTION_FIELDS, "emblem")

    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year of the period"))
    end_year = models.PositiveSmallIntegerField(_("last year of the period"))
    short_term_end_year = models.PositiveSmallIntegerField(
        _("last year of the short term"), help_text=_("Usually the last year of the RPJMD.")
    )
    medium_term_end_year = models.PositiveSmallIntegerField(
        _("last year of the medium term"),
        null=True,
        blank=True,
        help_text=_("Leave empty for a masterplan with two horizons (short and long term)."),
    )
    quick_win_years = models.PositiveSmallIntegerField(
        _("quick win window (years)"),
        default=1,
        choices=[(1, _("The first year")), (2, _("The first two years"))],
        help_text=_("A quick win must be finished within this window from the first year of the period."),
    )
    vision = models.TextField(_("vision"), blank=True)
    missions = models.TextField(_("missions"), blank=True, help_text=_("One mission per line."))
    targets = models.TextField(_("targets (sasaran)"), blank=True, help_text=_("One target per line."))
    regulation_basis = models.TextField(_("regulation basis"), blank=True, help_text=_("One regulation per line."))
    # Front matter (Kata Pengantar, Pendahuluan) and the executive summary.
    foreword = models.TextField(_("foreword by the Bupati"), blank=True)
    background = models.TextField(_("background"), blank=True)
    purpose = models.TextField(_("purpose and objectives"), blank=True)
    scope = models.TextField(_("scope"), blank=True)
    methodology = models.TextField(_("methodology"), blank=True)
    executive_summary = models.TextField(_("executive summary"), blank=True)
    # Adoption: the Peraturan Bupati that enacts the masterplan.
    regulation_number = models.CharField(_("Peraturan Bupati number"), max_length=100, blank=True)
    regulation_date = models.DateField(_("Peraturan Bupati date"), null=True, blank=True)
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    emblem = models.FileField(
        _("regional emblem"),
        upload_to=emblem_path,
        max_length=200,
        blank=True,
        validators=[validate_emblem],
        help_text=_("PNG or SVG, at most 1 MB."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finalized_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("masterplan")
        verbose_name_plural = _("masterplans")
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__gte=FIRST_YEAR, end_year__lte=LAST_YEAR, end_year__gt=F("start_year")),
                name="masterplan_period_in_range",
            ),
            models.CheckConstraint(
                condition=Q(short_term_end_year__gte=F("start_year"), short_term_end_year__lt=F("end_year")),
                name="masterplan_short_term_inside_period",
            ),
            models.CheckConstraint(
                condition=Q(medium_term_end_year__isnull=True)
                | Q(medium_term_end_year__gt=F("short_term_end_year"), medium_term_end_year__lt=F("end_year")),
                name="masterplan_medium_term_between_short_and_end",
            ),
            models.CheckConstraint(
                condition=Q(quick_win_years__gte=1, quick_win_years__lte=MAX_QUICK_WIN_YEARS),
                name="masterplan_quick_win_years_1_or_2",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_year}–{self.end_year})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("masterplan:detail", args=[self.pk])

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def quick_win_last_year(self) -> int:
        """Return the last year a quick win may end in: the window runs from the first year of the period."""
        return self.start_year + self.quick_win_years - 1

    def horizon_of(self, start_year: int, end_year: int | None = None) -> str:
        """Return the horizon (a `Term` value) of a programme with these years: decided by its start year.

        Short term when it starts by the end of the short term; medium term when it starts by the end of
        the medium term (if the masterplan has one); long term otherwise. The end year does not move a
        programme to a later horizon: a programme belongs where it begins, as the roadmaps always read.
        """
        if start_year <= self.short_term_end_year:
            return Term.SHORT
        if self.medium_term_end_year is not None and start_year <= self.medium_term_end_year:
            return Term.MEDIUM
        return Term.LONG

    def horizon_years(self) -> list[tuple[str, str, int, int]]:
        """Return (term value, label, first year, last year) for each horizon the masterplan uses, in order."""
        bands = [(Term.SHORT, self.start_year, self.short_term_end_year)]
        last = self.short_term_end_year
        if self.medium_term_end_year is not None:
            bands.append((Term.MEDIUM, last + 1, self.medium_term_end_year))
            last = self.medium_term_end_year
        bands.append((Term.LONG, last + 1, self.end_year))
        return [(term.value, term.label, first, end) for term, first, end in bands]

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def mission_list(self) -> list[str]:
        return self._lines(self.missions)

    @property
    def target_list(self) -> list[str]:
        return self._lines(self.targets)

    @property
    def regulation_list(self) -> list[str]:
        return self._lines(self.regulation_basis)


class PillarAnalysis(models.Model):
    """Strategic analysis of one pillar (Buku I): readiness, gaps, scores, SWOT and its strategy matrix."""

    SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]
    SWOT_STRATEGY_FIELDS = ("so_strategy", "wo_strategy", "st_strategy", "wt_strategy")

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="analyses")
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="+", verbose_name=_("pillar"))
    structure_condition = models.TextField(_("structure: current condition"), blank=True)
    structure_gap = models.TextField(_("structure: gap"), blank=True)
    structure_score = models.PositiveSmallIntegerField(
        _("structure: score"), choices=SCORE_CHOICES, null=True, blank=True
    )
    infrastructure_condition = models.TextField(_("infrastructure: current condition"), blank=True)
    infrastructure_gap = models.TextField(_("infrastructure: gap"), blank=True)
    infrastructure_score = models.PositiveSmallIntegerField(
        _("infrastructure: score"), choices=SCORE_CHOICES, null=True, blank=True
    )
    superstructure_condition = models.TextField(_("superstructure: current condition"), blank=True)
    superstructure_gap = models.TextField(_("superstructure: gap"), blank=True)
    superstructure_score = models.PositiveSmallIntegerField(
        _("superstructure: score"), choices=SCORE_CHOICES, null=True, blank=True
    )
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    opportunities = models.TextField(_("opportunities"), blank=True)
    threats = models.TextField(_("threats"), blank=True)
    strategy = models.TextField(_("strategy"), blank=True)
    so_strategy = models.TextField(_("S-O strategy (strengths to seize opportunities)"), blank=True)
    wo_strategy = models.TextField(_("W-O strategy (opportunities to overcome weaknesses)"), blank=True)
    st_strategy = models.TextField(_("S-T strategy (strengths against threats)"), blank=True)
    wt_strategy = models.TextField(_("W-T strategy (reduce weaknesses, avoid threats)"), blank=True)

    class Meta:
        ordering = ["pillar__order"]
        constraints = [
            models.UniqueConstraint(fields=["masterplan", "pillar"], name="analysis_one_per_pillar"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{part}_score__isnull": True}) | Q(**{f"{part}_score__range": (1, 5)}),
                    name=f"analysis_{part}_score_1_to_5",
                )
                for part in ("structure", "infrastructure", "superstructure")
            ],
        ]

    def __str__(self) -> str:
        return f"{self.masterplan} · {self.pillar}"
