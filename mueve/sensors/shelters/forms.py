from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin
from mueve.sensors.shelters.models import ShelterModule


class ConditionForm(ServiceErrorsMixin, forms.Form):
    condition = forms.ChoiceField(label=_("Estado"), choices=ShelterModule.Condition.choices)
    note = forms.CharField(label=_("Motivo"), max_length=300, required=False)


class ReportForm(forms.Form):
    until = forms.DateField(label=_("Hasta"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    months_before = forms.IntegerField(label=_("Meses antes"), min_value=1, max_value=36, required=False)
