from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo accounts, submissions and a masterplan for `make run` (`manage.py seed_demo`); never used in production."""

    name = "demo"
    verbose_name = "Demo data"
