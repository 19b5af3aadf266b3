from django.core.management.base import BaseCommand

from mueve.sensors.services.storage import MONTHS_AHEAD, partition_months, partitioned, partitions_ensure


class Command(BaseCommand):
    help = (
        f"Crea las particiones mensuales de lecturas (PostgreSQL) del mes en curso y de los {MONTHS_AHEAD} "
        "siguientes, y mueve a su partición las lecturas que la partición por defecto haya recibido."
    )

    def handle(self, *args, **options):
        if not partitioned():
            self.stdout.write("La tabla de lecturas no está particionada (SQLite): nada que hacer.")
            return
        outcome = partitions_ensure()
        for name in outcome.created:
            self.stdout.write(f"Partición creada: {name}")
        if outcome.moved:
            self.stdout.write(f"Lecturas movidas desde la partición por defecto: {outcome.moved}")
        months = partition_months()
        self.stdout.write(
            f"Particiones mensuales: {len(months)} (de {months[0][0]}-{months[0][1]:02d} "
            f"a {months[-1][0]}-{months[-1][1]:02d})."
            if months
            else "Particiones mensuales: ninguna."
        )
