from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "mueve.reports"
    label = "reports"
    verbose_name = _("Reportes ciudadanos")

    def ready(self) -> None:
        from mueve.reports import intake, services

        # The worker imports the services: they learn how to wake it here instead of importing it.
        services.set_intake_waker(intake.wake)
