from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.rural_addresses.models import EmergencyNote


class TagForm(forms.Form):
    lat = forms.FloatField(label=_("Latitud"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitud"), min_value=-180, max_value=180)
    description = forms.CharField(
        label=_("Cómo reconocer el lugar"),
        max_length=300,
        help_text=_("Como lo diría quien llama: «casa azul pasado el puente»."),
    )
    photo = forms.FileField(label=_("Foto (opcional)"), required=False)
    client_key = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Motivo del rechazo"), max_length=300)


class EmergencyNoteForm(forms.Form):
    oxygen_dependent = forms.BooleanField(label=_("Vive una persona oxígeno-dependiente"), required=False)
    ambulance_access = forms.ChoiceField(label=_("Acceso de ambulancia"), choices=EmergencyNote.Access.choices)
    text = forms.CharField(label=_("Nota para emergencias"), required=False, max_length=1000, widget=forms.Textarea)
    consent_given_by = forms.CharField(label=_("Nombre de quien da el consentimiento"), max_length=150)
    consent = forms.BooleanField(
        label=_("La persona que vive ahí consiente que esta nota la lean SAMU, Bomberos y Carabineros"), required=False
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Código plus (completo o corto)"), required=False, max_length=20)
    locality = forms.CharField(label=_("Localidad (con un código corto)"), required=False, max_length=80)
    road = forms.CharField(label=_("Camino (rol o nombre)"), required=False, max_length=80)
    km = forms.FloatField(label=_("Km"), required=False, min_value=0, max_value=1000)
    q = forms.CharField(label=_("Palabras de la descripción"), required=False, max_length=120)
    lat = forms.FloatField(label=_("Latitud aproximada"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitud aproximada"), required=False, min_value=-180, max_value=180)
