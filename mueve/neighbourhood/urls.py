from django.urls import path

from mueve.neighbourhood import views

app_name = "neighbourhood"
urlpatterns = [
    path("", views.home, name="home"),
    path("luz/", views.lights, name="lights"),
    path("luz/mis-adopciones/", views.my_adoptions, name="my_adoptions"),
    path("luz/municipio/", views.overview, name="overview"),
    path("luz/<int:pk>/", views.asset, name="asset"),
    path("luz/<int:pk>/adoptar/", views.adopt, name="adopt"),
    path("luz/<int:pk>/dejar/", views.unadopt, name="unadopt"),
    path("luz/<int:pk>/confirmar-reparacion/", views.confirm_repair, name="confirm_repair"),
    path("ranking/", views.ranking, name="ranking"),
    path("premios/", views.rewards, name="rewards"),
    path("premios/<int:pk>/", views.reward_edit, name="reward_edit"),
]
