from django.urls import path

from mueve.workshops import views

app_name = "workshops"
# Fixed words come before "<slug>/" so they are never taken for a workshop.
urlpatterns = [
    path("", views.workshop_list, name="list"),
    path("nuevo/", views.workshop_create, name="create"),
    path("metodologia/importar/", views.methodology_import, name="methodology_import"),
    path("metodologia/<slug:slug>.json", views.methodology_export, name="methodology_export"),
    path("programa/<slug:program_slug>/foda/", views.program_swot, name="swot"),
    path("programa/<slug:program_slug>/hoja-de-ruta/", views.program_roadmap, name="roadmap"),
    path("programa/<slug:program_slug>/avance/", views.program_progress, name="progress"),
    path("programa/<slug:program_slug>/replicar/", views.program_plan, name="plan"),
    path("programa/<slug:program_slug>/avance/<str:ref>/", views.progress_edit, name="progress_edit"),
    path("<slug:slug>.ics", views.workshop_ics, name="ics"),
    path("<slug:slug>/", views.workshop_detail, name="detail"),
    path("<slug:slug>/editar/", views.workshop_edit, name="edit"),
    path("<slug:slug>/inscripcion/", views.workshop_register, name="register"),
    path("<slug:slug>/inscripcion/cancelar/", views.workshop_unregister, name="unregister"),
    path("<slug:slug>/accion/<slug:action>/", views.workshop_action, name="action"),
    path("<slug:slug>/archivos/<int:pk>/", views.attachment_file, name="file"),
]
