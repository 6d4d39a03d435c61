"""Django app configuration of ``parviraptor.worker``."""

from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Owns the management commands and the worker's bookkeeping tables."""

    name = "parviraptor.worker"
    label = "parviraptor_worker"
    verbose_name = "parviraptor workers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from parviraptor.worker import checks  # noqa: F401  (registers the check)
