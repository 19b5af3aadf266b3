from django.urls import path

from mueve.datasets import views
from mueve.datasets.views import own_data

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("propios/<uuid:uuid>/<str:filename>", own_data.own_data_download, name="own_data_download"),
]
