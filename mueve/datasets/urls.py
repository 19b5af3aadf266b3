from django.urls import path

from mueve.datasets import views

app_name = "datasets"
urlpatterns = [path("", views.dataset_list, name="list")]
