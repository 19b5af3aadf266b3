from django.urls import path

from mueve.visual_checks import views

app_name = "visual_checks"
urlpatterns = [
    path("piloto/", views.pilot, name="pilot"),
    path("piloto/misiones.json", views.pilot_missions, name="pilot_missions"),
    path("misiones/<int:pk>/paso/", views.step, name="step"),
    path("misiones/<int:pk>/posicion/", views.position, name="position"),
    path("misiones/<int:pk>/imagen/", views.snapshot, name="snapshot"),
    path("misiones/<int:pk>/video/", views.stream, name="stream"),
    path("incidentes/<int:pk>/", views.incident_checks, name="incident"),
    path("incidentes/<int:pk>/solicitar/", views.incident_request, name="request"),
    path("material/<str:token>/", views.footage, name="footage"),
    path("estadisticas/", views.statistics, name="statistics"),
]
