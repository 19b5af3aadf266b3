from django.urls import include, path

from mueve.portal import views

# The dossier keeps the address it had under the workshops ("/talleres/programa/<slug>/informe/"):
# published links and bookmarks must not break.
portal_patterns = (
    [
        path("talleres/programa/<slug:program_slug>/informe/", views.dossier_page, name="dossier"),
        path("talleres/programa/<slug:program_slug>/informe.pdf", views.dossier_pdf, name="dossier_pdf"),
        path("talleres/programa/<slug:program_slug>/informe/editar/", views.dossier_edit, name="dossier_edit"),
        path("ministerio/", views.ministry_page, name="ministry"),
        path("ministerio.csv", views.ministry_csv, name="ministry_csv"),
        path("ministerio.pdf", views.ministry_pdf, name="ministry_pdf"),
        # Under the templates' own address (mueve.programs.urls), but built here: the guide gathers the programs'
        # template, the workshops' formats and earlier programmes' lessons.
        path("programas/plantillas/<slug:slug>/guia/", views.toolkit_page, name="toolkit"),
        path("programas/plantillas/<slug:slug>/guia.pdf", views.toolkit_pdf, name="toolkit_pdf"),
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
    path("", include(portal_patterns)),
    path("regiones/nueva/", include(region_wizard_patterns)),
]
