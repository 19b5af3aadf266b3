from django.urls import path

from mueve.stakeholders import views

app_name = "stakeholders"
urlpatterns = [path("", views.placeholder, name="list")]
