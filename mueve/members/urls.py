from django.urls import path

from mueve.members import views

app_name = "members"
urlpatterns = [
    path("perfil/", views.profile, name="profile"),
    path("perfil/editar/", views.profile_edit, name="profile_edit"),
    path("permisos/", views.consents, name="consents"),
    path("mis-datos/", views.own_data, name="own_data"),
    path("mis-datos/descargar.json", views.own_data_json, name="own_data_json"),
    path("mis-datos/descargar.html", views.own_data_html, name="own_data_html"),
    path("eliminar/", views.delete_account, name="delete"),
    path("telefono/", views.claim_device, name="claim_device"),
]
