from django.urls import path

from mueve.sensors.shelters import views

app_name = "shelters"
urlpatterns = [
    path("", views.shelter_list, name="list"),
    path("vandalismo/", views.vandalism_report, name="report"),
    path("vandalismo.csv", views.vandalism_csv, name="report_csv"),
    path("<int:pk>/", views.shelter_detail, name="detail"),
    path("<int:pk>/modulos/<int:module_pk>/estado/", views.module_condition, name="module_condition"),
    path("<int:pk>/pantalla/", views.display, name="display"),
    path("<int:pk>/pantalla/datos.json", views.display_data, name="display_data"),
]
