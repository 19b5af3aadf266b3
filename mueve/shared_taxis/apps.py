from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharedTaxisConfig(AppConfig):
    """Tu Colectivo (the seed's Table 7): colectivo lines as transit GTFS routes, riders asking for seats along a
    line, drivers sharing position and free seats, and the terminal sending cars when the demand calls for them
    instead of when they are full. It sits above `transit` (whose routes and shapes it uses)."""

    name = "mueve.shared_taxis"
    label = "shared_taxis"
    verbose_name = _("Tu Colectivo")

    def ready(self) -> None:
        from mueve.shared_taxis import rules  # noqa: F401 (registers the permissions)
