from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.neighbourhood.models import AdoptionName
from mueve.reports.models import Asset
from mueve.territory.models import Jurisdiction


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
    jurisdiction = forms.ModelChoiceField(
        label=_("Dónde se ofrece"),
        queryset=Jurisdiction.objects.none(),
        to_field_name="slug",
        error_messages={"invalid_choice": _("Elija una de sus jurisdicciones.")},
    )
    active = forms.BooleanField(label=_("Vigente"), required=False, initial=True)

    def __init__(self, *args, jurisdictions=None, national: bool = False, editing: bool = False, **kwargs):
        """`jurisdictions`: where the person may offer it; `national`: they may also offer it everywhere (an empty
        choice); `editing`: the «vigente» box is shown (a new reward is always in force)."""
        super().__init__(*args, **kwargs)
        field = self.fields["jurisdiction"]
        field.queryset = jurisdictions if jurisdictions is not None else Jurisdiction.objects.none()
        field.required = not national
        field.empty_label = _("Todo el país (premio nacional)") if national else None
        if not editing:
            del self.fields["active"]


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
