from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChallengesConfig(AppConfig):
    name = "mueve.challenges"
    label = "challenges"
    verbose_name = _("Desafíos")

    def ready(self) -> None:
        from mueve.challenges import subscribers
        from mueve.notifications import consumer

        consumer.register(subscribers.KINDS, subscribers.on_event)
