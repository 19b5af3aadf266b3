from django.urls import path

from mueve.transit import views

app_name = "transit"
urlpatterns = [
    path("", views.home, name="home"),
    path("planificar/", views.planner_page, name="planner"),
    path("despierta/", views.despierta, name="despierta"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/<slug:feed_slug>/", views.feed_manage, name="feed_manage"),
    path("gestion/<slug:feed_slug>/constructor/", views.builder_route, name="builder_new"),
    path("gestion/<slug:feed_slug>/constructor/<slug:code>/", views.builder_route, name="builder_edit"),
    path("gestion/<slug:feed_slug>/constructor.zip", views.builder_export, name="builder_export"),
    path("<slug:feed_slug>/gtfs.zip", views.gtfs_export, name="gtfs_export"),
    path("<slug:feed_slug>/gtfs-rt/alertas", views.alerts_feed, name="alerts_feed"),
    path("<slug:feed_slug>/gtfs-rt/vehiculos", views.vehicle_positions_feed, name="vehicles_feed"),
    path("<slug:feed_slug>/gtfs-rt/viajes", views.trip_updates_feed, name="trip_updates_feed"),
    path("<slug:feed_slug>/rutas/<str:route_id>/", views.route_detail, name="route"),
    path("<slug:feed_slug>/paradas/<str:stop_id>/", views.stop_detail, name="stop"),
]
