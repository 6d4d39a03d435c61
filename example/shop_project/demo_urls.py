"""URLs of the demo: the admin, parviraptor's pages and ``/`` -> the dashboard."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

urlpatterns: list[URLPattern | URLResolver] = [path("admin/", admin.site.urls)]

if settings.WEB_INSTALLED:
    urlpatterns += [
        path("", RedirectView.as_view(pattern_name="parviraptor-queue-dashboard")),
        path("", include("parviraptor.urls")),
    ]
