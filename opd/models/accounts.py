from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import access
from core.roles import Role


class Opd(models.Model):
    """A regional government unit (Organisasi Perangkat Daerah)."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Secretariat")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        BADAN = "badan", _("Agency (Badan)")
        DINAS = "dinas", _("Department (Dinas)")
        SATPOL = "satpol", _("Civil service police (Satpol PP)")
        RSUD = "rsud", _("Regional hospital (RSUD)")
        KECAMATAN = "kecamatan", _("District (Kecamatan)")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("OPD")
        verbose_name_plural = _("OPDs")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A portal account; its role decides what it may see and do."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    opd = models.ForeignKey(
        Opd,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("OPD"),
        help_text=_("Required for OPD staff, and only for them."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role=Role.OPD_STAFF) & Q(opd__isnull=False))
                | (~Q(role=Role.OPD_STAFF) & Q(opd__isnull=True)),
                name="user_opd_only_for_opd_staff",
            ),
            models.CheckConstraint(
                condition=~Q(role="") | Q(is_superuser=True),
                name="user_role_required_unless_superuser",
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == Role.OPD_STAFF and self.opd_id is None:
            raise ValidationError({"opd": _("OPD staff must belong to an OPD.")})
        if self.role != Role.OPD_STAFF and self.opd_id is not None:
            raise ValidationError({"opd": _("Only OPD staff belong to an OPD.")})
        if not self.role and not self.is_superuser:
            raise ValidationError({"role": _("Choose a role.")})

    # The role predicates of core.access, as properties for templates.
    @property
    def is_opd_staff(self) -> bool:
        return access.is_opd_staff(self)

    @property
    def is_kominfo_admin(self) -> bool:
        return access.is_kominfo_admin(self)

    @property
    def is_executive(self) -> bool:
        return access.is_executive(self)

    @property
    def role_label(self) -> str:
        if self.role:
            return self.get_role_display()
        return str(_("Superuser"))
