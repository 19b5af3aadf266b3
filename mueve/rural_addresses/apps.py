from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RuralAddressesConfig(AppConfig):
    """911-R (the seed's Table 7): houses on rural roads tagged with a plus code and the road's km, verified by an
    official, printed on a plate, found by SAMU 131, Bomberos 132 and Carabineros 133, and read aloud by a caller
    from the "¿Dónde estoy?" page. Sits above `territory` (jurisdictions), `accounts` (roles) and `reports` (photo
    checks)."""

    name = "mueve.rural_addresses"
    label = "rural_addresses"
    verbose_name = _("Direcciones rurales (911-R)")

    def ready(self) -> None:
        from mueve.rural_addresses import rules  # noqa: F401 (registers the permissions)
