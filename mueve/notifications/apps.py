from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "mueve.notifications"
    label = "notifications"
    verbose_name = _("Avisos")

    def ready(self) -> None:
        from django.core import checks

        from mueve.core import events
        from mueve.notifications import consumer, subscribers, webpush

        consumer.register(subscribers.KINDS, subscribers.on_event)
        events.subscribe(consumer.on_published)
        checks.register(webpush.check_key)
