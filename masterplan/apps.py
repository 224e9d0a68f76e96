from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterplanConfig(AppConfig):
    name = "masterplan"
    verbose_name = _("Masterplan")

    def ready(self) -> None:
        from opd.quick_wins import register_quick_win_window

        from .selectors import current_quick_win_window

        # A submission proposed as a quick win must end within the current draft's window; opd, a layer below,
        # cannot ask the masterplan itself.
        register_quick_win_window(current_quick_win_window)
