from django.urls import include, path

from mueve.portal import views

# The dossier keeps the address it had under the workshops ("/talleres/programa/<slug>/informe/"):
# published links and bookmarks must not break.
dossier_patterns = (
    [
        path("<slug:program_slug>/informe/", views.dossier_page, name="dossier"),
        path("<slug:program_slug>/informe.pdf", views.dossier_pdf, name="dossier_pdf"),
        path("<slug:program_slug>/informe/editar/", views.dossier_edit, name="dossier_edit"),
    ],
    "portal",
)
urlpatterns = [
    path("", views.home, name="home"),
    path("mapa/base.geojson", views.base_map, name="base_map"),
    path("talleres/programa/", include(dossier_patterns)),
]
