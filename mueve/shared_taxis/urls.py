from django.urls import path

from mueve.shared_taxis import views

app_name = "shared_taxis"
urlpatterns = [
    path("", views.index, name="index"),
    path("conductor/", views.driver, name="driver"),
    path("conductor/estado.json", views.driver_status, name="driver_status"),
    path("terminal/<slug:slug>/", views.terminal, name="terminal"),
    path("terminal/<slug:slug>/estado.json", views.terminal_status, name="terminal_status"),
    path("<slug:slug>/", views.line, name="line"),
    path("<slug:slug>/estado.json", views.line_status, name="line_status"),
]
