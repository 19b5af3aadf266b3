from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisualChecksConfig(AppConfig):
    name = "mueve.visual_checks"
    label = "visual_checks"
    verbose_name = _("Alerta Drone: verificación visual")

    def ready(self) -> None:
        from mueve.visual_checks import rules  # noqa: F401 (registers the permissions)
