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
# The national unit opens a region in one sitting: a step per page, the last one creates everything.
region_wizard_patterns = (
    [
        path("", views.region_territory, name="territory"),
        path("programa/", views.region_program, name="program"),
        path("reportes/", views.region_catalogue, name="catalogue"),
        path("equipo/", views.region_team, name="team"),
        path("revision/", views.region_review, name="review"),
        path("descartar/", views.region_discard, name="discard"),
    ],
    "region_wizard",
)
urlpatterns = [
    path("", views.home, name="home"),
    path("mapa/base.geojson", views.base_map, name="base_map"),
    path("talleres/programa/", include(dossier_patterns)),
    path("regiones/nueva/", include(region_wizard_patterns)),
]
