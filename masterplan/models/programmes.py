"""The programmes of the roadmap, with their measurable indicators and their budget per year and funding source."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opd.models import FundingSource, Opd, Submission
from opd.models.submissions import FIRST_YEAR, LAST_YEAR, MAX_BUDGET
from pillars.models import Element

from .masterplan import Masterplan, Term
from .region import RpjmdMission

MAX_INDICATOR_VALUE = 10**16  # Decimal(18, 2)
# What one programme holds at most: the edit form offers rows up to these, the services refuse more.
MAX_INDICATORS = 50
MAX_BUDGET_ROWS = 200


class ProgrammeQuerySet(models.QuerySet):
    """Filters by horizon, the same rule as `Masterplan.horizon_of`: a programme belongs where it starts."""

    def short_term(self):
        """Programmes that start by the end of their masterplan's short term."""
        return self.filter(start_year__lte=F("masterplan__short_term_end_year"))

    def medium_term(self):
        """Programmes that start after the short term and by the end of the medium term (if there is one)."""
        return self.filter(
            start_year__gt=F("masterplan__short_term_end_year"),
            start_year__lte=F("masterplan__medium_term_end_year"),
        )

    def long_term(self):
        """Programmes that start after the last of the short and medium terms."""
        return self.filter(
            start_year__gt=Coalesce("masterplan__medium_term_end_year", "masterplan__short_term_end_year")
        )


class Programme(models.Model):
    """A row of the roadmap, assembled from one or more approved submissions."""

    masterplan = models.ForeignKey(Masterplan, on_delete=models.CASCADE, related_name="programmes")
    element = models.ForeignKey(Element, on_delete=models.PROTECT, related_name="+", verbose_name=_("element"))
    # Pillar prefix and a two-digit number (GOV-03): given by the service, kept when a new draft copies it.
    code = models.CharField(_("programme code"), max_length=12, blank=True)
    rpjmd_code = models.CharField(
        _("RPJMD/SIPD programme code"),
        max_length=50,
        blank=True,
        help_text=_("Optional: the programme's code in SIPD, so Bappeda can carry it into the RKPD."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    submissions = models.ManyToManyField(
        Submission, related_name="programmes", blank=True, verbose_name=_("source submissions")
    )
    lead_opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name=_("lead OPD"))
    supporting_opds = models.ManyToManyField(Opd, related_name="+", blank=True, verbose_name=_("supporting OPDs"))
    rpjmd_missions = models.ManyToManyField(
        RpjmdMission, related_name="programmes", blank=True, verbose_name=_("RPJMD missions served")
    )
    start_year = models.PositiveSmallIntegerField(_("start year"))
    end_year = models.PositiveSmallIntegerField(_("end year"))
    is_quick_win = models.BooleanField(_("Quick Win"), default=False)
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
            models.UniqueConstraint(
                fields=["masterplan", "code"], condition=~Q(code=""), name="programme_code_unique_in_masterplan"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}" if self.code else self.title

    def clean(self):
        super().clean()
        masterplan = self.masterplan if self.masterplan_id else None
        if masterplan and self.is_quick_win and self.end_year and self.end_year > masterplan.quick_win_last_year:
            message = quick_win_message(masterplan.start_year, masterplan.quick_win_last_year)
            raise ValidationError({"is_quick_win": message})

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @property
    def horizon(self) -> str:
        return self.masterplan.horizon_of(self.start_year, self.end_year)

    def get_horizon_display(self) -> str:
        return str(Term(self.horizon).label)

    def is_short_term(self) -> bool:
        return self.horizon == Term.SHORT

    @property
    def total_budget(self) -> int:
        """Return the sum of the yearly budgets (the `budget_list` its selector prefetched)."""
        return sum(budget.amount for budget in self.budget_list)

    @property
    def funding_source_labels(self) -> list[str]:
        """Return the funding sources the programme uses, in the choices' order (from its prefetched `budget_list`)."""
        used = {budget.source for budget in self.budget_list}
        return [str(label) for value, label in FundingSource.choices if value in used]


def quick_win_message(first: int, last: int) -> str:
    """Return the refusal of a quick win that ends after the quick-win window."""
    window = str(first) if first == last else f"{first}–{last}"
    return gettext(
        "A Quick Win must be finished within the quick-win window (%(window)s); end it by %(last)d or do not "
        "mark it as a Quick Win."
    ) % {"window": window, "last": last}


class Indicator(models.Model):
    """A measurable output or outcome of a programme: baseline, unit and a numeric target per year."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OUTPUT)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), max_digits=18, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    data_source = models.CharField(_("data source"), max_length=200, blank=True)
    note = models.TextField(_("note (e.g. a target in words)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__range=(1990, LAST_YEAR)),
                name="indicator_baseline_year_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """The numeric target of an indicator in one year of its programme."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=2)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_one_per_year"),
            models.CheckConstraint(condition=Q(year__range=(FIRST_YEAR, LAST_YEAR)), name="indicator_target_year"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}"

    def clean(self):
        super().clean()
        programme = self.indicator.programme if self.indicator_id else None
        if programme and not programme.start_year <= self.year <= programme.end_year:
            raise ValidationError(
                {
                    "year": gettext("A target's year must lie in the programme's years (%(start)d–%(end)d).")
                    % {"start": programme.start_year, "end": programme.end_year}
                }
            )


class ProgrammeBudget(models.Model):
    """The budget of a programme in one year from one funding source, in whole Rupiah."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("funding source"), max_length=20, choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (Rupiah)"))

    class Meta:
        ordering = ["year", "source"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year", "source"], name="budget_one_per_year_and_source"),
            models.CheckConstraint(condition=Q(amount__lte=MAX_BUDGET), name="budget_amount_in_range"),
            models.CheckConstraint(condition=Q(year__range=(FIRST_YEAR, LAST_YEAR)), name="budget_year_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.year} {self.get_source_display()}"

    def clean(self):
        super().clean()
        programme = self.programme if self.programme_id else None
        if programme and not programme.start_year <= self.year <= programme.end_year:
            raise ValidationError(
                {
                    "year": gettext("A budget's year must lie in the programme's years (%(start)d–%(end)d).")
                    % {"start": programme.start_year, "end": programme.end_year}
                }
            )
