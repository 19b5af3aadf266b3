from django.urls import include, path

from mueve.programs import views

# Fixed words come before "<slug>/" so they are never taken for a program (program_create refuses them).
program_patterns = (
    [
        path("", views.program_list, name="list"),
        path("nuevo/", views.program_create, name="create"),
        path("plantillas/", views.template_list, name="template_list"),
        path("plantillas/importar/", views.template_import, name="template_import"),
        path("plantillas/<slug:slug>.json", views.template_export, name="template_export"),
        path("<slug:slug>/", views.program_detail, name="detail"),
        path("<slug:slug>/actividad/", views.program_activity, name="activity"),
        path("<slug:slug>/govlab/", views.govlab, name="govlab"),
        path("<slug:slug>/fases/<int:phase_id>/editar/", views.phase_edit, name="phase_edit"),
        path("<slug:slug>/componentes/<int:component_id>/editar/", views.component_edit, name="component_edit"),
        path("<slug:slug>/componentes/<int:component_id>/resultados/nuevo/", views.result_add, name="result_add"),
        path("<slug:slug>/indicadores/nuevo/", views.indicator_create, name="indicator_create"),
        path("<slug:slug>/indicadores/<int:indicator_id>/valor/", views.indicator_value, name="indicator_value"),
    ],
    "programs",
)
urlpatterns = [
    path("programas/", include(program_patterns)),
]
