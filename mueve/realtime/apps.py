from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RealtimeConfig(AppConfig):
    name = "mueve.realtime"
    label = "realtime"
    verbose_name = _("Tiempo real")

    def ready(self) -> None:
        from mueve.core import events
        from mueve.realtime import recorder

        events.set_recorder(recorder.record, recorder.record_many)
