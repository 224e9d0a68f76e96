from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualName(models.Model):
    """Name and description in Indonesian and English, shown in the active language."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "id").startswith("en") else self.name_id

    @property
    def description(self) -> str:
        english = (get_language() or "id").startswith("en")
        return (self.description_en if english else self.description_id) or self.description_id


class Pillar(BilingualName):
    """One of the six smart city pillars (dimensions), e.g. Smart Governance."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), unique=True)

    class Meta:
        ordering = ["order"]
        verbose_name = _("pillar")
        verbose_name_plural = _("pillars")


class Element(BilingualName):
    """One of the three elements of a pillar, e.g. Public Service in Smart Governance."""

    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="elements", verbose_name=_("pillar"))
    code = models.CharField(_("code"), max_length=12, unique=True)
    order = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        ordering = ["pillar__order", "order"]
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        constraints = [
            models.UniqueConstraint(fields=["pillar", "order"], name="element_unique_order_in_pillar"),
        ]
