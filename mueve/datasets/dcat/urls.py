from django.urls import path

from mueve.datasets.dcat import views

app_name = "dcat"
urlpatterns = [
    path("", views.catalog_negotiated, name="root"),
    path("dcat.<str:fmt>", views.catalog, name="catalog"),
    path("conjuntos/<uuid:uuid>", views.dataset, name="dataset"),
]
