from django.core.management.base import BaseCommand

from mueve.notifications.consumer import events_process
from mueve.notifications.services import deliveries_send


class Command(BaseCommand):
    help = (
        "Convierte en avisos los eventos aún no leídos, envía los avisos pendientes (los que un proceso detenido "
        "no alcanzó a enviar) y reintenta los fallidos."
    )

    def handle(self, *args, **options):
        events = events_process()
        counts = deliveries_send()
        self.stdout.write(f"eventos leídos: {events}, enviados: {counts['sent']}, fallidos: {counts['failed']}")
