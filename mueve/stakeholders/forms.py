from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin
from mueve.stakeholders.models import Level, Organization, ProgramRole, Sector
from mueve.territory.models import Jurisdiction

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Buscar"), required=False, max_length=100)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("Todos")), *Sector.choices])
    level = forms.ChoiceField(label=_("Nivel"), required=False, choices=[("", _("Todos")), *Level.choices])
    program = forms.ChoiceField(label=_("Programa"), required=False)

    def __init__(self, *args, programs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [("", _("Todos")), *((p.slug, p.name) for p in programs)]


class OrganizationForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=200)
    acronym = forms.CharField(label=_("Sigla"), max_length=40, required=False)
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    level = forms.ChoiceField(label=_("Nivel"), choices=[("", "—"), *Level.choices])
    is_international = forms.BooleanField(
        label=_("Socio internacional o multinacional"),
        required=False,
        help_text=_("Márquelo si la organización, o su casa matriz, es extranjera."),
    )
    parent = forms.ModelChoiceField(
        label=_("Depende de"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("— Ninguna —"),
        help_text=_("Para unidades o sedes de una institución mayor."),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdicción"),
        queryset=Jurisdiction.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("— Ninguna —"),
    )
    website = forms.URLField(label=_("Sitio web"), required=False, assume_scheme="https")
    description = forms.CharField(label=_("Descripción"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, instance: Organization | None = None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": instance.name,
                "acronym": instance.acronym,
                "sector": instance.sector,
                "level": instance.level,
                "is_international": instance.is_international,
                "parent": instance.parent.slug if instance.parent_id else None,
                "jurisdiction": instance.jurisdiction.slug if instance.jurisdiction_id else None,
                "website": instance.website,
                "description": instance.description,
            }
        super().__init__(*args, **kwargs)
        if instance is not None:
            self.fields["parent"].queryset = Organization.objects.exclude(pk=instance.pk).order_by("name")


class OrganizationImportForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo CSV"),
        help_text=_("Separado por comas o punto y coma, con encabezado. Máximo 2 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("El archivo pesa más de 2 MB."))
        return upload


class ProgramStakeholderForm(ServiceErrorsMixin, forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organización"), queryset=Organization.objects.order_by("name"), to_field_name="slug"
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles en el programa"), choices=ProgramRole.choices, widget=forms.CheckboxSelectMultiple
    )
    interest = forms.TypedChoiceField(
        label=_("Interés"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        initial=3,
        help_text=_("1 = muy bajo, 5 = muy alto."),
    )
    influence = forms.TypedChoiceField(
        label=_("Influencia"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        initial=3,
        help_text=_("1 = muy baja, 5 = muy alta."),
    )
    notes = forms.CharField(label=_("Notas"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
