from django.urls import path

from mueve.sensors import views

app_name = "sensors"
urlpatterns = [
    path("", views.device_list, name="device_list"),
    path("ingesta/", views.ingest, name="ingest"),
    path("<slug:uid>/revocar/", views.device_revoke_view, name="device_revoke"),
]
