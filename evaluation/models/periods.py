"""Reporting periods: Kominfo opens one per year of a final masterplan, with a deadline; reopenings for one
OPD; the reminders sent before and after the deadline."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masterplan.models import Masterplan
from opd.models import Opd


class ReportingPeriod(models.Model):
    """The yearly report round of a final masterplan: every programme active that year is due by the deadline."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    masterplan = models.ForeignKey(
        Masterplan, on_delete=models.PROTECT, related_name="reporting_periods", verbose_name=_("masterplan")
    )
    year = models.PositiveSmallIntegerField(_("year reported on"))
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["masterplan", "year"], name="reporting_period_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.masterplan.title} · {self.year}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class PeriodReopening(models.Model):
    """A closed (or past) period opened again for one OPD until a new deadline: who, when and why."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reopenings")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name=_("OPD"))
    deadline = models.DateField(_("new deadline"))
    reason = models.TextField(_("reason"))
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reopened_at = models.DateTimeField(_("reopened"), auto_now_add=True)

    class Meta:
        ordering = ["-reopened_at", "-pk"]
        verbose_name = _("reopening for one OPD")
        verbose_name_plural = _("reopenings for one OPD")

    def __str__(self) -> str:
        return f"{self.period} · {self.opd_id} → {self.deadline}"


class ReportReminder(models.Model):
    """An e-mail sent to an OPD with due reports; recorded so that no step is ever sent twice."""

    # The step sent once the deadline has passed with reports still due.
    AFTER_DEADLINE = 0

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    opd = models.ForeignKey(Opd, on_delete=models.CASCADE, related_name="+")
    # One of EVALUATION_REMINDER_DAYS (days before the deadline), or AFTER_DEADLINE.
    days_before = models.PositiveSmallIntegerField(_("days before the deadline"))
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["period", "opd", "days_before"], name="report_reminder_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.period} · {self.opd_id} · H-{self.days_before}"
