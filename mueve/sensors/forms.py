from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin
from mueve.sensors.models import Device
from mueve.territory.models import Jurisdiction


class DeviceForm(ServiceErrorsMixin, forms.Form):
    uid = forms.CharField(label=_("Identificador"), max_length=64, help_text=_("Letras, números y guiones; único."))
    name = forms.CharField(label=_("Nombre"), max_length=150)
    kind = forms.ChoiceField(label=_("Tipo"), choices=Device.Kind.choices)
    jurisdiction = forms.ModelChoiceField(label=_("Jurisdicción"), queryset=Jurisdiction.objects.all())
    lat = forms.FloatField(label=_("Latitud"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitud"), min_value=-180, max_value=180)
