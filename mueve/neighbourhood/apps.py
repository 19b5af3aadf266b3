from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighbourhoodConfig(AppConfig):
    """Cuida tu Luz and Cuido mi Barrio (the seed's Table 3): citizens adopt street lights and bus stops, hear about
    reports on them, confirm repairs; points, badges, neighbourhood rankings and the municipality's rewards. It sits
    above `reports` (whose adoption and points it shows) and `notifications` (which carries its notices)."""

    name = "mueve.neighbourhood"
    label = "neighbourhood"
    verbose_name = _("Cuido mi Barrio")

    def ready(self) -> None:
        from mueve.neighbourhood import rules, subscribers  # noqa: F401 (rules registers the permissions)
        from mueve.notifications import consumer

        consumer.register(subscribers.KINDS, subscribers.on_event)
