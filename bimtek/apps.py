from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BimtekConfig(AppConfig):
    name = "bimtek"
    verbose_name = _("Bimtek")

    def ready(self) -> None:
        from masterplan.sections import register_section

        from .masterplan_section import drafting_process_section

        # The masterplan's PDF tells how it was drafted; the masterplan, a layer below, cannot ask the Bimtek itself.
        register_section(drafting_process_section)
