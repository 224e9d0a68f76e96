from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The three dashboards: the top floor, reading from every domain app."""

    name = "dashboard"
    verbose_name = "Dashboard"
