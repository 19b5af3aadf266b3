from django.urls import path

from mueve.datasets.views import catalog, steward

app_name = "datasets"
urlpatterns = [
    path("", catalog.dataset_list, name="list"),
    path("calidad/", catalog.quality_page, name="quality"),
    path("inventario/", steward.inventory, name="inventory"),
    path("nuevo/", steward.dataset_create, name="create"),
    path("<slug:slug>/", catalog.dataset_detail, name="detail"),
    path("<slug:slug>/editar/", steward.dataset_edit, name="edit"),
    path("<slug:slug>/publicar/", steward.dataset_publish, name="publish"),
    path("<slug:slug>/retirar/", steward.dataset_withdraw, name="withdraw"),
    path("<slug:slug>/recursos/nuevo/", steward.distribution_add, name="distribution_add"),
    path("<slug:slug>/recursos/<uuid:uuid>/descargar/", catalog.distribution_download, name="download"),
]
