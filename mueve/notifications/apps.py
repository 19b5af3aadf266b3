from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "mueve.notifications"
    label = "notifications"
    verbose_name = _("Avisos")

    def ready(self) -> None:
        from django.core import checks

        from mueve.core import events
        from mueve.notifications import subscribers, webpush

        events.subscribe(subscribers.on_event)
        checks.register(webpush.check_key)
