"""Forms of the governance pages: an agreement's transitions and a new version of the open data policy. The
services check everything; these only carry the fields (and show the services' errors beside them)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SignForm(ServiceErrorsMixin, forms.Form):
    signed_on = forms.DateField(label=_("Fecha de firma"), required=False, widget=DateInput())
    signed_document = forms.FileField(
        label=_("Documento firmado (PDF, hasta 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


class DocumentForm(ServiceErrorsMixin, forms.Form):
    signed_document = forms.FileField(
        label=_("Documento firmado (PDF, hasta 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
        error_messages={"required": _("Elija un archivo PDF.")},
    )


class RevokeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Motivo de la revocación"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Se publica junto al convenio."),
        error_messages={"required": _("Indique el motivo de la revocación.")},
    )


class PolicyForm(ServiceErrorsMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Programa"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Título"), max_length=200)
    version = forms.CharField(label=_("Versión"), max_length=20, help_text=_("Por ejemplo: 1.1 o 2025-03."))
    body = forms.CharField(
        label=_("Texto"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Texto simple: una línea en blanco separa párrafos; «# » al inicio de una línea la vuelve título y "
            "«- » un punto de una lista. No se admite HTML."
        ),
    )
    document = forms.FileField(
        label=_("Documento PDF (opcional, hasta 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs
