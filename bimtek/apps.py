from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BimtekConfig(AppConfig):
    name = "bimtek"
    verbose_name = _("Bimtek")
