from django.urls import include, path

from mueve.programs import views

program_patterns = ([path("", views.placeholder, name="list")], "programs")
urlpatterns = [
    path("", views.placeholder, name="home"),
    path("programas/", include(program_patterns)),
]
