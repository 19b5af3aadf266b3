from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin


class NarrativeForm(ServiceErrorsMixin, forms.Form):
    executive_summary = forms.CharField(
        label=_("Resumen ejecutivo"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    background = forms.CharField(label=_("Antecedentes"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    impact = forms.CharField(label=_("Impacto"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    replication = forms.CharField(label=_("Replicación"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    lessons = forms.CharField(label=_("Lecciones aprendidas"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
