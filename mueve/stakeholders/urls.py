from django.urls import path

from mueve.stakeholders import views

app_name = "stakeholders"
# Fixed words come before "<slug>/": the slug service never hands them out (see services.RESERVED_SLUGS).
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("nueva/", views.organization_create, name="create"),
    path("importar/", views.organization_import, name="import"),
    path("exportar.csv", views.organization_export, name="export"),
    path("exportar.xlsx", views.organization_export_xlsx, name="export_xlsx"),
    path("mapa/<slug:program_slug>/", views.stakeholder_map, name="map"),
    path("mapa/<slug:program_slug>/vincular/", views.program_link, name="program_link"),
    path("<slug:slug>/", views.organization_detail, name="detail"),
    path("<slug:slug>/editar/", views.organization_edit, name="edit"),
]
