"""The SPBE application inventory and the Satu Data catalogue, and their links to submissions and programmes.

Applications belong to one OPD; datasets to their producing OPD (produsen data), kept by the custodian
(walidata, Diskominfo). Submissions and programmes link to them instead of naming systems in free text.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masterplan.models import Programme
from opd.models import Opd, Submission

DEFAULT_CUSTODIAN = "Dinas Komunikasi dan Informatika"


class ArchitectureDomain(models.TextChoices):
    """The SPBE architecture domains (Perpres 95/2018, Perpres 132/2022)."""

    BUSINESS_PROCESS = "business_process", _("Business process")
    DATA = "data", _("Data and information")
    SERVICES = "services", _("Services")
    APPLICATIONS = "applications", _("Applications")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure")
    SECURITY = "security", _("Security")


class Application(models.Model):
    """One application of an OPD's inventory (katalog aplikasi SPBE)."""

    class Kind(models.TextChoices):
        PUBLIC_SERVICE = "public_service", _("Public service")
        ADMINISTRATION = "administration", _("Administration")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_DEVELOPMENT = "in_development", _("In development")
        IN_OPERATION = "in_operation", _("In operation")
        RETIRED = "retired", _("Retired")

    class Hosting(models.TextChoices):
        PDN = "pdn", _("National data centre (PDN)")
        REGIONAL = "regional_dc", _("Regional data centre")
        CLOUD = "cloud", _("Cloud")
        LOCAL = "local", _("Local server at the OPD")

    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner OPD"))
    name = models.CharField(_("name"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_OPERATION)
    users = models.CharField(
        _("users"), max_length=300, blank=True, help_text=_("Who uses it, e.g. the public, staff.")
    )
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting.choices, blank=True)
    url = models.URLField(_("address (URL)"), blank=True)
    integrations = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="integrated_by", verbose_name=_("integrates with")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opd__name", "name", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["opd", "name"], name="application_name_unique_per_opd")]

    def __str__(self) -> str:
        return self.name


class ApplicationDomain(models.Model):
    """One SPBE architecture domain an application belongs to."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("SPBE domain"), max_length=20, choices=ArchitectureDomain.choices)

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(fields=["application", "domain"], name="application_domain_once")]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_domain_display()}"


class Dataset(models.Model):
    """One dataset of the Satu Data catalogue (daftar data) with its metadata."""

    class Frequency(models.TextChoices):
        YEARLY = "yearly", _("Yearly")
        SEMESTER = "semester", _("Every six months")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")
        DAILY = "daily", _("Daily")
        REALTIME = "realtime", _("Real time")
        AD_HOC = "ad_hoc", _("When needed")

    class Level(models.TextChoices):
        REGENCY = "regency", _("Regency")
        DISTRICT = "district", _("District (kecamatan)")
        VILLAGE = "village", _("Village (desa/kelurahan)")
        UNIT = "unit", _("Facility or individual")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"
        API = "api", "API"
        PDF = "pdf", "PDF"
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        PLANNED = "planned", _("Planned")

    producer = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name=_("producer OPD"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    custodian = models.CharField(_("custodian (walidata)"), max_length=200, default=DEFAULT_CUSTODIAN)
    frequency = models.CharField(_("update frequency"), max_length=20, choices=Frequency.choices)
    unit = models.CharField(_("unit"), max_length=60, blank=True)
    level = models.CharField(_("level of presentation"), max_length=20, choices=Level.choices)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    reference_codes = models.CharField(
        _("reference codes used"), max_length=300, blank=True, help_text=_("E.g. Kemendagri region codes.")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.AVAILABLE)
    applications = models.ManyToManyField(
        Application, blank=True, related_name="datasets", verbose_name=_("producing applications")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["producer__name", "title", "pk"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        constraints = [models.UniqueConstraint(fields=["producer", "title"], name="dataset_title_unique_per_opd")]

    def __str__(self) -> str:
        return self.title


class DatasetRole(models.TextChoices):
    NEEDS = "needs", _("Needs")
    PRODUCES = "produces", _("Produces")


class SubmissionApplication(models.Model):
    """An application a submission relates to; `is_new` when the submission asks for it to be built."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submission_links")
    is_new = models.BooleanField(_("new application"), default=False)
    # The similar applications shown to the OPD before it sent the need: [{"id", "name", "opd", "status"}].
    similar = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "application"], name="submission_application_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.application}"


class SubmissionDataset(models.Model):
    """A dataset a submission needs or would produce."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="submission_links")
    role = models.CharField(_("role"), max_length=10, choices=DatasetRole.choices)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "dataset", "role"], name="submission_dataset_once")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.role} {self.dataset}"


class SubmissionNotes(models.Model):
    """Free notes on a submission's systems (what the old "related system" field held)."""

    submission = models.OneToOneField(Submission, on_delete=models.CASCADE, related_name="+", primary_key=True)
    notes = models.TextField(_("notes on related applications and systems"), blank=True)

    def __str__(self) -> str:
        return self.notes[:60]


class ProgrammeApplication(models.Model):
    """An application a programme builds, develops or relies on."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="programme_links")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "application"], name="programme_application_once")]

    def __str__(self) -> str:
        return f"{self.programme_id} → {self.application}"


class ProgrammeDataset(models.Model):
    """A dataset a programme needs or produces."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="programme_links")
    role = models.CharField(_("role"), max_length=10, choices=DatasetRole.choices)

    class Meta:
        ordering = ["role", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "dataset", "role"], name="programme_dataset_once")]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.role} {self.dataset}"


class ProgrammeDomain(models.Model):
    """An SPBE domain Kominfo says a programme strengthens (besides those of its applications)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    domain = models.CharField(_("SPBE domain"), max_length=20, choices=ArchitectureDomain.choices)

    class Meta:
        ordering = ["domain"]
        constraints = [models.UniqueConstraint(fields=["programme", "domain"], name="programme_domain_once")]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.domain}"
