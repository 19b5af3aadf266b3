from django.urls import path

from mueve.challenges import views

app_name = "challenges"
urlpatterns = [path("", views.placeholder, name="list")]
