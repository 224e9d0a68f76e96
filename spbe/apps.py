from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpbeConfig(AppConfig):
    name = "spbe"
    verbose_name = _("SPBE and Satu Data")

    def ready(self) -> None:
        from masterplan.copies import register_draft_copied
        from masterplan.pages import register_page_link
        from masterplan.sections import register_section
        from opd.panels import register_decision_note, register_submission_panel

        from .masterplan_section import integration_page_link, integration_section
        from .services.copies import programme_links_copy
        from .submission_panel import overlap_decision_note, submission_panel

        # The masterplan and the submissions sit a layer below: they show what this app adds without importing it.
        register_section(integration_section)
        register_page_link(integration_page_link)
        register_draft_copied(programme_links_copy)
        register_submission_panel(submission_panel)
        register_decision_note(overlap_decision_note)
