from django.urls import path

from mueve.competitions import views

app_name = "competitions"
urlpatterns = [
    path("", views.competition_list, name="list"),
    path("<slug:slug>/", views.competition_detail, name="detail"),
    path("<slug:slug>/inscripcion/", views.register, name="register"),
    path("<slug:slug>/equipos/nuevo/", views.team_create, name="team_create"),
    path("<slug:slug>/equipos/<int:team_id>/", views.team_detail, name="team"),
    path("<slug:slug>/equipos/<int:team_id>/<slug:action>/", views.team_action, name="team_action"),
    path("<slug:slug>/invitaciones/<int:invitation_id>/", views.invitation_respond, name="invitation"),
    path("<slug:slug>/entregas/<int:submission_id>/<slug:field>/", views.submission_file, name="submission_file"),
    path("<slug:slug>/voto-del-publico/", views.public_vote, name="public_vote"),
    path("<slug:slug>/hitos/<int:milestone_id>/<slug:action>/", views.milestone_action, name="milestone"),
    path("<slug:slug>/clinicas/<int:clinic_id>/<slug:action>/", views.clinic_action, name="clinic"),
    path("<slug:slug>/jurado/<int:round_id>/", views.jury, name="jury"),
    path("<slug:slug>/jurado/<int:round_id>/conflicto/", views.conflict_declare, name="conflict"),
    path("<slug:slug>/gestion/", views.manage, name="manage"),
    path("<slug:slug>/gestion/<slug:action>/", views.manage_action, name="manage_action"),
    path("<slug:slug>/resultados/", views.results, name="results"),
    path("<slug:slug>/resultados.csv", views.results_csv, name="results_csv"),
    path("<slug:slug>/resultados.xlsx", views.results_xlsx, name="results_xlsx"),
]
