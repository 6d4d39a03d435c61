"""Django app configuration of ``parviraptor.web``."""

from django.apps import AppConfig


class ParviraptorWebConfig(AppConfig):
    """Registers the system check of the ``PARVIRAPTOR_WEB_ACCESS`` setting."""

    name = "parviraptor.web"
    label = "parviraptor_web"
    verbose_name = "parviraptor web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from parviraptor.web import checks  # noqa: F401  (registers the check)
