from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "mueve.challenges"
    label = "challenges"
    verbose_name = _("Desafíos")

    def ready(self) -> None:
        from mueve.challenges import subscribers
        from mueve.core import events

        events.subscribe(subscribers.on_event)
