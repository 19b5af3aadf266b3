from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StakeholdersConfig(AppConfig):
    name = "mueve.stakeholders"
    label = "stakeholders"
    verbose_name = _("Actores")

    def ready(self):
        from mueve.core import places
        from mueve.stakeholders.places import organization_places

        places.register("stakeholders", organization_places)
