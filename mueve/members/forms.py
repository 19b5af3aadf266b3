from django import forms
from django.utils.translation import gettext_lazy as _


class ProfileForm(forms.Form):
    first_name = forms.CharField(label=_("Nombre"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Apellido"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Teléfono"),
        max_length=30,
        required=False,
        help_text=_("Opcional. No se publica."),
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Su contraseña"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Entiendo que mi cuenta se elimina y no se puede recuperar"),
        error_messages={"required": _("Marque la casilla para confirmar.")},
    )
