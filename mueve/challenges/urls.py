from django.urls import path

from mueve.challenges import views

app_name = "challenges"
urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("nuevo/", views.challenge_create, name="create"),
    path("entrevistas/", views.interview_list, name="interview_list"),
    path("entrevistas/nueva/", views.interview_create, name="interview_create"),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/editar/", views.challenge_edit, name="edit"),
    path("<slug:slug>/estado/", views.challenge_transition, name="transition"),
]
