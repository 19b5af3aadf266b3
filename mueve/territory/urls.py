from django.urls import path

from mueve.territory import views

app_name = "territory"
urlpatterns = [path("", views.jurisdiction_list, name="list")]
