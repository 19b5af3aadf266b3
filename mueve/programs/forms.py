from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mueve.accounts import scopes
from mueve.core.forms import ServiceErrorsMixin
from mueve.programs.models import (
    Component,
    GovLab,
    GovLabProject,
    Indicator,
    IndicatorValue,
    MethodologyTemplate,
    Program,
    Result,
    Sector,
    Status,
)
from mueve.territory.models import Jurisdiction

MAX_TEMPLATE_BYTES = 1024 * 1024


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ProgramCreateForm(ServiceErrorsMixin, forms.Form):
    template = forms.ModelChoiceField(
        label=_("Plantilla metodológica"),
        queryset=MethodologyTemplate.objects.all(),
        to_field_name="slug",
        empty_label=_("Elija una plantilla"),
        error_messages={"required": _("Elija una plantilla metodológica.")},
    )
    name = forms.CharField(label=_("Nombre del programa"), max_length=200)
    slug = forms.SlugField(
        label=_("Identificador en la dirección web"),
        max_length=80,
        required=False,
        help_text=_("Opcional: se genera a partir del nombre. Solo letras sin tilde, números y guiones."),
    )
    jurisdiction = forms.ModelChoiceField(
        label=_("Jurisdicción"),
        queryset=Jurisdiction.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Elija una jurisdicción"),
        error_messages={"required": _("Elija una jurisdicción.")},
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices, initial=Sector.TRANSPORT)
    start_date = forms.DateField(label=_("Fecha de inicio"), widget=DateInput())
    end_date = forms.DateField(label=_("Fecha de término"), widget=DateInput())
    summary = forms.CharField(label=_("Resumen"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    is_public = forms.BooleanField(
        label=_("Visible para el público"),
        required=False,
        initial=True,
        help_text=_("Desmarque para prepararlo sin publicarlo."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A manager limited to some jurisdictions creates programmes there only.
        allowed = scopes.jurisdiction_filter(user) if user is not None else None
        if allowed is not None:
            self.fields["jurisdiction"].queryset = Jurisdiction.objects.filter(pk__in=allowed).order_by("name")


class PhaseForm(ServiceErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=Status.choices)
    start_date = forms.DateField(label=_("Inicio"), widget=DateInput(), required=False)
    end_date = forms.DateField(label=_("Término"), widget=DateInput(), required=False)


class ComponentForm(PhaseForm):
    """A component's schedule: the same fields as a phase (status, start and end dates)."""


def _max_length(model, field: str) -> int | None:
    return model._meta.get_field(field).max_length


class NumberInput(forms.NumberInput):
    """Any decimal (step "any"), so the phone shows a numeric keyboard and the browser accepts decimals."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "any", **(attrs or {})})


class IndicatorNumberField(forms.FloatField):
    """A decimal for an indicator (value, baseline or target); its limits are the service's."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", NumberInput())
        super().__init__(**kwargs)


class ResultForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Título"), max_length=_max_length(Result, "title"))
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class IndicatorForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre"), max_length=_max_length(Indicator, "name"))
    unit = forms.CharField(
        label=_("Unidad"),
        max_length=_max_length(Indicator, "unit"),
        required=False,
        help_text=_("Por ejemplo: equipos, minutos, %."),
    )
    description = forms.CharField(label=_("Descripción"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    baseline = IndicatorNumberField(label=_("Línea base"), required=False)
    target = IndicatorNumberField(label=_("Meta"), required=False)
    component = forms.ModelChoiceField(
        label=_("Componente"),
        queryset=Component.objects.none(),
        required=False,
        empty_label=_("Todo el programa"),
        help_text=_("Opcional: el componente cuyo impacto mide."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["component"].queryset = program.components.order_by("order")


class IndicatorValueForm(ServiceErrorsMixin, forms.Form):
    date = forms.DateField(
        label=_("Fecha"),
        widget=DateInput(),
        help_text=_("Si ya hay una medición en esa fecha, se reemplaza."),
    )
    value = IndicatorNumberField(label=_("Valor"))
    note = forms.CharField(label=_("Nota"), max_length=_max_length(IndicatorValue, "note"), required=False)


class TemplateImportForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Archivo JSON de la plantilla"),
        required=False,
        help_text=_("Un archivo exportado desde Mueve (formato «mueve.methodology», versión 1). Máximo 1 MB."),
    )
    text = forms.CharField(
        label=_("O pegue aquí el JSON"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_TEMPLATE_BYTES:
            raise ValidationError(_("El archivo supera 1 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("file") and not (cleaned.get("text") or "").strip() and not self.errors:
            raise ValidationError(_("Suba un archivo o pegue el JSON."))
        return cleaned

    def document(self) -> bytes | str:
        upload = self.cleaned_data.get("file")
        if upload:
            return upload.read()
        return self.cleaned_data["text"]


class GovLabForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre del laboratorio"), max_length=_max_length(GovLab, "name"))
    host = forms.ModelChoiceField(
        label=_("Institución anfitriona"), queryset=None, required=False, empty_label=_("Sin definir")
    )
    initiative = forms.ModelChoiceField(
        label=_("Iniciativa de la hoja de ruta que cumple"),
        queryset=None,
        required=False,
        empty_label=_("Ninguna"),
    )
    mission = forms.CharField(label=_("Misión"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    established_on = forms.DateField(label=_("Creado el"), required=False, widget=DateInput())
    hub_integrated_on = forms.DateField(
        label=_("Integrado al hub de innovación el"), required=False, widget=DateInput()
    )

    def __init__(self, *args, program: Program, **kwargs):
        from mueve.stakeholders.models import Organization
        from mueve.workshops.models import Initiative

        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = Organization.objects.order_by("name")
        self.fields["initiative"].queryset = Initiative.objects.filter(line__program=program).order_by(
            "line__order", "horizon", "order"
        )


class GovLabProjectForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Título del proyecto"), max_length=_max_length(GovLabProject, "title"))
    summary = forms.CharField(label=_("Resumen"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    challenge = forms.ModelChoiceField(
        label=_("Desafío de gobierno"), queryset=None, required=False, empty_label=_("Ninguno")
    )
    lead = forms.ModelChoiceField(
        label=_("Institución a cargo"), queryset=None, required=False, empty_label=_("Sin definir")
    )
    status = forms.ChoiceField(label=_("Estado"), choices=GovLabProject.Status.choices)
    started_on = forms.DateField(label=_("Inicio"), required=False, widget=DateInput())

    def __init__(self, *args, program: Program, **kwargs):
        from mueve.challenges.models import Challenge
        from mueve.stakeholders.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = Challenge.objects.filter(program=program).order_by("title")
        self.fields["lead"].queryset = Organization.objects.order_by("name")
