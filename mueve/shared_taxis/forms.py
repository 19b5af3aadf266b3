from django import forms
from django.utils.translation import gettext_lazy as _

from mueve.shared_taxis.models import MAX_CAPACITY, CarState


class SeatRequestForm(forms.Form):
    party_size = forms.IntegerField(
        label=_("¿Cuántos asientos?"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    point = forms.ChoiceField(
        label=_("¿Dónde está?"),
        required=False,
        help_text=_("Use su GPS o toque el mapa; sin ellos, elija el punto de la línea más cercano."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, points: list[tuple[str, str, float, float]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = {key: (lat, lon) for key, _name, lat, lon in points}
        self.fields["point"].choices = [("", _("Mi ubicación (GPS o mapa)"))] + [(k, n) for k, n, _a, _b in points]

    def position(self) -> tuple[float | None, float | None]:
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lon") is not None:
            return data["lat"], data["lon"]
        if data.get("point"):
            return self.points[data["point"]]
        return None, None


class CarStateForm(forms.Form):
    status = forms.ChoiceField(label=_("Estado"), choices=CarState.Status.choices)
    free_seats = forms.IntegerField(label=_("Asientos libres"), min_value=0, max_value=MAX_CAPACITY)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
