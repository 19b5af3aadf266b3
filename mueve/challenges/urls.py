from django.urls import path

from mueve.challenges import views

app_name = "challenges"
urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("nuevo/", views.challenge_create, name="create"),
    path("entrevistas/", views.interview_list, name="interview_list"),
    path("entrevistas/nueva/", views.interview_create, name="interview_create"),
    path("moderacion/", views.moderation_queue, name="moderation"),
    path("moderacion/<int:pk>/<slug:action>/", views.moderation_decide, name="moderation_decide"),
    path("<slug:slug>/", views.challenge_detail, name="detail"),
    path("<slug:slug>/editar/", views.challenge_edit, name="edit"),
    path("<slug:slug>/estado/", views.challenge_transition, name="transition"),
    path("<slug:slug>/seguir/", views.challenge_follow, name="follow"),
    path("<slug:slug>/dejar-de-seguir/", views.challenge_unfollow, name="unfollow"),
    path("<slug:slug>/apoyar/", views.challenge_support, name="support"),
    path("<slug:slug>/retirar-apoyo/", views.challenge_unsupport, name="unsupport"),
    path("<slug:slug>/comentarios/", views.comment_create, name="comment"),
    path("<slug:slug>/comentarios/<int:pk>/denunciar/", views.comment_report, name="comment_report"),
]
