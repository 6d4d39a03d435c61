from django.apps import AppConfig


class UpgradeConfig(AppConfig):
    name = "testproject.upgrade"
    label = "upgrade"
    default_auto_field = "django.db.models.BigAutoField"
