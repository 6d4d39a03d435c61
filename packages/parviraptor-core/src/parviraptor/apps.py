"""Django app configuration of ``parviraptor`` (the core app)."""

from django.apps import AppConfig


class ParviraptorConfig(AppConfig):
    """Registers the system checks that validate every job model."""

    name = "parviraptor"
    verbose_name = "parviraptor job queues"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from parviraptor import checks  # noqa: F401  (registers the checks)
