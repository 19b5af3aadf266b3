from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mueve.territory import selectors
from mueve.territory.forms import PointLookupForm


def jurisdiction_list(request):
    form = PointLookupForm(request.GET or None)
    matches = None
    if form.is_valid():
        matches = selectors.areas_containing(lat=form.cleaned_data["lat"], lon=form.cleaned_data["lon"])
    return render(
        request,
        "territory/list.html",
        {
            "tree": selectors.jurisdiction_tree(),
            "areas": selectors.area_list(),
            "form": form,
            "matches": matches,
            "map_config": {
                "lookup": reverse("api-1:lookup_point"),
                "places": "/api/v1/places/search",
                "jurisdictions": dict(selectors.jurisdiction_list().values_list("slug", "name")),
                "center": [-36.82, -73.06],
                "zoom": 11,
                "i18n": {
                    "inside": _("El punto está en:"),
                    "outside": _("El punto no está en ninguna área cargada."),
                    "lookupFailed": _("No se pudo consultar el área de ese punto. Intente de nuevo."),
                    "searching": _("Buscando…"),
                    "noPlaces": _("No se encontraron lugares con ese nombre."),
                    "placesMissing": _(
                        "La búsqueda de lugares no está disponible en esta instalación. Haga clic en el mapa o "
                        "escriba la latitud y la longitud más abajo."
                    ),
                    "placesFailed": _("La búsqueda de lugares falló. Intente de nuevo en un momento."),
                    "approximate": _("aproximada"),
                    # Counts up to the search's limit (10), each form written out for the script to pick.
                    "found": {
                        str(n): ngettext(
                            "%(count)s lugar encontrado; elíjalo para ver en qué área está.",
                            "%(count)s lugares encontrados; elija uno para ver en qué área está.",
                            n,
                        )
                        % {"count": n}
                        for n in range(1, 11)
                    },
                },
            },
        },
    )
