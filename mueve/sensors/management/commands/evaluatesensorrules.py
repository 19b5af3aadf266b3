from django.core.management.base import BaseCommand

from mueve.sensors.services.rules import rules_evaluate_absence
from mueve.sensors.services.storage import partitions_ensure


class Command(BaseCommand):
    help = (
        "Evalúa las reglas de ausencia de datos de los sensores (cada minuto, desde cron), y crea las particiones "
        "de lecturas que falten (PostgreSQL)."
    )

    def handle(self, *args, **options):
        fired = rules_evaluate_absence()
        self.stdout.write(f"Reglas de ausencia evaluadas: {fired} activación(es) nueva(s).")
        created = partitions_ensure().created
        if created:
            self.stdout.write(f"Particiones de lecturas creadas: {', '.join(created)}")
