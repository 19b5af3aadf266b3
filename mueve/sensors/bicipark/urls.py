from django.urls import path

from mueve.sensors.bicipark import views

app_name = "bicipark"
urlpatterns = [
    path("", views.public_map, name="public_map"),
    path("camara/", views.camera_upload, name="camera_upload"),
    path("seguridad/alarma/<int:pk>/cerrar/", views.alarm_close, name="alarm_close"),
    path("seguridad/foto/<int:pk>/", views.snapshot, name="snapshot"),
    path("seguridad/<slug:org_slug>/", views.desk, name="desk"),
    path("seguridad/<slug:org_slug>/en-vivo/", views.desk_stream, name="desk_stream"),
    path("<slug:code>/", views.slot_page, name="slot"),
]
