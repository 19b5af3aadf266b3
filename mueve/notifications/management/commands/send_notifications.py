from django.core.management.base import BaseCommand

from mueve.notifications.services import deliveries_send


class Command(BaseCommand):
    help = "Envía los avisos pendientes (los que un proceso detenido no alcanzó a enviar) y reintenta los fallidos."

    def handle(self, *args, **options):
        counts = deliveries_send()
        self.stdout.write(f"enviados: {counts['sent']}, fallidos: {counts['failed']}")
