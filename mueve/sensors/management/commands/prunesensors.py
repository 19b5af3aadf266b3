from django.core.management.base import BaseCommand

from mueve.sensors.services.storage import PRUNE_BATCH, readings_prune


class Command(BaseCommand):
    help = (
        "Borra las lecturas más antiguas que la retención de su métrica, y los resúmenes más antiguos que la suya "
        "(en PostgreSQL, los meses ya vencidos para todas las métricas se eliminan enteros). Diario, desde cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=PRUNE_BATCH, help="Filas borradas por transacción.")

    def handle(self, *args, batch, **options):
        outcome = readings_prune(batch=max(1, batch))
        for name in outcome.dropped:
            self.stdout.write(f"Partición eliminada: {name}")
        self.stdout.write(
            f"Lecturas borradas: {outcome.readings}; resúmenes por minuto: {outcome.minute_rollups}; "
            f"resúmenes por hora: {outcome.hour_rollups}; particiones eliminadas: {len(outcome.dropped)}."
        )
