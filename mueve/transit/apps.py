from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransitConfig(AppConfig):
    name = "mueve.transit"
    label = "transit"
    verbose_name = _("Transporte público")

    def ready(self):
        from mueve.core import places
        from mueve.transit.places import stop_places

        places.register("transit", stop_places)
