from django import forms
from django.utils.translation import gettext_lazy as _


class PointLookupForm(forms.Form):
    lat = forms.FloatField(label=_("Latitud"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitud"), min_value=-180, max_value=180)
