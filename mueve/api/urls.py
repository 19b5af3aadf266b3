from django.urls import path

from mueve.api import views

app_name = "api"
urlpatterns = [
    path("", views.index, name="index"),
    path("aplicaciones/", views.applications, name="applications"),
    path("aplicaciones/nueva/", views.register, name="register"),
    path("claves/<int:pk>/uso/", views.usage, name="usage"),
    path("claves/<int:pk>/revocar/", views.revoke, name="revoke"),
    path("gestion/", views.manage, name="manage"),
    path("gestion/<int:pk>/uso/", views.manage_usage, name="manage_usage"),
    path("gestion/<int:pk>/<str:action>/", views.manage_action, name="manage_action"),
]
