from django.core.management.base import BaseCommand

from mueve.sensors.ngsild.notify import deliver_pending


class Command(BaseCommand):
    help = "Envía las notificaciones NGSI-LD pendientes (y las que esperan un reintento ya vencido)."

    def handle(self, *args, **options):
        counts = deliver_pending()
        self.stdout.write(
            f"entregadas: {counts['delivered']}, fallidas: {counts['failed']}, "
            f"descartadas por antigüedad: {counts['pruned']}"
        )
