from django.urls import path

from mueve.control import moderation_views, sensor_views, views

app_name = "control"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("estado/", views.state, name="state"),
    path("incidentes/<int:pk>/", views.incident_detail, name="incident"),
    path("incidentes/<int:pk>/<slug:action>/", views.incident_action, name="action"),
    path("moderacion/", moderation_views.queue, name="moderation"),
    path("moderacion/fotos/<str:token>/<slug:action>/", moderation_views.photo_action, name="moderation_photo"),
    path("moderacion/reportes/<str:public_id>/<slug:action>/", moderation_views.text_action, name="moderation_text"),
    path(
        "moderacion/reaperturas/<str:public_id>/<slug:action>/",
        moderation_views.feedback_action,
        name="moderation_feedback",
    ),
    path("sensores/", sensor_views.sensors, name="sensors"),
    path("estadisticas/", views.statistics, name="statistics"),
    path("estadisticas.csv", views.statistics_csv, name="statistics_csv"),
    path("estadisticas.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("publico/", views.public_map, name="public_map"),
    path("publico/incidentes.geojson", views.public_geojson, name="public_geojson"),
    path("publico/atom/", views.public_atom, name="public_atom"),
    path("publico/atom/<slug:area_code>/", views.public_atom, name="public_atom_area"),
    path("publico/cap/", views.public_cap_index, name="public_cap_index"),
    path("publico/cap/<int:pk>.xml", views.public_cap, name="public_cap"),
]
