"""URLs of the example shop: parviraptor's pages where parviraptor-web is installed."""

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = []

if settings.WEB_INSTALLED:
    urlpatterns.append(path("", include("parviraptor.urls")))
