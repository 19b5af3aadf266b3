from allauth.account import views as allauth_views
from django.urls import path, re_path

from mueve.accounts import views

app_name = "accounts"
urlpatterns = [
    path("entrar/", allauth_views.login, name="login"),
    path("salir/", allauth_views.logout, name="logout"),
    path("registro/", allauth_views.signup, name="signup"),
]

# django-allauth's pages, at Spanish addresses under /cuentas/, with the names allauth itself reverses
# (not namespaced: config/urls.py includes this list apart).
allauth_patterns = [
    path("entrar/", allauth_views.login, name="account_login"),
    path("salir/", allauth_views.logout, name="account_logout"),
    path("inactiva/", allauth_views.account_inactive, name="account_inactive"),
    path("registro/", allauth_views.signup, name="account_signup"),
    path("reautenticar/", allauth_views.reauthenticate, name="account_reauthenticate"),
    path(
        "reautenticar/codigo/",
        allauth_views.request_reauthentication_code,
        name="account_request_reauthentication_code",
    ),
    path(
        "reautenticar/codigo/confirmar/",
        allauth_views.confirm_reauthentication_code,
        name="account_confirm_reauthentication_code",
    ),
    path("correo/", allauth_views.email, name="account_email"),
    path("confirmar-correo/", allauth_views.email_verification_sent, name="account_email_verification_sent"),
    re_path(r"^confirmar-correo/(?P<key>[-:\w]+)/$", views.confirm_email, name="account_confirm_email"),
    path("clave/cambiar/", allauth_views.password_change, name="account_change_password"),
    path("clave/crear/", allauth_views.password_set, name="account_set_password"),
    path("clave/recuperar/", allauth_views.password_reset, name="account_reset_password"),
    path("clave/recuperar/enviado/", allauth_views.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^clave/recuperar/clave/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        allauth_views.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path(
        "clave/recuperar/listo/",
        allauth_views.password_reset_from_key_done,
        name="account_reset_password_from_key_done",
    ),
    path("codigo/", allauth_views.request_login_code, name="account_request_login_code"),
    path("codigo/confirmar/", allauth_views.confirm_login_code, name="account_confirm_login_code"),
]
