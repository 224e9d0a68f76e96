"""The roles of portal accounts: defined here, below every app, so any layer can ask about them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OPD_STAFF = "opd_staff", _("OPD staff")
    KOMINFO_ADMIN = "kominfo_admin", _("Kominfo admin")
    EXECUTIVE = "executive", _("Bupati's office (read-only)")
