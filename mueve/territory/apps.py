from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "mueve.territory"
    label = "territory"
    verbose_name = _("Territorio")

    def ready(self):
        from mueve.core import places
        from mueve.territory.places import landmark_places

        places.register("territory", landmark_places)
