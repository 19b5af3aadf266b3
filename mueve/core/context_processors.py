from django.conf import settings
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse


def platform(request):
    return {"site_name": settings.MUEVE_SITE_NAME, "map_settings": map_settings}


def map_settings() -> dict:
    """What every map of the product reads (mueve/static/maps/basemap.js): the tiles (an empty URL means none,
    a closed network), their attribution and where the vector base layer is served. A callable, so pages
    without a map never build it."""
    try:
        basemap = reverse("base_map")
    except NoReverseMatch:  # a URL configuration without the portal (some tests)
        basemap = ""
    return {
        "tiles": settings.MUEVE_TILE_URL,
        "attribution": settings.MUEVE_TILE_ATTRIBUTION,
        "basemap": basemap,
        "script": static("maps/basemap.js"),
        "css": static("maps/basemap.css"),
    }


def csp_nonce(request):
    """This request's Content-Security-Policy nonce, for the rare inline <script>/<style> a template needs."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
