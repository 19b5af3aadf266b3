from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin
from mueve.datasets.models import AccessRights, Distribution, Periodicity, Theme
from mueve.datasets.models.vocab import FILE_TYPES, LICENSE_CHOICES
from mueve.stakeholders.models import Organization
from mueve.territory.models import Jurisdiction


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DatasetForm(ServiceErrorsMixin, forms.Form):
    """A dataset's metadata as a steward edits it (services.dataset_save checks it again)."""

    title = forms.CharField(label=_("Título"), max_length=200)
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    publisher = forms.ModelChoiceField(label=_("Institución dueña"), queryset=Organization.objects.none())
    program = forms.ModelChoiceField(label=_("Programa"), queryset=None, required=False)
    keyword = forms.CharField(
        label=_("Palabras clave"), max_length=255, required=False, help_text=_("Separadas por comas.")
    )
    themes = forms.MultipleChoiceField(
        label=_("Temas"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    format = forms.CharField(
        label=_("Formato en el inventario"),
        max_length=60,
        required=False,
        help_text=_("Mientras el conjunto no tenga recursos: el formato en que la institución lo tiene."),
    )
    license = forms.ChoiceField(label=_("Licencia"), choices=LICENSE_CHOICES, required=False)
    access_rights = forms.ChoiceField(label=_("Acceso"), choices=AccessRights.choices)
    accrual_periodicity = forms.ChoiceField(label=_("Frecuencia de actualización"), choices=Periodicity.choices)
    data_modified = forms.DateTimeField(
        label=_("Datos actualizados el"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    landing_page = forms.URLField(label=_("Página del conjunto"), required=False, assume_scheme="https")
    version = forms.CharField(label=_("Versión"), max_length=40, required=False)
    spatial_jurisdiction = forms.ModelChoiceField(
        label=_("Cobertura espacial (territorio)"), queryset=Jurisdiction.objects.order_by("name"), required=False
    )
    bbox_west = forms.FloatField(label=_("Límite oeste (longitud)"), required=False, min_value=-180, max_value=180)
    bbox_south = forms.FloatField(label=_("Límite sur (latitud)"), required=False, min_value=-90, max_value=90)
    bbox_east = forms.FloatField(label=_("Límite este (longitud)"), required=False, min_value=-180, max_value=180)
    bbox_north = forms.FloatField(label=_("Límite norte (latitud)"), required=False, min_value=-90, max_value=90)
    temporal_start = forms.DateField(label=_("Cobertura temporal desde"), required=False, widget=DateInput)
    temporal_end = forms.DateField(label=_("Cobertura temporal hasta"), required=False, widget=DateInput)
    contact_name = forms.CharField(label=_("Punto de contacto"), max_length=120, required=False)
    contact_email = forms.EmailField(
        label=_("Correo del punto de contacto"),
        required=False,
        help_text=_("Una dirección institucional (una mesa de ayuda, no la de una persona): se publica."),
    )

    def __init__(self, *args, programs=None, **kwargs):
        super().__init__(*args, **kwargs)
        from mueve.programs.models import Program

        self.fields["publisher"].queryset = Organization.objects.order_by("name")
        self.fields["program"].queryset = programs if programs is not None else Program.objects.order_by("name")
        if programs is not None:
            # A manager of some programmes only: every dataset they keep belongs to one of them.
            self.fields["program"].required = True

    @staticmethod
    def initial_from(dataset) -> dict:
        initial = {name: getattr(dataset, name) for name in DatasetForm.base_fields if name != "themes"}
        initial["themes"] = dataset.themes_list
        return initial


class DistributionLinkForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Título"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Tipo"),
        choices=[(Distribution.Kind.API, _("API")), (Distribution.Kind.FEED, _("Flujo en tiempo real"))],
    )
    access_url = forms.URLField(label=_("URL de acceso"), max_length=500, assume_scheme="https")
    format = forms.ChoiceField(
        label=_("Formato"),
        required=False,
        choices=[("", _("Sin indicar"))] + [(code, label) for code, (label, _media) in FILE_TYPES.items()],
    )
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
