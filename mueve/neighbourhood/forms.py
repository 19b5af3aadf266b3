from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.neighbourhood.models import AdoptionName
from mueve.reports.models import Asset


class AssetFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar por calle o código"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Tipo"), required=False, choices=[("", _("Todos")), *Asset.Kind.choices])


class AdoptForm(forms.Form):
    name = forms.CharField(
        label=_("Un nombre para su luz o paradero (opcional)"),
        required=False,
        max_length=AdoptionName._meta.get_field("name").max_length,
        help_text=_("Por ejemplo: «La luz de mi pasaje». Solo usted lo ve."),
    )


class ConfirmRepairForm(forms.Form):
    note = forms.CharField(
        label=_("Comentario (opcional)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class RankingForm(forms.Form):
    area = forms.IntegerField(label=_("Barrio o comuna"), required=False, min_value=1)
    month = forms.RegexField(label=_("Mes"), required=False, regex=r"^\d{4}-\d{2}$")


class RewardForm(forms.Form):
    name = forms.CharField(label=_("Nombre del premio"), max_length=120)
    description = forms.CharField(
        label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class GrantForm(forms.Form):
    reward = forms.TypedChoiceField(label=_("Premio"), coerce=int)
    recipient = forms.CharField(
        label=_("Usuario o correo de quien lo recibe"), max_length=254, help_text=_("Tal como figura en su cuenta.")
    )
    granted_on = forms.DateField(
        label=_("Entregado el"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Nota (opcional)"), required=False, max_length=255)

    def __init__(self, *args, rewards=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reward"].choices = [(r.pk, r.name) for r in rewards]
