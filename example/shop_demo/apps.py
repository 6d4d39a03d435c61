"""The demo app: applies the demo's tuning once Django's models are ready."""

from django.apps import AppConfig


class ShopDemoConfig(AppConfig):
    name = "shop_demo"
    verbose_name = "Shop demo"

    def ready(self) -> None:
        from shop_demo.tuning import apply_tuning

        apply_tuning()
