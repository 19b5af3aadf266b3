from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from mueve.accounts.urls import allauth_patterns
from mueve.config.api import api
from mueve.core.views import healthz
from mueve.members import views as members_views

# The admin speaks of the product, not of Django; read per request, so MUEVE_SITE_NAME (and tests) can change it.
_site_name = lazy(lambda: settings.MUEVE_SITE_NAME, str)()
admin.site.site_header = format_lazy(_("Administración de {site}"), site=_site_name)
admin.site.site_title = format_lazy(_("Administración de {site}"), site=_site_name)
admin.site.index_title = _("Datos de la plataforma")

urlpatterns = [
    path("", include("mueve.portal.urls")),
    path("", include("mueve.programs.urls")),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cuentas/", include("mueve.accounts.urls")),
    path("cuentas/", include("mueve.members.urls")),
    path("cuentas/", include(allauth_patterns)),
    path("avisos/", include("mueve.notifications.urls")),
    path("privacidad/", members_views.privacy, name="privacy"),
    path("demo/", include("mueve.demo.urls")),
    path("territorio/", include("mueve.territory.urls")),
    path("actores/", include("mueve.stakeholders.urls")),
    path("desafios/", include("mueve.challenges.urls")),
    path("reportes/", include("mueve.reports.urls")),
    path("barrio/", include("mueve.neighbourhood.urls")),
    path("rural/", include("mueve.rural_addresses.urls")),
    path("talleres/", include("mueve.workshops.urls")),
    path("datos/", include("mueve.datasets.urls")),
    path("sensores/", include("mueve.sensors.urls")),
    path("ngsi-ld/v1/", include("mueve.sensors.ngsild.urls")),
    path("refugio/", include("mueve.sensors.shelters.urls")),
    path("bicipark/", include("mueve.sensors.bicipark.urls")),
    path("catalogo/", include("mueve.datasets.dcat.urls")),
    path("competencias/", include("mueve.competitions.urls")),
    path("transporte/", include("mueve.transit.urls")),
    path("colectivo/", include("mueve.shared_taxis.urls")),
    path("tiempo-real/", include("mueve.realtime.urls")),
    path("control/", include("mueve.control.urls")),
    path("drones/", include("mueve.visual_checks.urls")),
    path("desarrolladores/", include("mueve.api.urls")),
    path("open311/v2/", include("mueve.reports.open311_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # CKAN's action API and its download links, where CKAN clients look for them.
    path("", include("mueve.datasets.ckan.urls")),
]

handler404 = "mueve.core.views.not_found"
handler403 = "mueve.core.views.forbidden"
handler500 = "mueve.core.views.server_error"
