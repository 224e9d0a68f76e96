from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = _("Published masterplans")

    def ready(self) -> None:
        from masterplan.pages import register_page_link

        from .views import publication_page_link

        register_page_link(publication_page_link)
