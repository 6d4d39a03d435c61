"""The project's URLs: parviraptor's views included as the original documents."""

from django.urls import include, path

urlpatterns = [
    path("", include("parviraptor.urls")),
]
