"""The original's URLs, included as its README says."""

from django.urls import include, path

urlpatterns = [path("", include("parviraptor.urls"))]
