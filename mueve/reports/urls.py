from django.urls import path

from mueve.reports import live, views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("nuevo/", views.report_new, name="new"),
    path("cercanos/", views.nearby, name="nearby"),
    path("seguimiento/<str:token>/", views.tracking, name="track"),
    path("seguimiento/<str:token>/respuesta/", views.tracking_feedback, name="track_feedback"),
    path("seguimiento/<str:token>/en-vivo/", live.tracking_stream, name="track_stream"),
    # A random token, not the row id: photos cannot be walked through by counting.
    path("fotos/<str:token>/", views.photo, name="photo"),
    # Served under /reportes/ so the worker's scope covers the reporting and tracking pages.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("desarrolladores/", views.developers, name="developers"),
]
