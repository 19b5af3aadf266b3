from allauth.account import app_settings as allauth_settings
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """A username or an e-mail address, and the password.

    Accounts an administrator created (the demo's, the staff's) never went through sign-up and have no address
    waiting for verification: they log in as before. Anyone who signed up must have verified their address."""

    def __init__(self, *args, **kwargs):
        data = kwargs.get("data")
        if data is not None and "login" not in data and "username" in data:
            # Scripts and older clients post Django's field name.
            data = data.copy()
            data["login"] = data["username"]
            kwargs["data"] = data
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Usuario o correo")
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["login"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].label = _("Contraseña")
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Mantener la sesión abierta en este equipo")

    def clean(self):
        cleaned = super().clean()
        login = getattr(self, "_login", None)
        if login is not None and not EmailAddress.objects.filter(user_id=login.user.pk).exists():
            login.email_verification = allauth_settings.EmailVerificationMethod.NONE
        return cleaned


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(
        label=_("Nombre (opcional)"),
        max_length=150,
        required=False,
        help_text=_("Cómo quiere que la plataforma se dirija a usted. No se publica."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Correo electrónico")
        self.fields["email"].help_text = _("Le enviaremos un enlace para confirmarlo antes de entrar.")
        self.fields["password1"].label = _("Contraseña")
        self.fields["password2"].label = _("Repita la contraseña")
        for name in ("email", "password1", "password2"):
            self.fields[name].widget.attrs.pop("placeholder", None)
        self.order_fields(["email", "first_name", "password1", "password2"])

    def save(self, request):
        user = super().save(request)
        first_name = self.cleaned_data.get("first_name", "").strip()
        if first_name:
            user.first_name = first_name
            user.save(update_fields=["first_name"])
        return user
