from django.core.management.base import BaseCommand

from mueve.api import usage


class Command(BaseCommand):
    help = (
        "Pasa a la base de datos los usos de claves de API que siguen contados en la caché (para cron; cada "
        "proceso también lo hace a cada minuto)."
    )

    def handle(self, *args, **options):
        moved = usage.flush_all()
        self.stdout.write(f"Solicitudes registradas: {moved}")
