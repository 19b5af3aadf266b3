"""Mounted at the site's root (mueve/config/urls.py): CKAN clients expect these paths there."""

from django.urls import path, re_path

from mueve.datasets.ckan import views

app_name = "ckan"
urlpatterns = [
    re_path(r"^api/(?:(?P<ver>[123])/)?action/(?P<name>[A-Za-z_]+)/?$", views.action, name="action"),
    re_path(r"^api/(?P<ver>[123])/?$", views.api_version, name="version"),
    path(
        "dataset/<uuid:package>/resource/<uuid:resource>/download/<str:filename>",
        views.download,
        name="download",
    ),
]
