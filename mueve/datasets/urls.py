from django.urls import path

from mueve.datasets import views

app_name = "datasets"
urlpatterns = [
    path("", views.dataset_list, name="list"),
    path("<slug:slug>/subir/", views.incoming_page, name="incoming"),
    path("<slug:slug>/subir/versiones/<int:pk>/", views.incoming_version, name="incoming_version"),
    path("<slug:slug>/subir/versiones/<int:pk>/archivo", views.incoming_version_file, name="incoming_version_file"),
]
