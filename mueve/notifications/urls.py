from django.urls import path

from mueve.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("leidos/", views.mark_read, name="mark_read"),
    path("preferencias/", views.preferences, name="preferences"),
]
