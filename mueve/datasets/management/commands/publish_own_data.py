from django.core.management.base import BaseCommand

from mueve.datasets import own_data


class Command(BaseCommand):
    help = (
        "Publica en el catálogo los datos propios de la plataforma (incidentes, GTFS, resultados de competencias, "
        "hoja de ruta) y los actualiza. Ejecútelo a diario (cron); con --if-stale, cada pocos minutos."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            action="append",
            choices=sorted(own_data.FAMILIES),
            help="solo esta familia de datos (se puede repetir)",
        )
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="regenera solo lo que cambió desde la última vez o superó su frecuencia declarada",
        )

    def handle(self, *args, **opts):
        run = own_data.publish(families=opts["only"], if_stale=opts["if_stale"])
        for outcome in run.outcomes:
            dataset = outcome.dataset
            state = "creado" if outcome.created else "actualizado"
            self.stdout.write(
                f"{dataset.slug:50} {state:11} filas={outcome.rows} archivos_escritos={outcome.files_written}"
            )
        self.stdout.write(f"{len(run.outcomes)} conjuntos publicados, {run.skipped} al día, {run.withdrawn} retirados.")
