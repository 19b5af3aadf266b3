from django.urls import path

from mueve.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("leidos/", views.mark_read, name="mark_read"),
    path("preferencias/", views.preferences, name="preferences"),
    path("push/clave", views.push_key, name="push_key"),
    path("push/suscribir", views.push_subscribe, name="push_subscribe"),
    path("push/anular", views.push_unsubscribe, name="push_unsubscribe"),
]
