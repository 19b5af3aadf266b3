import json

from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.core.forms import ServiceErrorsMixin

DAYS = [
    (0, _("lunes")),
    (1, _("martes")),
    (2, _("miércoles")),
    (3, _("jueves")),
    (4, _("viernes")),
    (5, _("sábado")),
    (6, _("domingo")),
]


class FeedUploadForm(ServiceErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Archivo GTFS (.zip)"), help_text=_("Reemplaza el feed completo si no tiene errores.")
    )


class FeedCreateForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nombre del feed"), max_length=200)
    illustrative = forms.BooleanField(label=_("Red ilustrativa (no es un servicio real)"), required=False)


class BuilderRouteForm(ServiceErrorsMixin, forms.Form):
    short_name = forms.CharField(label=_("Número o letra de la línea"), max_length=20)
    long_name = forms.CharField(label=_("Nombre del recorrido"), max_length=200, required=False)
    color = forms.CharField(label=_("Color (hexadecimal)"), max_length=6, initial="1565C0")
    hail_anywhere = forms.BooleanField(
        label=_("Se detiene en cualquier punto del recorrido (sin paraderos fijos)"), required=False, initial=True
    )
    both_directions = forms.BooleanField(label=_("Ida y vuelta por el mismo camino"), required=False, initial=True)
    explicit_trips = forms.BooleanField(
        label=_("Generar cada salida (en vez de frecuencias)"), required=False, initial=False
    )
    speed_kmh = forms.FloatField(label=_("Velocidad comercial (km/h)"), initial=18, min_value=3, max_value=80)
    days = forms.TypedMultipleChoiceField(
        label=_("Días de servicio"),
        choices=DAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )
    bands = forms.CharField(
        label=_("Frecuencias por franja"),
        help_text=_("Una franja por línea: inicio-fin cada N minutos. Ej.: 06:00-09:00 8"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial="06:00-09:00 8\n09:00-17:00 15\n17:00-21:00 10",
    )
    path = forms.CharField(
        label=_("Recorrido (lista JSON de [lat, lon])"),
        help_text=_("Se llena al dibujar en el mapa; también puede pegarlo."),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    reference_points = forms.CharField(
        label=_("Puntos de referencia"),
        help_text=_("Uno por línea: nombre; latitud; longitud. Se vuelven paradas de referencia con hora."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    trace = forms.FileField(label=_("O suba un trazado GPS (.gpx o .geojson)"), required=False)

    def clean_bands(self):
        bands = []
        for n, line in enumerate(self.cleaned_data["bands"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            try:
                span, headway = line.split()
                start, end = span.split("-")
                bands.append(
                    {"start": start.strip(), "end": end.strip(), "headway_min": float(headway.replace(",", "."))}
                )
            except ValueError:
                raise forms.ValidationError(_("Línea %(n)d: use «06:00-09:00 8».") % {"n": n}) from None
        return bands

    def clean_path(self):
        text = self.cleaned_data["path"].strip()
        if not text:
            return []
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("El recorrido no es una lista JSON válida.")) from None

    def clean_reference_points(self):
        points = []
        for n, line in enumerate(self.cleaned_data["reference_points"].splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                name, lat, lon = parts
                points.append({"name": name, "lat": float(lat), "lon": float(lon)})
            except ValueError:
                raise forms.ValidationError(_("Línea %(n)d: use «nombre; latitud; longitud».") % {"n": n}) from None
        return points


class PointForm(forms.Form):
    lat = forms.FloatField(label=_("Latitud"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitud"), min_value=-180, max_value=180)
