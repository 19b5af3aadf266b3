from django.urls import path

from mueve.rural_addresses import views

app_name = "rural_addresses"

urlpatterns = [
    path("etiquetar/", views.tag, name="tag"),
    path("verificar/", views.review, name="review"),
    path("despacho/", views.dispatch, name="dispatch"),
    path("donde-estoy/", views.where, name="where"),
    path("caminos.json", views.roads_json, name="roads"),
    path("sw.js", views.service_worker, name="sw"),
    path("foto/<str:token>/", views.photo, name="photo"),
    path("<int:pk>/", views.place, name="place"),
    path("<int:pk>/placa.pdf", views.plate, name="plate"),
    path("<int:pk>/verificar/", views.verify, name="verify"),
    path("<int:pk>/rechazar/", views.reject, name="reject"),
    path("<int:pk>/nota/", views.note, name="note"),
]
