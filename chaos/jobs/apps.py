"""The ``chaos_jobs`` app."""

from django.apps import AppConfig


class ChaosJobsConfig(AppConfig):
    name = "chaos.jobs"
    label = "chaos_jobs"
    default_auto_field = "django.db.models.BigAutoField"
