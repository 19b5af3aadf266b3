"""Forms of the citizen pages. They only parse input: the report's rules live in services (report_submit)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin
from mueve.reports.photos import MAX_BYTES


class SpanishForm(ServiceErrorsMixin, forms.Form):
    """Labels without the trailing colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ReportForm(SpanishForm):
    """The reporting page. `service` choices are the jurisdiction's active services (codes)."""

    service = forms.ChoiceField(
        label=_("¿Qué quiere reportar?"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Elija qué quiere reportar."),
            "invalid_choice": _("Elija una de las categorías de la lista."),
        },
    )
    lat = forms.FloatField(
        label=_("Latitud"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "required": _("Falta la ubicación: permita al navegador usar su ubicación o escriba la latitud."),
            "invalid": _("Escriba la latitud como número, por ejemplo -36.8201."),
            "min_value": _("La latitud debe estar entre -90 y 90."),
            "max_value": _("La latitud debe estar entre -90 y 90."),
        },
    )
    lon = forms.FloatField(
        label=_("Longitud"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "required": _("Falta la ubicación: permita al navegador usar su ubicación o escriba la longitud."),
            "invalid": _("Escriba la longitud como número, por ejemplo -73.0444."),
            "min_value": _("La longitud debe estar entre -180 y 180."),
            "max_value": _("La longitud debe estar entre -180 y 180."),
        },
    )
    description = forms.CharField(
        label=_("Descripción (opcional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Lo que ayude a encontrarlo y atenderlo. No escriba datos personales."),
    )
    photo = forms.FileField(
        label=_("Foto (opcional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        help_text=_(
            "JPEG, PNG o WebP de hasta 10 MB. Quitamos la ubicación y los datos de la cámara antes de guardarla."
        ),
    )
    email_updates = forms.BooleanField(label=_("Quiero recibir novedades de este reporte por correo"), required=False)
    email = forms.EmailField(
        label=_("Correo (opcional)"),
        required=False,
        max_length=254,
        help_text=_("Solo para avisarle; no se publica."),
        error_messages={"invalid": _("Escriba un correo válido, por ejemplo nombre@correo.cl.")},
    )
    idempotency_key = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    device_id = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    confirms = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(service.code, service.name) for service in services]

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_BYTES:
            raise forms.ValidationError(
                _("La foto pesa más de 10 MB. Elija una más liviana o envíe el reporte sin foto.")
            )
        return photo

    def clean(self):
        data = super().clean()
        if data.get("email_updates") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Escriba su correo para recibir novedades, o desmarque la casilla."))
        return data


class TrackingLookupForm(SpanishForm):
    code = forms.CharField(
        label=_("Número de reporte o código de seguimiento"),
        max_length=60,
        help_text=_("Lo recibió al enviar el reporte, por ejemplo 7KQ2M9XW4P."),
        error_messages={"required": _("Escriba el número de su reporte.")},
    )

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip().replace(" ", "")


class FeedbackForm(SpanishForm):
    """«¿Quedó resuelto?» on the tracking page, once the report's incident is resolved."""

    fixed = forms.TypedChoiceField(
        label=_("¿Quedó resuelto?"),
        choices=[("si", _("Sí, quedó resuelto")), ("no", _("No, el problema sigue"))],
        coerce=lambda value: value == "si",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Elija «Sí» o «No»."),
            "invalid_choice": _("Elija «Sí» o «No»."),
        },
    )
    comment = forms.CharField(
        label=_("Comentario (opcional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Qué sigue mal, si el problema continúa. Hasta 1000 caracteres. No escriba datos personales."),
    )
    photo = forms.FileField(
        label=_("Foto (opcional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        help_text=_("JPEG, PNG o WebP de hasta 10 MB. Se publica cuando un operador la revise."),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_BYTES:
            raise forms.ValidationError(_("La foto pesa más de 10 MB. Elija una más liviana o responda sin foto."))
        return photo
