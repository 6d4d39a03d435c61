"""URLconf of the test project.

``parviraptor.urls`` belongs to parviraptor-web: it is included only where
that distribution is installed (and its app enabled), so that a test
environment without it still starts.
"""

import importlib.util

from django.conf import settings
from django.urls import URLPattern, URLResolver, include, path


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ImportError:  # a parent package is missing
        return False


urlpatterns: list[URLPattern | URLResolver] = []

if "django.contrib.admin" in settings.INSTALLED_APPS:
    from django.contrib import admin

    urlpatterns.append(path("admin/", admin.site.urls))

if "parviraptor.web" in settings.INSTALLED_APPS and _importable("parviraptor.urls"):
    urlpatterns.append(path("", include("parviraptor.urls")))
