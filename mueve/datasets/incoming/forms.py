"""The steward's forms on the incoming-data page. The file itself never goes through a form field: the view's
upload handler streams it (receive.CappedUploadHandler); the forms carry the rest."""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

NEW = "nueva"


def destination_choices(dataset, sources) -> list[tuple[str, str]]:
    with_source = {s.distribution_id for s in sources if s.distribution_id}
    choices = [(f"s{s.pk}", s.title) for s in sources]
    choices += [
        (f"d{d.pk}", d.title) for d in dataset.distributions.all() if d.pk not in with_source and d.kind == "file"
    ]
    return [*choices, (NEW, _("Una distribución nueva"))]


class DestinationForm(forms.Form):
    destino = forms.ChoiceField(label=_("Distribución"))
    titulo = forms.CharField(
        label=_("Título de la distribución nueva"),
        max_length=200,
        required=False,
        help_text=_("Solo si elige «Una distribución nueva»."),
    )

    def __init__(self, *args, dataset, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["destino"].choices = destination_choices(dataset, sources)

    def clean(self):
        data = super().clean()
        if data.get("destino") == NEW and not (data.get("titulo") or "").strip():
            self.add_error("titulo", _("Indique el título de la nueva distribución."))
        return data


def parse_schema(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(
            _("El esquema no es JSON válido (línea %(line)d, columna %(col)d)."),
            params={"line": exc.lineno, "col": exc.colno},
        ) from exc


class UploadForm(DestinationForm):
    esquema = forms.CharField(
        label=_("Esquema de tabla (JSON, opcional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_(
            'Un Table Schema de Frictionless: {"fields": [{"name": "comuna", "type": "string"}, …]}. '
            "Sin esquema, se deduce de la primera versión aceptada y se exige a las siguientes."
        ),
    )

    def clean_esquema(self):
        text = (self.cleaned_data.get("esquema") or "").strip()
        return parse_schema(text) if text else None


class UrlForm(DestinationForm):
    url = forms.URLField(label=_("URL del archivo"), max_length=500, assume_scheme="https")
    cada_horas = forms.IntegerField(label=_("Descargar cada (horas)"), min_value=1, max_value=744, initial=24)


class SchemaForm(forms.Form):
    esquema = forms.CharField(
        label=_("Esquema de tabla (JSON)"), widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"})
    )

    def clean_esquema(self):
        return parse_schema(self.cleaned_data["esquema"].strip())
