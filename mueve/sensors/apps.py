from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    name = "mueve.sensors"
    label = "sensors"
    verbose_name = _("Sensores")

    def ready(self) -> None:
        from mueve.notifications import consumer
        from mueve.sensors import rules, subscribers  # noqa: F401 (rules registers the permissions)

        consumer.register(subscribers.KINDS, subscribers.on_event)

        from mueve.sensors.ngsild import notify
        from mueve.sensors.services import ingest
        from mueve.sensors.services.rules import rules_on_stored

        ingest.on_stored(rules_on_stored)
        ingest.on_stored(notify.record)

        from mueve.sensors.shelters import rules as shelter_rules  # noqa: F401 (registers the permissions)
        from mueve.sensors.shelters.services import shelters_on_stored

        ingest.on_stored(shelters_on_stored)
        from mueve.sensors.bicipark import rules as bicipark_rules  # noqa: F401 (registers its permissions)
        from mueve.sensors.bicipark.services import theft_check

        ingest.on_stored(theft_check)
