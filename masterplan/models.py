"""The masterplan: vision and targets, the strategic analysis per pillar, the programmes of the
roadmaps (short term and long term, derived from the years), and its PDF exports."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import BackgroundJob
from opd.models import FundingSource, Opd, Submission
from opd.models.submissions import FIRST_YEAR, LAST_YEAR, MAX_BUDGET
from pillars.models import Element, Pillar


class Masterplan(models.Model):
    """One edition of the Masterplan Smart City; final freezes it, a new draft may start from it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    # What a person writes; a new draft started from a final masterplan copies these.
    CONTENT_FIELDS = (
        "title",
        "start_year",
        "end_year",
        "short_term_end_year",
        "vision",
        "missions",
        "targets",
        "regulation_basis",
    )

    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year of the period"))
    end_year = models.PositiveSmallIntegerField(_("last year of the period"))
    short_term_end_year = models.PositiveSmallIntegerField(
        _("last year of the short term"), help_text=_("Usually the last year of the RPJMD.")
    )
    vision = models.TextField(_("vision"), blank=True)
    missions = models.TextField(_("missions"), blank=True, help_text=_("One mission per line."))
    targets = models.TextField(_("targets (sasaran)"), blank=True, help_text=_("One target per line."))
    regulation_basis = models.TextField(_("regulation basis"), blank=True, help_text=_("One regulation per line."))
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
    """Strategic analysis of one pillar (Buku 1): readiness, gaps, scores and SWOT."""

    SCORE_CHOICES = [(score, str(score)) for score in range(1, 6)]

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


class ProgrammeQuerySet(models.QuerySet):
    def short_term(self):
        """Programmes that start by the end of their masterplan's short term."""
        return self.filter(start_year__lte=F("masterplan__short_term_end_year"))

    def long_term(self):
        return self.filter(start_year__gt=F("masterplan__short_term_end_year"))


class Programme(models.Model):
    """A row of the roadmap, assembled from one or more approved submissions."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="programmes")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+", verbose_name=_("element"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    submissions = models.ManyToManyField(
        Submission, related_name="programmes", blank=True, verbose_name=_("source submissions")
    )
    lead_opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead OPD"))
    supporting_opds = models.ManyToManyField(Opd, related_name="+", blank=True, verbose_name=_("supporting OPDs"))
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    output_indicator = models.TextField(_("output indicator"), blank=True)
    outcome_indicator = models.TextField(_("outcome indicator"), blank=True)
    budget = models.PositiveBigIntegerField(_("estimated budget (Rupiah)"), default=0)
    funding_source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    is_quick_win = models.BooleanField(_("quick win"), default=False)
    order = models.PositiveIntegerField(_("order within its pillar"), default=0)
    # Raised by every edit: a form opened on an older version is refused instead of overwriting a colleague's work.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["element__pillar__order", "order", "start_year", "pk"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="programme_end_not_before_start"),
            models.CheckConstraint(condition=Q(budget__lte=MAX_BUDGET), name="programme_budget_in_range"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_short_term(self) -> bool:
        return self.start_year <= self.masterplan.short_term_end_year


class ProgrammeTarget(models.Model):
    """The output and outcome targets of a programme for one year."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    output_target = models.CharField(_("output target"), max_length=200, blank=True)
    outcome_target = models.CharField(_("outcome target"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["programme", "year"], name="target_one_per_year")]

    def __str__(self) -> str:
        return f"{self.programme} {self.year}"


class MasterplanExport(BackgroundJob):
    """One rendering of the masterplan as PDF; once done it never changes."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="exports")
    version = models.PositiveIntegerField(_("version"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    page_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        ordering = ["-version"]
        constraints = [
            *BackgroundJob.Meta.constraints,
            models.UniqueConstraint(fields=["masterplan", "version"], name="export_unique_version"),
            # Two clicks on Generate while one render runs must not render twice.
            models.UniqueConstraint(
                fields=["masterplan"], condition=Q(status__in=BackgroundJob.UNFINISHED), name="export_one_running"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.masterplan} v{self.version}"
