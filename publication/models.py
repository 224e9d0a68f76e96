"""The publication of a final masterplan as open data: what the public pages show, and since when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masterplan.models import Masterplan, MasterplanExport


class Publication(models.Model):
    """A final masterplan Kominfo has published; unpublishing deletes the row, so nothing public remains."""

    masterplan = models.OneToOneField(Masterplan, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # The final PDF offered for download, when one was rendered after the masterplan became final.
    pdf = models.ForeignKey(MasterplanExport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    def __str__(self) -> str:
        return self.slug
