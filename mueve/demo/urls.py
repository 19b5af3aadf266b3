from django.urls import path

from mueve.demo import views

app_name = "demo"
urlpatterns = [path("buzon/", views.mailbox_page, name="mailbox")]
